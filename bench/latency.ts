/**
 * Inference latency in this Node process: the model through onnxruntime-web on one thread (tokenize + run, as
 * a request does), and AFINN and VADER on the same texts. Texts of 10, 230 and 1,000 words one at a time, and
 * batches of 64 texts of 230 words in one call (a lexicon scores the 64 in a loop).
 */
import { splitWords } from '../src/tokenizer/index.ts';
import type { Review } from '../train/data.ts';
import { LEXICONS } from '../train/lexicon.ts';
import { threadCpuMs } from './cpu-clock.ts';
import { int8Id, LEXICON_NAMES, type LoadedModel } from './models.ts';
import { chartMs, int, median, ms, ratio, type Timing, table, timing } from './stats.ts';
import { barChart } from './svg.ts';
import { caseChartName, caseInputs, TEXT_CASES, type TextCase } from './texts.ts';

export interface LatencyCase extends TextCase {
  /** Word ids the served model reads per text (after truncation to its maxLength). */
  ids: number;
}

/** served: the model in model/; variant: another model folder; baseline: NBSVM; lexicon: AFINN, VADER. */
export type ScorerKind = 'served' | 'variant' | 'baseline' | 'lexicon';

export interface LatencyScorer {
  /** Stable key, as in the accuracy section: "served-int8", "<variant>-int8", "nbsvm-int8", "afinn", "vader". */
  id: string;
  label: string;
  kind: ScorerKind;
}

export interface LatencyResult {
  cases: LatencyCase[];
  /** In the order measured: the served model first. */
  scorers: LatencyScorer[];
  /** Scorer id -> one timing per case (ms per call). */
  timings: Record<string, Timing[]>;
  /** Served model's tokenizer alone, p50 per call, one per case. */
  tokenizeP50: number[];
  /** The scoring run alone (ids -> scores), thread CPU per call: model id -> one timing per RUN_CASES entry. */
  runOnly: Record<string, Timing[]>;
  /** Word counts of the test split, to place 230 words. */
  split: { medianWords: number; meanWords: number };
  budgetMs: number;
}

type Run = (texts: readonly string[]) => unknown;

/**
 * Shapes for the scoring run alone: one typical review, and a few in one run (the targets: at most 0.6 ms and
 * 4 ms median).
 */
export const RUN_CASES = [
  { name: '1 × 230 words', words: 230, batch: 1, targetMs: 0.6 },
  { name: '8 × 230 words', words: 230, batch: 8, targetMs: 4 },
] as const;

/** Calls `run` on the inputs in turn: a warm-up, then until the time budget is spent (at least `minRuns` times). */
async function time<T>(
  run: (input: T) => unknown,
  inputs: readonly T[],
  budgetMs: number,
  minRuns: number,
  clock: () => number = () => performance.now(),
): Promise<Timing> {
  const warmUp = performance.now() + Math.min(300, budgetMs / 5);
  for (let i = 0; i < 5 || performance.now() < warmUp; i++) {
    const r = run(inputs[i % inputs.length]!);
    if (r instanceof Promise) await r;
  }
  const times: number[] = [];
  const end = performance.now() + budgetMs;
  for (let i = 0; times.length < minRuns || (performance.now() < end && times.length < 200_000); i++) {
    const t = clock();
    const r = run(inputs[i % inputs.length]!);
    if (r instanceof Promise) await r;
    times.push(clock() - t);
  }
  return timing(times);
}

