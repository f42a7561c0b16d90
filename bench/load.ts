/**
 * Load against the Worker running in workerd (`wrangler dev`, as `npm start` runs it) on 127.0.0.1, with
 * autocannon in this process: single requests ({"text"}), the same with the per-word trace ({"text",
 * "trace": true}, when the model has one) and batches ({"texts": 64 texts}), each at 1, 16 and 64 connections.
 * The Worker's memory is measured in its isolate, by the limits section.
 */
/// <reference path="../scripts/autocannon.d.ts" />
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon, { type Request as AutocannonRequest } from 'autocannon';
import { ROOT, spawnDevServer, waitFor } from '../scripts/dev-server.ts';
import { type Plan, plan } from '../src/worker/contract/limits.ts';
import { chartMs, int, seconds, signedPercent, table } from './stats.ts';
import { barChart } from './svg.ts';

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
  /** The plan the Worker ran with (PLAN in wrangler.toml, as `npm start` runs it): its budget sizes the batch. */
  plan: Plan;
  bodyBytes: { single: number; batch: number; trace?: number };
}

/** The plan `npm start` serves: PLAN in wrangler.toml's [vars]. */
export function servedPlan(maxLength: number): Plan {
  const toml = readFileSync(join(ROOT, 'wrangler.toml'), 'utf8');
  return plan(/^PLAN\s*=\s*"([^"]*)"/m.exec(toml)?.[1], maxLength);
}

/**
 * The first of `texts` (each `words` words) that one request may carry on `p`, at most 64: on the free plan a
 * batch of 64 typical reviews is over the budget and would only measure 413 answers.
 */
export function batchWithin(p: Plan, texts: readonly string[], words: number, maxLength: number): string[] {
  let chars = 0;
  let n = 0;
  for (const text of texts.slice(0, 64)) {
    chars += text.length;
    if ((n + 1) * Math.min(words, maxLength) > p.wordsPerRequest || chars > p.charsPerRequest) break;
    n++;
  }
  return texts.slice(0, n);
}

/**
 * Gives each request another client address (CF-Connecting-IP, which wrangler dev passes on as Cloudflare's edge
 * sets it): the per-client rate limit is checked on every request, as in production, but a load of many clients
 * never reaches it.
 */
let clients = 0;
const asNewClient = (request: AutocannonRequest): AutocannonRequest => {
  clients = (clients + 1) % 2 ** 24;
  request.headers['CF-Connecting-IP'] = `10.${clients >> 16}.${(clients >> 8) & 255}.${clients & 255}`;
  return request;
};

const post = (url: string, body: string) =>
  fetch(`${url}/api/sentiment`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });

export async function measureLoad(
  texts: { single: string; batch: string[]; words: number; trace?: boolean; plan: Plan },
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
        requests: [{ setupRequest: asNewClient }],
        connections: 4,
        duration: 1,
      });
      for (const c of connections) {
        const r = await autocannon({
          url: `${server.url}/api/sentiment`,
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: bodies[kind]!,
          requests: [{ setupRequest: asNewClient }],
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
          `load: ${kind} × ${c} connections: ${requestsPerSecond.toFixed(0)} req/s, p50 ${run.p50} ms, ` +
            `p99 ${run.p99} ms, errors ${run.errors}`,
        );
      }
    }
    const bodyBytes = {
      single: Buffer.byteLength(bodies.single!),
      batch: Buffer.byteLength(bodies.batch!),
      ...(bodies.trace ? { trace: Buffer.byteLength(bodies.trace) } : {}),
    };
    return { runs, textWords: texts.words, batchSize: texts.batch.length, plan: texts.plan, bodyBytes };
  } finally {
    await server.stop();
  }
}

const connectionsName = (c: number) => `${c} connection${c === 1 ? '' : 's'}`;

