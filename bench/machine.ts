/** The machine a run happened on, recorded beside every figure. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../scripts/dev-server.ts';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryBytes: number;
  os: string;
  node: string;
  packages: Record<string, string>;
  commit: string;
  /** 1-minute load average when the run started: above ~0.5 a core the figures are disturbed by other work. */
  loadAtStart: number;
}

function packageVersion(name: string): string {
  try {
    // Read the file directly: some packages' "exports" hide their package.json from require.resolve.
    return (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string })
      .version;
  } catch {
    return 'unknown';
  }
}

function gitCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return dirty ? `${head} (with uncommitted changes)` : head;
  } catch {
    return 'unknown';
  }
}

export function machineInfo(): MachineInfo {
  const cpu = cpus();
  return {
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    memoryBytes: totalmem(),
    os: `${platform()} ${release()}`,
    node: process.version,
    packages: Object.fromEntries(
      ['onnxruntime-web', 'wrangler', 'workerd', 'autocannon', 'sentiment', 'vader-sentiment', '@tensorflow/tfjs'].map(
        (p) => [p, packageVersion(p)],
      ),
    ),
    commit: gitCommit(),
    loadAtStart: loadavg()[0]!,
  };
}

/** One line for chart footers: cores, memory, Node version. */
export function machineLine(m: MachineInfo): string {
  return `${m.cores} cores (${m.cpuModel}), ${(m.memoryBytes / 2 ** 30).toFixed(1)} GiB RAM, Node ${m.node}, ${m.os}`;
}

export function machineBlock(m: MachineInfo, loadAtEnd: number): string {
  // The run itself loads the machine, so only the load before it says whether other work was running.
  const busy = m.loadAtStart > 0.5 * m.cores;
  return [
    '```',
    `CPU      ${m.cores} cores, ${m.cpuModel}`,
    `Memory   ${(m.memoryBytes / 2 ** 30).toFixed(1)} GiB`,
    `OS       ${m.os}`,
    `Node     ${m.node}`,
    `Packages ${Object.entries(m.packages)
      .map(([p, v]) => `${p} ${v}`)
      .join(', ')}`,
    `Commit   ${m.commit}`,
    `Load     1-min load average ${m.loadAtStart.toFixed(2)} at start, ${loadAtEnd.toFixed(2)} at end ` +
      "(the run's own load included)" +
      (busy ? '; BUSY at start: other work was running, timings are pessimistic' : ''),
    '```',
  ].join('\n');
}