/** `models`: the served model first, then the variants. */
export async function measureLatency(
  models: readonly LoadedModel[],
  reviews: readonly Review[],
  budgetMs: number,
  log: (line: string) => void,
  /** Other scorers of texts, e.g. the NBSVM baseline. */
  baselines: readonly { id: string; label: string; score(texts: readonly string[]): unknown }[] = [],
): Promise<LatencyResult> {
  const served = models[0]!;
  const maxLength = served.metadata.tokenizer.maxLength;
  const counts = reviews.map((r) => splitWords(r.text).length);
  const split = { medianWords: median(counts), meanWords: counts.reduce((a, b) => a + b, 0) / counts.length };

  const cases: LatencyCase[] = TEXT_CASES.map((c) => ({ ...c, ids: Math.min(c.words, maxLength) }));
  const inputs = cases.map((c) => caseInputs(reviews, c));

  const scorers: (LatencyScorer & { run: Run })[] = [
    ...models.map((m, i) => ({
      id: int8Id(m),
      label: m.label,
      kind: i === 0 ? ('served' as const) : ('variant' as const),
      run: (texts: readonly string[]) => m.score(texts),
    })),
    ...baselines.map((b) => ({
      id: b.id,
      label: b.label,
      kind: 'baseline' as const,
      run: (texts: readonly string[]) => void b.score(texts),
    })),
    ...LEXICONS.map((l) => ({
      id: l.name,
      label: LEXICON_NAMES[l.name]?.label ?? l.name,
      kind: 'lexicon' as const,
      run: (texts: readonly string[]) => {
        for (const text of texts) l.score(text);
      },
    })),
  ];
  const timings: Record<string, Timing[]> = {};
  for (const scorer of scorers) {
    timings[scorer.id] = [];
    for (const [i, c] of cases.entries()) {
      const t = await time(scorer.run, inputs[i]!, c.batch > 1 ? budgetMs * 2 : budgetMs, c.batch > 1 ? 20 : 50);
      timings[scorer.id]!.push(t);
      log(
        `latency: ${scorer.label}, ${c.name}: p50 ${t.p50.toFixed(3)} ms, p99 ${t.p99.toFixed(3)} ms (${t.runs} runs)`,
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
  // The run alone, on ids encoded beforehand, timed with the thread's CPU clock (the request-CPU measure).
  const runOnly: Record<string, Timing[]> = {};
  for (const m of models) {
    runOnly[int8Id(m)] = [];
    for (const c of RUN_CASES) {
      const ids = caseInputs(reviews, c).map((texts) => texts.map((text) => m.model.encode(text).ids));
      const t = await time((rows) => m.model.runner.score(rows), ids, budgetMs, 50, threadCpuMs);
      runOnly[int8Id(m)]!.push(t);
      log(`latency: ${m.label}, scoring run alone, ${c.name}: CPU p50 ${t.p50.toFixed(3)} ms (${t.runs} runs)`);
    }
  }
  return {
    cases,
    scorers: scorers.map(({ id, label, kind }) => ({ id, label, kind })),
    timings,
    tokenizeP50,
    runOnly,
    split,
    budgetMs,
  };
}

export function renderLatency(l: LatencyResult, footer: string, charts: Record<string, string>): string[] {
  const t = l.timings;
  const of = (kind: ScorerKind) => l.scorers.filter((s) => s.kind === kind);
  const served = of('served')[0]!;
  const lexicons = of('lexicon');
  const m = t[served.id]!;
  const rows = l.cases.map((c, i) => [
    c.name,
    int(c.ids),
    ms(m[i]!.p50),
    ms(m[i]!.p99),
    ms(l.tokenizeP50[i]!),
    ...lexicons.flatMap((x) => [ms(t[x.id]![i]!.p50), ms(t[x.id]![i]!.p99)]),
    ...lexicons.map((x) => ratio(m[i]!.p50 / t[x.id]![i]!.p50)),
    [m, ...lexicons.map((x) => t[x.id]!)].map((timings) => int(timings[i]!.runs)).join(' / '),
  ]);
  const perText = l.cases.flatMap((c, i) =>
    c.batch > 1
      ? [
          [
            `${c.name}, per text`,
            '',
            ms(m[i]!.p50 / c.batch),
            '',
            '',
            ...lexicons.flatMap((x) => [ms(t[x.id]![i]!.p50 / c.batch), '']),
            ...lexicons.map(() => ''),
            '',
          ],
        ]
      : [],
  );
  const names = lexicons.map((x) => x.label);
  const lines = [
    '## Inference latency (Node, onnxruntime-web, one thread)',
    '',
    "Milliseconds per call in this Node process: the served model tokenizes and runs through onnxruntime-web's wasm " +
      'on one thread (what the Worker does per request, without HTTP); AFINN and VADER score the same texts. Texts ' +
      'are real IMDB test reviews cut (or concatenated) to exactly N words as the tokenizer counts them; the model ' +
      `reads at most its maximum length (the "ids" column). The test split's median review has ` +
      `${int(l.split.medianWords)} words and its mean ${int(l.split.meanWords)}. A batch is one call with 64 texts ` +
      '(the model: one padded [64, time] tensor; the lexicons: a loop). Each figure is ' +
      `~${(l.budgetMs / 1000).toFixed(1)} s of back-to-back calls (batches twice that) after a warm-up, cycling ` +
      'through 64 different texts (4 different batches). The ratios are model p50 ÷ lexicon p50 (above 1×: the ' +
      'model is slower).',
    '',
    table(
      [
        'texts',
        'ids',
        'model p50',
        'model p99',
        'of which tokenize (p50)',
        ...names.flatMap((n) => [`${n} p50`, `${n} p99`]),
        ...names.map((n) => `model ÷ ${n}`),
        `calls (${['model', ...names].join(' / ')})`,
      ],
      [...rows, ...perText],
    ),
    '',
  ];
  const perCase = (title: string, scorers: readonly LatencyScorer[]) =>
    scorers.length === 0
      ? []
      : [
          title,
          '',
          table(
            ['texts', ...scorers.flatMap((s) => [`${s.label} p50`, `${s.label} p99`])],
            l.cases.map((c, i) => [c.name, ...scorers.flatMap((s) => [ms(t[s.id]![i]!.p50), ms(t[s.id]![i]!.p99)])]),
          ),
          '',
        ];
  const models = [served, ...of('variant')].filter((x) => l.runOnly[x.id]);
  lines.push(
    'The scoring run alone (word ids to scores through ONNX Runtime, no tokenizer, no trace), in thread CPU time ' +
      'per call (CLOCK_THREAD_CPUTIME_ID), p50 / p99, against its target:',
    '',
    table(
      ['run', ...models.map((x) => `${x.label} p50 / p99`), 'target (p50)'],
      RUN_CASES.map((c, i) => [
        c.name,
        ...models.map((x) => {
          const r = l.runOnly[x.id]![i]!;
          return `${ms(r.p50)} / ${ms(r.p99)}`;
        }),
        `≤ ${ms(c.targetMs)}`,
      ]),
    ),
    '',
    ...perCase('The baseline on the same texts, one call each (p50 / p99; features included):', of('baseline')),
    ...perCase('The variants on the same texts (model p50 / p99):', of('variant')),
  );
  for (const q of ['p50', 'p99'] as const) {
    charts[`latency-${q}.svg`] = barChart({
      title: `Latency ${q} per call, Node + onnxruntime-web (1 thread) vs lexicons`,
      unit: 'ms',
      groups: l.cases.map(caseChartName),
      series: [served, ...of('variant'), ...lexicons].map((s) => ({
        name: s.label,
        values: t[s.id]!.map((x) => x[q]),
      })),
      log: true,
      format: chartMs,
      footer,
    });
  }
  lines.push('![Latency p50](charts/latency-p50.svg)', '', '![Latency p99](charts/latency-p99.svg)', '');
  return lines;
}
