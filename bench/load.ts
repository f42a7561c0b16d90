/**
 * Load against the Worker running in workerd (`wrangler dev`, as `npm start` runs it) on 127.0.0.1, with
 * autocannon in this process: single requests ({"text"}), the same with the per-word trace ({"text",
 * "trace": true}, when the model has one) and batches ({"texts": 64 texts}), each at 1, 16 and 64 connections,
 * while the server's process tree's resident memory is sampled from /proc.
 */
import { createRequire } from 'node:module';
import { spawnDevServer, waitFor } from '../scripts/dev-server.ts';

interface AutocannonOptions {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
  connections: number;
  duration: number;
  timeout?: number;
}
interface AutocannonResult {
  latency: { p50: number; p90: number; p99: number; max: number; average: number };
  requests: { total: number; average: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
}
// autocannon ships no types; this is the part of its API used here.
const autocannon = createRequire(import.meta.url)('autocannon') as (
  options: AutocannonOptions,
) => Promise<AutocannonResult>;

/** single: {"text"}; trace: {"text", "trace": true}; batch: {"texts"}. */
export type LoadKind = 'single' | 'trace' | 'batch';

export interface LoadRun {
  kind: LoadKind;
  connections: number;
  seconds: number;
  requestsPerSecond: number;
  /** Reviews scored per second (requests × texts per request). */
  textsPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  requests: number;
  /** Connection errors + timeouts + non-2xx answers: must be 0. */
  errors: number;
}

export interface LoadResult {
  runs: LoadRun[];
  textWords: number;
  batchSize: number;
  bodyBytes: { single: number; batch: number; trace?: number };
}

const post = (url: string, body: string) =>
  fetch(`${url}/api/sentiment`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });

export async function measureLoad(
  texts: { single: string; batch: string[]; words: number; trace?: boolean },
  connections: readonly number[],
  seconds: number,
  log: (line: string) => void,
): Promise<LoadResult> {
  const bodies: Partial<Record<LoadKind, string>> = {
    single: JSON.stringify({ text: texts.single }),
    // The same review with the per-word trace, run right after the plain one so the two compare.
    ...(texts.trace ? { trace: JSON.stringify({ text: texts.single, trace: true }) } : {}),
    batch: JSON.stringify({ texts: texts.batch }),
  };
  const kinds = Object.keys(bodies) as LoadKind[];
  const server = await spawnDevServer();
  try {
    await waitFor(
      async () => (await post(server.url, bodies.single!)).status === 200,
      120_000,
      'a 200 from POST /api/sentiment',
      server.output,
    );
    for (const body of Object.values(bodies) as string[]) {
      const response = await post(server.url, body);
      if (response.status !== 200)
        throw new Error(`POST /api/sentiment answered ${response.status}: ${await response.text()}`);
      await response.text();
    }
    const runs: LoadRun[] = [];
    for (const kind of kinds) {
      // A short warm-up, so the first measured second does not include JIT of the request path.
      await autocannon({
        url: `${server.url}/api/sentiment`,
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: bodies[kind]!,
        connections: 4,
        duration: 1,
      });
      for (const c of connections) {
        const r = await autocannon({
          url: `${server.url}/api/sentiment`,
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: bodies[kind]!,
          connections: c,
          duration: seconds,
          timeout: 30,
        });
        const perRequest = kind === 'batch' ? texts.batch.length : 1;
        const requestsPerSecond = r.requests.total / r.duration;
        const run: LoadRun = {
          kind,
          connections: c,
          seconds: r.duration,
          requestsPerSecond,
          textsPerSecond: requestsPerSecond * perRequest,
          p50: r.latency.p50,
          p99: r.latency.p99,
          max: r.latency.max,
          requests: r.requests.total,
          errors: r.errors + r.timeouts + r.non2xx,
        };
        runs.push(run);
        log(
          `load: ${kind} × ${c} connections: ${requestsPerSecond.toFixed(0)} req/s, p50 ${run.p50} ms, p99 ${run.p99} ms, errors ${run.errors}`,
        );
      }
    }
    const bodyBytes = {
      single: Buffer.byteLength(bodies.single!),
      batch: Buffer.byteLength(bodies.batch!),
      ...(bodies.trace ? { trace: Buffer.byteLength(bodies.trace) } : {}),
    };
    return { runs, textWords: texts.words, batchSize: texts.batch.length, bodyBytes };
  } finally {
    await server.stop();
  }
}
