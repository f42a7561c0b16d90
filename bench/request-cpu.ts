/**
 * CPU per request: the Worker's own request path (app.request: routing, body parsing and validation, tokenizer,
 * ONNX Runtime runs, JSON answer) in Node, which runs the same onnxruntime-web wasm kernels as workerd, timed
 * with the thread's CPU clock. workerd's own clocks do not advance during a request, so this is how a
 * request's CPU is measured against Cloudflare's per-request limit.
 */
import { createApp } from '../src/worker/app.ts';
import { warmUp } from '../src/worker/warm-up.ts';
import { openModelFolder } from '../train/model-folder.ts';
import { threadCpuMs } from './cpu-clock.ts';
import { runProbe } from './probe.ts';
import { median, percentile } from './stats.ts';

/** A POST /api/sentiment with these texts, or a GET of `get` (a path with its query). */
export type RequestShape = { label: string } & ({ texts: string[]; trace: boolean } | { get: string });

export interface RequestCpu {
  label: string;
  plan: string;
  /** Words the model reads for this request. */
  words: number;
  status: number;
  runs: number;
  medianMs: number;
  p99Ms: number;
  maxMs: number;
}

export type App = ReturnType<typeof createApp>;

/** The Worker's app on the model in `modelDir`, started as src/worker/index.ts starts it (warm-up included). */
export async function nodeApp(modelDir: string): Promise<App> {
  const model = openModelFolder(modelDir);
  const app = createApp({ metadata: (await model).metadata, model });
  await warmUp(app, await model);
  return app;
}

function body(shape: { texts: string[]; trace: boolean }): string {
  return JSON.stringify(
    shape.texts.length === 1
      ? { text: shape.texts[0], trace: shape.trace }
      : { texts: shape.texts, trace: shape.trace },
  );
}

/** One request's CPU (ms) and status. */
export async function timeRequest(
  app: App,
  shape: RequestShape,
  plan: string,
): Promise<{ ms: number; status: number }> {
  const [path, init] =
    'get' in shape
      ? [shape.get, {}]
      : ['/api/sentiment', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: body(shape) }];
  const start = threadCpuMs();
  const response = await app.request(`http://bench${path}`, init, { PLAN: plan });
  await response.text();
  return { ms: threadCpuMs() - start, status: response.status };
}

/**
 * Each shape `runs` times on one warm app, the shapes interleaved so that a slow stretch of the machine does
 * not land on one shape only; after `warmUpMs` of warm-up (V8 tiers hot wasm functions up in the first seconds).
 */
export async function measureRequestCpu(
  app: App,
  shapes: readonly RequestShape[],
  plan: string,
  options: { runs: number; warmUpMs: number; words: (shape: RequestShape) => number },
): Promise<RequestCpu[]> {
  for (const start = performance.now(); performance.now() - start < options.warmUpMs; ) {
    for (const shape of shapes) await timeRequest(app, shape, plan);
  }
  const times = shapes.map(() => [] as number[]);
  const statuses = shapes.map(() => 0);
  for (let i = 0; i < options.runs; i++) {
    for (const [s, shape] of shapes.entries()) {
      const { ms, status } = await timeRequest(app, shape, plan);
      times[s]!.push(ms);
      statuses[s] = status;
    }
  }
  return shapes.map((shape, s) => ({
    label: shape.label,
    plan,
    words: options.words(shape),
    status: statuses[s]!,
    runs: options.runs,
    medianMs: median(times[s]!),
    p99Ms: percentile(times[s]!, 99),
    maxMs: Math.max(...times[s]!),
  }));
}

/** The first request of a fresh process (nothing warm: wasm functions compile on first call), in a child process. */
export async function firstRequestCpu(modelDir: string, text: string): Promise<{ ms: number; status: number }> {
  return (await runProbe<{ ms: number; status: number }>('bench/first-request.ts', [modelDir], text)).result;
}
