/**
 * Runs a probe script (bench/init-probe.ts, bench/first-request.ts, bench/session-probe.ts) in a fresh Node process,
 * so that nothing is warm, and reads the one JSON line it prints last.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../scripts/dev-server.ts';

/** `script` (from the repository's root) with `args`, `input` on stdin; `ms`: spawn to exit, Node start-up included. */
export function runProbe<T>(script: string, args: readonly string[], input = ''): Promise<{ result: T; ms: number }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, script), ...args], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - start;
      if (code !== 0) return reject(new Error(`${script} exited with ${code}: ${err}`));
      try {
        resolve({ result: JSON.parse(out.trim().split('\n').at(-1)!) as T, ms });
      } catch (error) {
        reject(new Error(`${script} printed no result: ${out}${err}`, { cause: error }));
      }
    });
    child.stdin.end(input);
  });
}
