/** Memory of a process and all its descendants, read from /proc (Linux), sampled while a benchmark runs. */
import { readdirSync, readFileSync } from 'node:fs';

interface Proc {
  pid: number;
  ppid: number;
  name: string;
}

function processes(): Proc[] {
  const out: Proc[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'.
      const close = stat.lastIndexOf(')');
      const fields = stat.slice(close + 2).split(' ');
      out.push({ pid: Number(entry), ppid: Number(fields[1]), name: stat.slice(stat.indexOf('(') + 1, close) });
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

function rssBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Resident memory of `root` and its descendants now, total and by process name (e.g. node, workerd). */
export function treeRss(root: number): { total: number; byName: Record<string, number> } {
  const all = processes();
  const tree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) if (!tree.has(p.pid) && tree.has(p.ppid)) (tree.add(p.pid), (grew = true));
  }
  const byName: Record<string, number> = {};
  let total = 0;
  for (const p of all) {
    if (!tree.has(p.pid)) continue;
    const rss = rssBytes(p.pid);
    total += rss;
    byName[p.name] = (byName[p.name] ?? 0) + rss;
  }
  return { total, byName };
}

/**
 * Samples the tree every `intervalMs` until stopped; reports the peak of the total and each process name's own
 * peak (shared pages count once per process).
 */
export function sampleRss(root: number, intervalMs = 100): { stop(): { peak: number; peakByName: Record<string, number> } } {
  let peak = 0;
  const peakByName: Record<string, number> = {};
  const take = () => {
    const now = treeRss(root);
    peak = Math.max(peak, now.total);
    for (const [name, bytes] of Object.entries(now.byName)) peakByName[name] = Math.max(peakByName[name] ?? 0, bytes);
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return { peak, peakByName };
    },
  };
}
