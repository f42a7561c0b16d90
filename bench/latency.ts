/**
 * Inference latency in this Node process: the model through onnxruntime-web on one thread (tokenize + run, as
 * a request does), and AFINN and VADER on the same texts. Texts of 10, 230 and 1,000 words one at a time, and
 * batches of 64 texts of 230 words in one call (a lexicon scores the 64 in a loop).
 */
import { splitWords } from '../src/tokenizer/index.ts';
import type { Review } from '../train/data.ts';
import { LEXICONS } from '../train/lexicon.ts';
import type { LoadedModel } from './models.ts';
import { median, percentile } from './stats.ts';
import { textsOfWords } from './texts.ts';

export interface LatencyCase {
  name: string;
  words: number;
  /** Texts per call. */
  batch: number;
  /** Word ids the served model reads per text (after truncation to its maxLength). */
  ids: number;
}

export interface Timing {
  p50: number;
  p99: number;
  mean: number;
  runs: number;
}

export interface LatencyResult {
  cases: LatencyCase[];
  /** Scorer name -> one timing per case (ms per call). */
  timings: Record<string, Timing[]>;
  /** Served model's tokenizer alone, p50 per call, one per case. */
  tokenizeP50: number[];
  models: string[];
  lexicons: string[];
  /** Word counts of the test split, to place 230 words. */
  split: { medianWords: number; meanWords: number };
  budgetMs: number;
}

type Run = (texts: readonly string[]) => unknown;

/** Calls `run` on the inputs in turn: a warm-up, then until the time budget is spent (at least `minRuns` times). */
async function time(
  run: Run,
  inputs: readonly (readonly string[])[],
  budgetMs: number,
  minRuns: number,
): Promise<Timing> {
  const warmUp = performance.now() + Math.min(300, budgetMs / 5);
  for (let i = 0; i < 5 || performance.now() < warmUp; i++) {
    const r = run(inputs[i % inputs.length]!);
    if (r instanceof Promise) await r;
  }
  const times: number[] = [];
  const end = performance.now() + budgetMs;
  for (let i = 0; times.length < minRuns || (performance.now() < end && times.length < 200_000); i++) {
    const t = performance.now();
    const r = run(inputs[i % inputs.length]!);
    if (r instanceof Promise) await r;
    times.push(performance.now() - t);
  }
  return {
    p50: median(times),
    p99: percentile(times, 99),
    mean: times.reduce((a, b) => a + b, 0) / times.length,
    runs: times.length,
  };
}

export async function measureLatency(
  models: readonly LoadedModel[],
  reviews: readonly Review[],
  budgetMs: number,
  log: (line: string) => void,
  /** Other scorers of texts, e.g. the NBSVM baseline. */
  others: readonly { name: string; score(texts: readonly string[]): unknown }[] = [],
): Promise<LatencyResult> {
  const served = models[0]!;
  const maxLength = served.metadata.tokenizer.maxLength;
  const counts = reviews.map((r) => splitWords(r.text).length);
  const split = { medianWords: median(counts), meanWords: counts.reduce((a, b) => a + b, 0) / counts.length };

  const specs = [
    { name: '10 words', words: 10, batch: 1 },
    { name: '230 words', words: 230, batch: 1 },
    { name: '1,000 words', words: 1000, batch: 1 },
    { name: 'batch of 64 × 230 words', words: 230, batch: 64 },
  ];
  const cases: LatencyCase[] = specs.map((s) => ({ ...s, ids: Math.min(s.words, maxLength) }));
  // 64 distinct texts per size; a batch case cycles through 4 different batches.
  const inputs = specs.map((s) => {
    const texts = textsOfWords(reviews, s.words, s.batch === 1 ? 64 : s.batch * 4);
    return s.batch === 1 ? texts.map((t) => [t]) : [0, 1, 2, 3].map((k) => texts.slice(k * s.batch, (k + 1) * s.batch));
  });

  const scorers: { name: string; run: Run }[] = [
    ...models.map((m) => ({ name: m.label, run: (texts: readonly string[]) => m.score(texts) })),
    ...others.map((o) => ({ name: o.name, run: (texts: readonly string[]) => void o.score(texts) })),
    ...LEXICONS.map((l) => ({
      name: l.name === 'afinn' ? 'AFINN' : 'VADER',
      run: (texts: readonly string[]) => {
        for (const text of texts) l.score(text);
      },
    })),
  ];
  const timings: Record<string, Timing[]> = {};
  for (const scorer of scorers) {
    timings[scorer.name] = [];
    for (const [i, c] of cases.entries()) {
      const timing = await time(scorer.run, inputs[i]!, c.batch > 1 ? budgetMs * 2 : budgetMs, c.batch > 1 ? 20 : 50);
      timings[scorer.name]!.push(timing);
      log(
        `latency: ${scorer.name}, ${c.name}: p50 ${timing.p50.toFixed(3)} ms, p99 ${timing.p99.toFixed(3)} ms (${timing.runs} runs)`,
      );
    }
  }
  const tokenizeP50: number[] = [];
  for (const [i, c] of cases.entries()) {
    const t = await time(
      (texts) => texts.forEach((text) => served.model.encode(text)),
      inputs[i]!,
      Math.min(500, budgetMs / 2),
      c.batch > 1 ? 20 : 50,
    );
    tokenizeP50.push(t.p50);
  }
  return {
    cases,
    timings,
    tokenizeP50,
    models: models.map((m) => m.label),
    lexicons: ['AFINN', 'VADER'],
    split,
    budgetMs,
  };
}
