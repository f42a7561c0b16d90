/**
 * Cold start, two ways:
 * - the Worker: spawn `wrangler dev` (workerd) and POST /api/sentiment every 25 ms until one answers 200;
 * - onnxruntime-web and the model alone, in a fresh Node process (bench/init-probe.ts): import, first session
 *   (wasm instantiation + model), vocabulary, first run, and a second session for the model alone.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, spawnDevServer } from '../scripts/dev-server.ts';
import { median } from './stats.ts';

export interface WorkerColdStart {
  /** Spawn to wrangler printing "Ready on". */
  ready: number;
  /** Spawn to the first 200 from POST /api/sentiment. */
  firstAnswer: number;
  /** The request that got that 200. */
  firstRequest: number;
  /** The request after it (warm). */
  nextRequest: number;
}

export interface InitProbe {
  ortVersion: string;
  importOrt: number;
  firstSession: number;
  vocabulary: number;
  firstRun: number;
  secondSession: number;
  total: number;
  /** Process spawn to the probe's answer, Node + tsx start-up included. */
  processTotal: number;
}

export interface ColdStartResult {
  worker: WorkerColdStart[];
  init: InitProbe[];
}

async function workerColdStart(text: string): Promise<WorkerColdStart> {
  const server = await spawnDevServer();
  const body = JSON.stringify({ text });
  const post = async () => {
    const t = performance.now();
    const response = await fetch(`${server.url}/api/sentiment`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
      signal: AbortSignal.timeout(30_000),
    });
    await response.text();
    return { ok: response.status === 200, ms: performance.now() - t };
  };
  let ready = Number.NaN;
  const watch = () => {
    if (Number.isNaN(ready) && server.output().includes('Ready on')) ready = performance.now() - server.startedAt;
  };
  // After dev-server.ts's own listeners, so output() already holds the chunk.
  server.child.stdout!.on('data', watch);
  server.child.stderr!.on('data', watch);
  try {
    const deadline = performance.now() + 120_000;
    for (;;) {
      const attempt = await post().catch(() => ({ ok: false, ms: 0 }));
      if (attempt.ok) {
        const firstAnswer = performance.now() - server.startedAt;
        return { ready, firstAnswer, firstRequest: attempt.ms, nextRequest: (await post()).ms };
      }
      if (performance.now() > deadline || server.child.exitCode !== null)
        throw new Error(`The Worker never answered 200.\nwrangler said:\n${server.output()}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  } finally {
    await server.stop();
  }
}

function initProbe(modelDir: string): Promise<InitProbe> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/init-probe.ts'), modelDir], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const processTotal = performance.now() - start;
      if (code !== 0) return reject(new Error(`bench/init-probe.ts exited with ${code}: ${err}`));
      try {
        resolve({ ...(JSON.parse(out.trim().split('\n').at(-1)!) as Omit<InitProbe, 'processTotal'>), processTotal });
      } catch (error) {
        reject(new Error(`bench/init-probe.ts printed no result: ${out}${err}`, { cause: error }));
      }
    });
  });
}

export async function measureColdStart(
  modelDir: string,
  text: string,
  runs: number,
  log: (line: string) => void,
): Promise<ColdStartResult> {
  const init: InitProbe[] = [];
  for (let i = 0; i < runs; i++) {
    init.push(await initProbe(modelDir));
    log(
      `cold start: ORT + model in a fresh Node process ${i + 1}/${runs}: first session ${init.at(-1)!.firstSession.toFixed(0)} ms`,
    );
  }
  const worker: WorkerColdStart[] = [];
  for (let i = 0; i < runs; i++) {
    worker.push(await workerColdStart(text));
    log(`cold start: wrangler dev ${i + 1}/${runs}: first 200 after ${worker.at(-1)!.firstAnswer.toFixed(0)} ms`);
  }
  return { worker, init };
}

export const medianOf = <T>(rows: readonly T[], key: keyof T) => median(rows.map((r) => r[key] as number));
