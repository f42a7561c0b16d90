/** A one-line progress bar with ETA on a terminal, or a line every few percent when output goes to a file. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m${String(r).padStart(2, '0')}s` : `${r}s`;
}

/** Where a progress bar writes, and whether that is a terminal (which gets one line, redrawn). */
export interface ProgressOutput {
  write(text: string): void;
  tty: boolean;
}

const STDERR: ProgressOutput = { write: (text) => process.stderr.write(text), tty: Boolean(process.stderr.isTTY) };

/** Prints nothing (tests that train in-process). */
export const SILENT: ProgressOutput = { write: () => {}, tty: false };

export class ProgressBar {
  private readonly start = performance.now();
  private lastPrintedPercent = -1;
  private readonly tty: boolean;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly out: ProgressOutput = STDERR,
    private readonly width = 24,
  ) {
    this.tty = out.tty;
  }

  /** `done` units of work finished out of total; `weight` lets ETA follow work (words) rather than batches. */
  update(done: number, info: string, workDone = done, workTotal = this.total): void {
    const fraction = workTotal > 0 ? workDone / workTotal : 1;
    const elapsed = (performance.now() - this.start) / 1000;
    const eta = fraction > 0 ? (elapsed * (1 - fraction)) / fraction : Infinity;
    const filled = Math.round(fraction * this.width);
    const line = `${this.label} [${'#'.repeat(filled)}${'.'.repeat(this.width - filled)}] ${done}/${this.total} ${(fraction * 100).toFixed(0)}% ${info} elapsed ${formatDuration(elapsed)} ETA ${formatDuration(eta)}`;
    if (this.tty) {
      this.out.write(`\r${line}\x1b[K`);
    } else {
      const percent = Math.floor(fraction * 20) * 5;
      if (percent !== this.lastPrintedPercent) {
        this.lastPrintedPercent = percent;
        this.out.write(`${line}\n`);
      }
    }
  }

  finish(info: string): void {
    const elapsed = (performance.now() - this.start) / 1000;
    this.out.write(
      `${this.tty ? '\r' : ''}${this.label} done in ${formatDuration(elapsed)} ${info}${this.tty ? '\x1b[K' : ''}\n`,
    );
  }
}