export function renderLoad(r: LoadResult, footer: string, charts: Record<string, string>): string[] {
  const anyErrors = r.runs.some((x) => x.errors > 0);
  const kindName = (kind: LoadKind) =>
    kind === 'single' ? 'single' : kind === 'trace' ? 'single, `"trace": true`' : `batch of ${r.batchSize}`;
  const hasTrace = r.runs.some((x) => x.kind === 'trace');
  const rows = r.runs.map((x) => [
    kindName(x.kind),
    String(x.connections),
    seconds(x.seconds),
    int(x.requestsPerSecond),
    int(x.textsPerSecond),
    `${x.p50} ms`,
    `${x.p99} ms`,
    int(x.requests),
    x.errors === 0 ? '0' : `**${x.errors}**`,
  ]);
  const connections = [...new Set(r.runs.map((x) => x.connections))];
  const run = (kind: LoadKind, c: number) => r.runs.find((x) => x.kind === kind && x.connections === c);
  const pick = (kind: LoadKind, key: 'textsPerSecond' | 'p50' | 'p99') =>
    connections.map((c) => run(kind, c)?.[key] ?? Number.NaN);
  charts['load-throughput.svg'] = barChart({
    title: 'Reviews scored per second, wrangler dev (workerd) on 127.0.0.1',
    unit: 'reviews/s',
    groups: connections.map(connectionsName),
    series: [
      { name: 'single requests', values: pick('single', 'textsPerSecond') },
      ...(hasTrace ? [{ name: 'single, "trace": true', values: pick('trace', 'textsPerSecond') }] : []),
      { name: `batches of ${r.batchSize}`, values: pick('batch', 'textsPerSecond') },
    ],
    footer,
  });
  charts['load-latency.svg'] = barChart({
    title: 'Request latency under load, wrangler dev (workerd)',
    unit: 'ms',
    groups: connections.map(connectionsName),
    series: [
      { name: 'single p50', values: pick('single', 'p50') },
      { name: 'single p99', values: pick('single', 'p99') },
      ...(hasTrace
        ? [
            { name: 'trace p50', values: pick('trace', 'p50') },
            { name: 'trace p99', values: pick('trace', 'p99') },
          ]
        : []),
      { name: 'batch p50', values: pick('batch', 'p50') },
      { name: 'batch p99', values: pick('batch', 'p99') },
    ],
    log: true,
    format: chartMs,
    footer,
  });
  const traceAgainstPlain = connections.map((c) => {
    const [plain, trace] = [run('single', c), run('trace', c)];
    if (!plain || !trace) return `${c}: n/a`;
    const latency = signedPercent(trace.p50 / plain.p50 - 1);
    return `${connectionsName(c)} ${latency}; ${signedPercent(trace.requestsPerSecond / plain.requestsPerSecond - 1)}`;
  });
  const { single, trace, batch } = r.bodyBytes;
  return [
    '## Server load',
    '',
    "autocannon (in the benchmark's Node process) against the Worker in workerd, started as `npm start` starts it " +
      `(\`wrangler dev\`, offline, 127.0.0.1, a free port), POST /api/sentiment with one review of ${r.textWords} ` +
      `words ({"text"}, ${int(single)} bytes)` +
      (trace
        ? `, the same with the per-word trace ({"text", "trace": true}, ${int(trace)} bytes, run right after the ` +
          'plain one),'
        : '') +
      ` or ${r.batchSize} such reviews ({"texts"}, ${int(batch)} bytes; the most the Worker's PLAN "${r.plan.name}" ` +
      `takes in one request, up to 64: ${int(r.plan.wordsPerRequest)} words, ${int(r.plan.charsPerRequest)} ` +
      'characters), the same body on every request, after a ' +
      '1 s warm-up. Each request comes from another client address (CF-Connecting-IP), so that the per-client rate ' +
      'limit is checked but not reached. Errors are connection errors + timeouts + non-2xx answers and must be 0. ' +
      'The load generator and ' +
      "the server share the machine's cores. The Worker's memory is measured in its isolate: see Cloudflare limits.",
    '',
    table(['requests', 'connections', 'duration', 'req/s', 'reviews/s', 'p50', 'p99', 'requests done', 'errors'], rows),
    '',
    hasTrace
      ? '`"trace": true` against plain single requests (p50 latency; throughput): ' +
        `${traceAgainstPlain.join(' · ')}.\n`
      : '',
    anyErrors ? '\n**Some runs had errors: the server must answer every request.**' : '',
    '',
    '![Throughput](charts/load-throughput.svg)',
    '',
    '![Latency under load](charts/load-latency.svg)',
    '',
  ];
}
