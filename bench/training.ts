/** Training cost, read from each model's metadata.json: seconds per epoch and in total, and the backend. */
import type { ModelDir } from './models.ts';
import { int, seconds, table } from './stats.ts';
import { barChart } from './svg.ts';

export interface TrainingRow {
  /** The model's key: "served", or a variant's (as in the accuracy and latency sections). */
  id: string;
  /** Its label, e.g. "SimpleRNN (served)". */
  model: string;
  backend: string;
  backendPackage: string;
  epochs: { epoch: number; seconds: number; valAccuracy: number | null }[];
  bestEpoch: number | null;
  secondsTrained: number | null;
  trainExamples: number | null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string => (typeof v === 'string' ? v : 'unknown');

export function readTraining(models: readonly ModelDir[]): TrainingRow[] {
  return models.map(({ id, label, metadata }) => {
    const t = metadata.training ?? {};
    const history = Array.isArray(t.history) ? (t.history as Record<string, unknown>[]) : [];
    return {
      id,
      model: label,
      backend: str(t.backend),
      backendPackage: str(t.backendPackage),
      epochs: history.map((h, i) => ({
        epoch: num(h.epoch) ?? i + 1,
        seconds: num(h.seconds) ?? Number.NaN,
        valAccuracy: num(h.valAccuracy),
      })),
      bestEpoch: num(t.bestEpoch),
      secondsTrained: num(t.secondsTrained),
      trainExamples: num(t.trainExamples),
    };
  });
}

export function renderTraining(rows: readonly TrainingRow[], footer: string, charts: Record<string, string>): string[] {
  const maxEpochs = Math.max(0, ...rows.map((r) => r.epochs.length));
  const lines = [
    '## Training',
    '',
    "From each model's metadata.json, as training recorded it on the machine that trained it (the machine block " +
      "above is the benchmark's; train on the same machine for comparable numbers). Total is training time as the " +
      'run recorded it (all epochs, validation included).',
    '',
    table(
      ['model', 'backend', 'epochs', 'best epoch', 'seconds per epoch (mean)', 'total', 'train examples'],
      rows.map((r) => {
        const per = r.epochs.map((e) => e.seconds).filter(Number.isFinite);
        return [
          r.model,
          `${r.backend} (${r.backendPackage})`,
          String(r.epochs.length),
          r.bestEpoch === null ? 'n/a' : String(r.bestEpoch),
          per.length ? seconds(per.reduce((a, b) => a + b, 0) / per.length) : 'n/a',
          r.secondsTrained === null
            ? 'n/a'
            : `${seconds(r.secondsTrained)} (${(r.secondsTrained / 60).toFixed(1)} min)`,
          r.trainExamples === null ? 'n/a' : int(r.trainExamples),
        ];
      }),
    ),
    '',
  ];
  if (maxEpochs > 0) {
    const epochCell = (e: TrainingRow['epochs'][number] | undefined) =>
      e ? `${seconds(e.seconds)}${e.valAccuracy === null ? '' : ` (${e.valAccuracy.toFixed(4)})`}` : '';
    lines.push(
      table(
        ['epoch', ...rows.map((r) => `${r.model}: seconds (val accuracy)`)],
        Array.from({ length: maxEpochs }, (_, i) => [String(i + 1), ...rows.map((r) => epochCell(r.epochs[i]))]),
      ),
      '',
    );
    charts['training.svg'] = barChart({
      title: 'Training: seconds per epoch',
      unit: 's',
      groups: Array.from({ length: maxEpochs }, (_, i) => `epoch ${i + 1}`),
      series: rows.map((r) => ({
        name: r.model,
        values: Array.from({ length: maxEpochs }, (_, i) => r.epochs[i]?.seconds ?? Number.NaN),
      })),
      footer,
    });
    lines.push('![Training](charts/training.svg)', '');
  }
  return lines;
}
