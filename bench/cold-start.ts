/**
 * Cold start, three ways:
 * - the Worker: spawn `wrangler dev` (workerd) and POST /api/sentiment every 25 ms until one answers 200;
 * - onnxruntime-web and the model alone, in a fresh Node process (bench/init-probe.ts): import, first session
 *   (wasm instantiation + model), first run, and a second session for the model alone;
 * - session creation per graph optimisation level, in a fresh Node process (bench/session-probe.ts).
 */
import type { InferenceSession } from 'onnxruntime-web';
import { spawnDevServer } from '../scripts/dev-server.ts';
import { runProbe } from './probe.ts';
import { chartMs, median, ms, table } from './stats.ts';
import { barChart } from './svg.ts';

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

/** Milliseconds, from bench/init-probe.ts. */
export interface InitProbe {
  ortVersion: string;
  importOrt: number;
  /** Check the files + create the sessions: wasm compile and instantiate + model + the empty text's score. */
  firstSession: number;
  firstRun: number;
  /** The model again in the same process: the runtime already up. */
  secondSession: number;
  /** From the probe module's start to the first score. */
  total: number;
  /** Process spawn to the probe's answer, Node + tsx start-up included. */
  processTotal: number;
}

export type OptimizationLevel = NonNullable<InferenceSession.SessionOptions['graphOptimizationLevel']>;

/** CPU time of InferenceSession.create per graph and graph optimisation level, from bench/session-probe.ts. */
export interface SessionLevels {
  ortVersion: string;
  /** Sessions created per graph and level. */
  runs: number;
  /** The graphs' file names. */
  files: { scoring: string; trace?: string };
  /** The level the Worker's sessions use (src/model/runner.ts, SESSION_OPTIONS). */
  served: OptimizationLevel;
  /** CPU ms of each creation; no trace figures for a model without a trace graph. */
  levels: { level: OptimizationLevel; scoringCpuMs: number[]; traceCpuMs?: number[] }[];
}

export interface ColdStartResult {
  worker: WorkerColdStart[];
  init: InitProbe[];
  sessions: SessionLevels;
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

/** Sessions created per graph and level: a median of 5. */
const SESSION_RUNS = 5;

export async function measureColdStart(
  modelDir: string,
  text: string,
  runs: number,
  log: (line: string) => void,
): Promise<ColdStartResult> {
  const init: InitProbe[] = [];
  for (let i = 0; i < runs; i++) {
    const probe = await runProbe<Omit<InitProbe, 'processTotal'>>('bench/init-probe.ts', [modelDir]);
    init.push({ ...probe.result, processTotal: probe.ms });
    const first = ms(probe.result.firstSession);
    log(`cold start: ORT + model in a fresh Node process ${i + 1}/${runs}: first session ${first}`);
  }
  const { result: sessions } = await runProbe<SessionLevels>('bench/session-probe.ts', [
    modelDir,
    String(SESSION_RUNS),
  ]);
  for (const l of sessions.levels) {
    const trace = l.traceCpuMs ? `, trace graph ${ms(median(l.traceCpuMs))}` : '';
    log(`cold start: session creation, level ${l.level}: scoring graph ${ms(median(l.scoringCpuMs))} CPU${trace}`);
  }
  const worker: WorkerColdStart[] = [];
  for (let i = 0; i < runs; i++) {
    worker.push(await workerColdStart(text));
    log(`cold start: wrangler dev ${i + 1}/${runs}: first 200 after ${worker.at(-1)!.firstAnswer.toFixed(0)} ms`);
  }
  return { worker, init, sessions };
}

function sessionLevelsTable(s: SessionLevels): string[] {
  const hasTrace = s.files.trace !== undefined;
  return [
    `Session creation per graph optimisation level: a fresh Node process (bench/session-probe.ts) starts ` +
      `onnxruntime-web ${s.ortVersion} with one session (not counted), then creates each graph's session ` +
      `${s.runs} times per level, the levels taking turns, and times each \`InferenceSession.create\` with the ` +
      "thread's CPU clock; median. The Worker uses " +
      `'${s.served}' (src/model/runner.ts, SESSION_OPTIONS).`,
    '',
    table(
      [
        'graph optimisation',
        `scoring graph (${s.files.scoring}), CPU`,
        ...(hasTrace ? [`trace graph (${s.files.trace}), CPU`] : []),
      ],
      s.levels.map((l) => [
        l.level === s.served ? `${l.level} (the Worker's)` : l.level,
        ms(median(l.scoringCpuMs)),
        ...(hasTrace ? [l.traceCpuMs ? ms(median(l.traceCpuMs)) : 'n/a'] : []),
      ]),
    ),
    '',
  ];
}

export function renderColdStart(c: ColdStartResult, footer: string, charts: Record<string, string>): string[] {
  const med = <T>(rows: readonly T[], pick: (r: T) => number) => median(rows.map(pick));
  const span = <T>(rows: readonly T[], pick: (r: T) => number) => {
    const values = rows.map(pick);
    return values.length > 1 ? `${ms(Math.min(...values))} – ${ms(Math.max(...values))}` : '';
  };
  const items: [string, number, string][] = [];
  const add = <T>(label: string, rows: readonly T[], pick: (r: T) => number) =>
    rows.length && items.push([label, med(rows, pick), span(rows, pick)]);
  add('`wrangler dev` spawned → first 200 from POST /api/sentiment', c.worker, (r) => r.firstAnswer);
  add('`wrangler dev` spawned → "Ready on" printed', c.worker, (r) => r.ready);
  add('the request that got the first 200', c.worker, (r) => r.firstRequest);
  add('the next request (warm)', c.worker, (r) => r.nextRequest);
  add('fresh Node: import onnxruntime-web', c.init, (r) => r.importOrt);
  add('fresh Node: first session (wasm compile + instantiate + model)', c.init, (r) => r.firstSession);
  add('fresh Node: first inference', c.init, (r) => r.firstRun);
  add('second session in the same process (the model alone)', c.init, (r) => r.secondSession);
  add('fresh Node: import → first score', c.init, (r) => r.total);
  add('fresh Node: process spawn → first score (Node + tsx start-up included)', c.init, (r) => r.processTotal);
  charts['cold-start.svg'] = barChart({
    title: 'Cold start (median)',
    unit: 'ms',
    groups: ['wrangler dev → 1st 200', 'ORT import', 'first session', 'model alone', 'import → 1st score'],
    series: [
      {
        name: 'median',
        values: [
          med(c.worker, (r) => r.firstAnswer),
          med(c.init, (r) => r.importOrt),
          med(c.init, (r) => r.firstSession),
          med(c.init, (r) => r.secondSession),
          med(c.init, (r) => r.total),
        ],
      },
    ],
    log: true,
    format: chartMs,
    footer,
  });
  return [
    '## Cold start',
    '',
    `The Worker: \`wrangler dev\` (workerd) spawned ${c.worker.length} time(s); POST /api/sentiment every 25 ms ` +
      'until one answers 200 (the Worker starts loading the model at isolate start-up). onnxruntime-web and the ' +
      `model alone: a fresh Node process (bench/init-probe.ts) ${c.init.length} time(s), timing the import, the ` +
      'first InferenceSession (which compiles and instantiates the wasm runtime, then loads the model), the first ' +
      'inference, and a second session (the model alone). Median, with the range.',
    '',
    table(
      ['step', 'median', 'range'],
      items.map(([label, value, range]) => [label, ms(value), range]),
    ),
    '',
    ...sessionLevelsTable(c.sessions),
    '![Cold start](charts/cold-start.svg)',
    '',
  ];
}
