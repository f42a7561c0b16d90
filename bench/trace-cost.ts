/**
 * What `"trace": true` costs per request, in this Node process, through the Worker's own code: SentimentModel
 * (src/model: onnxruntime-web's wasm build on one thread) and analyse() (src/worker/sentiment: tokenize, one run,
 * the results), then JSON.stringify as c.json does. A plain request and a trace request of the same texts
 * alternate (ABBA order, so drift on a busy machine hits both alike); medians per kind. A plain request runs the
 * scoring graph only; a trace request also fetches the recurrent states, runs the small trace graph on them, and
 * builds and serialises the longer answer.
 */
import type { SentimentModel } from '../src/model/sentiment-model.ts';
import { plan } from '../src/worker/contract/limits.ts';
import { analyseBatch } from '../src/worker/sentiment/analyse.ts';
import type { Review } from '../train/data.ts';
import { openModelFolder } from '../train/model-folder.ts';
import { chartMs, int, ms, signedPercent, type Timing, table, timing } from './stats.ts';
import { barChart } from './svg.ts';
import { caseChartName, caseInputs, TEXT_CASES, type TextCase } from './texts.ts';

export interface TraceCostCase extends TextCase {
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
  budgetMs: number;
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
    budgetMs,
  };
  if (!model.hasTrace) {
    log(`trace cost: ${model.name} has no trace output (bidirectional): nothing to measure`);
    return result;
  }
  const maxLength = model.metadata.tokenizer.maxLength;
  for (const spec of TEXT_CASES) {
    const inputs = caseInputs(reviews, spec);
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
        `(${extra >= 0 ? '+' : ''}${(100 * extra).toFixed(1)}%; ` +
        `${plain.runs} pairs; ` +
        `answer ${bytes.plain} → ${bytes.trace} bytes)`,
    );
  }
  return result;
}

export function renderTraceCost(t: TraceCostResult, footer: string, charts: Record<string, string>): string[] {
  const heading = '### `"trace": true` against a plain request';
  if (!t.available)
    return [heading, '', `The served model (${t.model}) has no trace output (bidirectional): nothing to measure.`, ''];
  const rows = t.cases.map((c) => [
    c.name,
    int(c.ids),
    ms(c.plain.p50),
    ms(c.trace.p50),
    signedPercent(c.extra),
    ms(c.plain.p99),
    ms(c.trace.p99),
    `${int(c.bytes.plain)} → ${int(c.bytes.trace)}`,
    int(c.plain.runs),
  ]);
  charts['trace-cost.svg'] = barChart({
    title: 'Time per request: plain vs "trace": true (Worker code in Node, p50)',
    unit: 'ms',
    groups: t.cases.map(caseChartName),
    series: [
      { name: 'plain', values: t.cases.map((c) => c.plain.p50) },
      { name: '"trace": true', values: t.cases.map((c) => c.trace.p50) },
    ],
    log: true,
    format: chartMs,
    footer,
  });
  return [
    heading,
    '',
    "The Worker's own request code in this Node process (src/model's SentimentModel on onnxruntime-web's wasm " +
      'build, one thread, and src/worker/sentiment: tokenize, the runs, the results, then JSON.stringify as the ' +
      'route does), without HTTP: a plain request and the same request with `"trace": true` alternate (ABBA ' +
      'order) on the texts above; p50 and p99 per kind. A plain request runs the scoring graph only; a trace ' +
      'request also fetches the recurrent states, runs the small trace graph on them and serialises the longer ' +
      'answer. Since plain scoring stopped computing the trace, the extra is a larger share of a smaller plain ' +
      'request: the trace is no longer paid by every request, so the percentage is not a cost that grew.',
    '',
    table(
      [
        'texts',
        'ids',
        'plain p50',
        'trace p50',
        'extra',
        'plain p99',
        'trace p99',
        'answer bytes (plain → trace)',
        'pairs',
      ],
      rows,
    ),
    '',
    '![Trace cost](charts/trace-cost.svg)',
    '',
  ];
}
