/**
 * What `"trace": true` costs per request, in this Node process, through the Worker's own code: SentimentModel
 * (src/model: onnxruntime-web's wasm build on one thread) and analyse() (src/worker/api: tokenize, one run, the results), then JSON.stringify as c.json
 * does. A plain request and a trace request of the same texts alternate (ABBA order, so drift on a busy
 * machine hits both alike); medians per kind. onnxruntime-web computes every node of the graph whatever the
 * fetch list, so the trace's arithmetic is in both; the difference is copying the trace out and building and
 * serialising the bigger answer. The limit: at most 20% more time per request than a plain one.
 */
import type { SentimentModel } from '../src/model/sentiment-model.ts';
import { plan } from '../src/worker/contract/limits.ts';
import { analyseBatch } from '../src/worker/sentiment/analyse.ts';
import type { Review } from '../train/data.ts';
import { openModelFolder } from '../train/model-folder.ts';
import type { Timing } from './latency.ts';
import { median, percentile } from './stats.ts';
import { textsOfWords } from './texts.ts';

/** The limit on a trace request's extra time over a plain one (p50). */
export const TRACE_COST_LIMIT = 0.2;

export interface TraceCostCase {
  name: string;
  words: number;
  /** Texts per request. */
  batch: number;
  /** Words the model reads per text (after truncation to its maxLength). */
  ids: number;
  /** Response bytes (the first input): plain and with the trace. */
  bytes: { plain: number; trace: number };
  plain: Timing;
  trace: Timing;
  /** trace p50 ÷ plain p50 − 1: the extra time per request. */
  extra: number;
}

export interface TraceCostResult {
  model: string;
  /** False when the served model has no trace output (bidirectional): nothing measured. */
  available: boolean;
  cases: TraceCostCase[];
  limit: number;
  budgetMs: number;
}

function timing(times: number[]): Timing {
  return {
    p50: median(times),
    p99: percentile(times, 99),
    mean: times.reduce((a, b) => a + b, 0) / times.length,
    runs: times.length,
  };
}

export async function measureTraceCost(
  dir: string,
  reviews: readonly Review[],
  budgetMs: number,
  log: (line: string) => void,
): Promise<TraceCostResult> {
  const model: SentimentModel = await openModelFolder(dir);
  const result: TraceCostResult = {
    model: model.name,
    available: model.hasTrace,
    cases: [],
    limit: TRACE_COST_LIMIT,
    budgetMs,
  };
  if (!model.hasTrace) {
    log(`trace cost: ${model.name} has no trace output (bidirectional): nothing to measure`);
    return result;
  }
  const maxLength = model.metadata.tokenizer.maxLength;
  const specs = [
    { name: '10 words', words: 10, batch: 1 },
    { name: '230 words', words: 230, batch: 1 },
    { name: '1,000 words', words: 1000, batch: 1 },
    { name: 'batch of 64 × 230 words', words: 230, batch: 64 },
  ];
  for (const spec of specs) {
    const texts = textsOfWords(reviews, spec.words, spec.batch === 1 ? 64 : spec.batch * 4);
    const inputs =
      spec.batch === 1
        ? texts.map((t) => [t])
        : [0, 1, 2, 3].map((k) => texts.slice(k * spec.batch, (k + 1) * spec.batch));
    // What the route answers: one result for a single text, {results, model} for a batch.
    const request = async (batch: readonly string[], trace: boolean) => {
      const results = await analyseBatch(model, batch, { trace, plan: plan('paid', maxLength) });
      return JSON.stringify(spec.batch === 1 ? results[0] : { results, model: model.name });
    };
    const bytes = { plain: (await request(inputs[0]!, false)).length, trace: (await request(inputs[0]!, true)).length };
    const times = { plain: [] as number[], trace: [] as number[] };
    const timed = async (kind: 'plain' | 'trace', batch: readonly string[], keep: boolean) => {
      const t = performance.now();
      await request(batch, kind === 'trace');
      if (keep) times[kind].push(performance.now() - t);
    };
    const budget = spec.batch > 1 ? budgetMs * 4 : budgetMs * 2; // both kinds together
    const minPairs = spec.batch > 1 ? 20 : 50;
    const warmUp = Math.max(5, Math.min(50, Math.round(minPairs / 2)));
    const end = performance.now() + budget;
    for (let i = 0; i < warmUp + minPairs || (performance.now() < end && i < 100_000); i++) {
      const batch = inputs[i % inputs.length]!;
      const keep = i >= warmUp;
      // ABBA: plain first on even rounds, trace first on odd ones.
      const order: ('plain' | 'trace')[] = i % 2 === 0 ? ['plain', 'trace'] : ['trace', 'plain'];
      for (const kind of order) await timed(kind, batch, keep);
    }
    const plain = timing(times.plain);
    const trace = timing(times.trace);
    const extra = trace.p50 / plain.p50 - 1;
    result.cases.push({ ...spec, ids: Math.min(spec.words, maxLength), bytes, plain, trace, extra });
    log(
      `trace cost: ${spec.name}: plain p50 ${plain.p50.toFixed(3)} ms, "trace": true p50 ${trace.p50.toFixed(3)} ms ` +
        `(${extra >= 0 ? '+' : ''}${(100 * extra).toFixed(1)}%, limit +${100 * TRACE_COST_LIMIT}%; ${plain.runs} pairs; ` +
        `answer ${bytes.plain} → ${bytes.trace} bytes)`,
    );
  }
  return result;
}
