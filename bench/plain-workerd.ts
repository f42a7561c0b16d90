/**
 * The Worker in workerd alone: bundled as `wrangler deploy` bundles it (`--dry-run --outdir`), served by the
 * workerd binary wrangler itself runs, with no inspector and no dev proxy in front. For the first request in a
 * fresh isolate: under `wrangler dev` the first request that runs ONNX Runtime costs some 15 to 50 ms more than
 * later ones, with or without V8's profiler running (most likely the inspector wrangler keeps attached to the
 * isolate); workerd alone shows no such cost, and production runs no dev tooling either.
 *
 * CPU is the workerd process's own, every thread summed (/proc/<pid>/task/<tid>/schedstat, in nanoseconds), read
 * before and after each request once the process has gone idle after start-up (V8 keeps compiling hot wasm
 * functions in the background for a few seconds). It also holds workerd's HTTP handling, so it is an upper
 * bound of the isolate's CPU. Linux only.
 */

import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, ROOT, runWrangler, waitFor } from '../scripts/dev-server.ts';

/** The workerd binary wrangler runs: the `workerd` package's default export is its path. */
const WORKERD = (createRequire(import.meta.url)('workerd') as { default: string }).default;

/** Nanoseconds of CPU the process's threads have used so far. */
function processCpuNs(pid: number): number {
  const dir = `/proc/${pid}/task`;
  let sum = 0;
  for (const tid of readdirSync(dir)) {
    try {
      sum += Number(readFileSync(`${dir}/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return sum;
}

/** workerd's configuration for the bundle in `outdir`: each file a module of the type wrangler bundled it as. */
export function capnpConfig(outdir: string, port: number, vars: Record<string, string>): string {
  const compatibilityDate = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(
    readFileSync(join(ROOT, 'wrangler.toml'), 'utf8'),
  );
  if (!compatibilityDate) throw new Error('wrangler.toml has no compatibility_date');
  const modules = readdirSync(outdir)
    .filter((name) => !/\.(md|map|capnp)$/.test(name))
    // The main module comes first.
    .sort((a, b) => Number(b === 'index.js') - Number(a === 'index.js'))
    .map((name) => {
      const type = name === 'index.js' ? 'esModule' : name.endsWith('.wasm') ? 'wasm' : 'data';
      return `(name = ${JSON.stringify(name)}, ${type} = embed ${JSON.stringify(name)})`;
    });
  const bindings = Object.entries(vars).map(
    ([name, value]) => `(name = ${JSON.stringify(name)}, text = ${JSON.stringify(value)})`,
  );
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [${modules.join(', ')}],
  compatibilityDate = "${compatibilityDate[1]}",
  bindings = [${bindings.join(', ')}],
);
`;
}

export interface PlainWorkerdRun {
  /** CPU of the first request of a fresh isolate, ms. */
  firstMs: number;
  /** CPU of the requests after it, ms each. */
  laterMs: number[];
  status: number;
  /** CPU the idle process used in the half second before the first request (should be 0). */
  idleMs: number;
}

/**
 * `isolates` times: starts workerd on the bundle with `PLAN` = `plan`, waits until it listens and then until it
 * is idle, and sends `body` to `path` `1 + later` times, timing each with the process's CPU.
 */
export async function measurePlainWorkerd(options: {
  plan: string;
  path: string;
  body: unknown;
  later: number;
  isolates: number;
  log?: (line: string) => void;
}): Promise<PlainWorkerdRun[]> {
  const outdir = mkdtempSync(join(tmpdir(), 'plain-workerd-'));
  const runs: PlainWorkerdRun[] = [];
  try {
    await runWrangler(['deploy', '--dry-run', '--outdir', outdir]);
    for (let i = 0; i < options.isolates; i++) {
      const port = await freePort();
      writeFileSync(join(outdir, 'config.capnp'), capnpConfig(outdir, port, { PLAN: options.plan }));
      const child = spawn(WORKERD, ['serve', 'config.capnp'], { cwd: outdir, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      try {
        // Listening, without an HTTP request: a TCP connection alone does not reach the isolate.
        const listening = () =>
          new Promise<boolean>((resolve) => {
            const socket = connect(port, '127.0.0.1', () => {
              socket.end();
              resolve(true);
            });
            socket.once('error', () => resolve(false));
          });
        await waitFor(listening, 60_000, 'workerd to listen', () => output);
        let idleMs = Number.POSITIVE_INFINITY;
        await waitFor(
          async () => {
            const before = processCpuNs(child.pid!);
            await new Promise((r) => setTimeout(r, 500));
            idleMs = (processCpuNs(child.pid!) - before) / 1e6;
            return idleMs < 1;
          },
          60_000,
          'workerd to go idle after start-up',
          () => output,
        );
        const times: number[] = [];
        let status = 0;
        for (let k = 0; k <= options.later; k++) {
          const before = processCpuNs(child.pid!);
          const response = await fetch(`http://127.0.0.1:${port}${options.path}`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(options.body),
          });
          await response.arrayBuffer();
          times.push((processCpuNs(child.pid!) - before) / 1e6);
          if (k === 0) status = response.status;
        }
        runs.push({ firstMs: times[0]!, laterMs: times.slice(1), status, idleMs });
        options.log?.(
          `limits: workerd alone, isolate ${i + 1}/${options.isolates}: first request HTTP ${status} ` +
            `${times[0]!.toFixed(2)} ms CPU; later ${times
              .slice(1)
              .map((t) => t.toFixed(2))
              .join(', ')} ms`,
        );
      } finally {
        child.kill('SIGKILL');
      }
    }
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
  return runs;
}
