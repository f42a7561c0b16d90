/**
 * The Worker in workerd alone: bundled as `wrangler deploy` bundles it (`--dry-run --outdir`), served by the
 * workerd binary wrangler itself runs, with no inspector and no dev proxy in front. For the first request in a
 * fresh isolate: under `wrangler dev` the first request that runs ONNX Runtime costs some 15 to 50 ms more than
 * later ones, with or without V8's profiler running (most likely the inspector wrangler keeps attached to the
 * isolate); workerd alone shows no such cost, and production runs no dev tooling either.
 *
 * CPU is read per thread (/proc/<pid>/task/<tid>/schedstat, in nanoseconds) before and after each request, once
 * the process has gone idle after start-up (V8 keeps compiling hot wasm functions in the background for a few
 * seconds). The isolate runs on workerd's main thread: its CPU, which also holds workerd's HTTP handling, is what
 * a request costs. V8's background threads (concurrent tier-up compilation of hot wasm functions, GC helpers)
 * are shared by every isolate of a process and kept apart. Linux only.
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

/** CPU the process has used so far, ms: its main thread, where the isolate runs, and all its other threads. */
function processCpuMs(pid: number): { main: number; other: number } {
  const dir = `/proc/${pid}/task`;
  let main = 0;
  let other = 0;
  for (const tid of readdirSync(dir)) {
    try {
      const ns = Number(readFileSync(`${dir}/${tid}/schedstat`, 'utf8').split(' ')[0]);
      if (tid === String(pid)) main = ns / 1e6;
      else other += ns / 1e6;
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return { main, other };
}

const cpuSince = (pid: number, before: { main: number; other: number }) => {
  const now = processCpuMs(pid);
  return { main: now.main - before.main, other: now.other - before.other };
};

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
  /** CPU of the first request of a fresh isolate on the isolate's thread, ms. */
  firstMs: number;
  /** The same for the requests after it, ms each. */
  laterMs: number[];
  /** CPU of V8's background threads during each request (the first, then the later ones), ms. */
  backgroundMs: number[];
  status: number;
  /** CPU the idle process used in the half second before the first request (should be 0). */
  idleMs: number;
  /** CPU the process used from its start until it went idle, all threads, ms (the isolate's start-up included). */
  startupMs: number;
}

/**
 * `isolates` times: starts workerd on the bundle with `PLAN` = `plan`, waits until it listens and then until it
 * is idle, and sends `body` to `path` `1 + later` times, timing each with the CPU of the isolate's thread.
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
        // Idle for two half seconds in a row: once, here, a start-up paused for over half a second before the
        // module was evaluated (cause not found), and that evaluation must not be counted as the first request.
        let idleMs = Number.POSITIVE_INFINITY;
        let idleWindows = 0;
        await waitFor(
          async () => {
            const before = processCpuMs(child.pid!);
            await new Promise((r) => setTimeout(r, 500));
            const used = cpuSince(child.pid!, before);
            idleMs = used.main + used.other;
            idleWindows = idleMs < 1 ? idleWindows + 1 : 0;
            return idleWindows >= 2;
          },
          60_000,
          'workerd to go idle after start-up',
          () => output,
        );
        const atIdle = processCpuMs(child.pid!);
        const startupMs = atIdle.main + atIdle.other;
        const times: number[] = [];
        const background: number[] = [];
        let status = 0;
        for (let k = 0; k <= options.later; k++) {
          const before = processCpuMs(child.pid!);
          const response = await fetch(`http://127.0.0.1:${port}${options.path}`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(options.body),
          });
          await response.arrayBuffer();
          const used = cpuSince(child.pid!, before);
          times.push(used.main);
          background.push(used.other);
          if (k === 0) status = response.status;
        }
        runs.push({ firstMs: times[0]!, laterMs: times.slice(1), backgroundMs: background, status, idleMs, startupMs });
        const list = (values: number[]) => values.map((t) => t.toFixed(2)).join(', ');
        options.log?.(
          `limits: workerd alone, isolate ${i + 1}/${options.isolates}: start-up ${startupMs.toFixed(0)} ms CPU ` +
            `(all threads); first request HTTP ${status} ` +
            `${times[0]!.toFixed(2)} ms CPU; later ${list(times.slice(1))} ms; ` +
            `V8 background threads meanwhile ${list(background)} ms`,
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
