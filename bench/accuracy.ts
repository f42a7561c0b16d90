/**
 * Accuracy on the IMDB test split, all scorers in this run: the served int8 model and its float version
 * (train/evaluate.ts, which also runs AFINN and VADER), then each GRU/LSTM variant's int8 model (and its float
 * version with --variant-float: tfjs float scoring of 25,000 reviews takes minutes per model on two cores).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ClassificationMetrics } from '../src/model/metadata.ts';
import { loadFloatModel } from '../train/artifacts.ts';
import type { Review } from '../train/data.ts';
import { evaluate, scoreWithOnnx } from '../train/evaluate.ts';
import { LEXICONS } from '../train/lexicon.ts';
import { classificationMetrics } from '../train/metrics.ts';
import { openModelFolder } from '../train/model-folder.ts';
import type { NbsvmModel } from '../train/nbsvm/model.ts';
import { scoreWithTfjs } from '../train/score-tfjs.ts';
import { COMPARED_CELLS, cellName, floatId, int8Id, LEXICON_NAMES, type ModelDir, NBSVM } from './models.ts';
import { int, seconds, table } from './stats.ts';
import { barChart } from './svg.ts';

export interface AccuracyRow {
  /**
   * Stable key: "served-int8", "served-float", "nbsvm-int8", "afinn", "vader", "<variant>-int8", "<variant>-float",
   * or a compared cell that has no model ("lstm").
   */
  id: string;
  /** As the table names it, e.g. "SimpleRNN (served), int8 ONNX" or "AFINN (sentiment)". */
  label: string;
  /** As the chart names it, e.g. "SimpleRNN, int8 ONNX" or "AFINN". */
  short: string;
  /** null: not trained / not available, with the reason. */
  metrics: ClassificationMetrics | null;
  note?: string;
}

export interface AccuracyResult {
  reviews: number;
  split: string;
  rows: AccuracyRow[];
  floatParity?: { reviews: number; maxAbsDiff: number };
  /** The NBSVM baseline trained on the served model's training split: int8 size and training time. */
  baseline?: { bytes: number; trainExamples: number; seconds: number };
  seconds: number;
}

type Scorer = Pick<AccuracyRow, 'id' | 'label' | 'short'>;

const int8Row = (m: ModelDir): Scorer => ({
  id: int8Id(m),
  label: `${m.label}, int8 ONNX`,
  short: `${m.short}, int8 ONNX`,
});
const floatRow = (m: ModelDir): Scorer => ({
  id: floatId(m),
  label: `${m.label}, float tfjs`,
  short: `${m.short}, float tfjs`,
});
const nbsvmRow: Scorer = { id: NBSVM.id, label: `${NBSVM.label}, int8`, short: `${NBSVM.label}, int8` };
function lexiconRow(name: string): Scorer {
  const shown = LEXICON_NAMES[name];
  return shown
    ? { id: name, label: `${shown.label} (${shown.package})`, short: shown.label }
    : { id: name, label: name, short: name };
}

async function scoreModelDir(model: ModelDir, reviews: readonly Review[], withFloat: boolean): Promise<AccuracyRow[]> {
  const { dir } = model;
  const opened = await openModelFolder(dir);
  const examples = reviews.map((r) => ({ ids: opened.encode(r.text).ids, label: r.label }));
  const labels = reviews.map((r) => r.label);
  const rows: AccuracyRow[] = [];
  let start = performance.now();
  const int8 = await scoreWithOnnx(opened.runner, examples);
  rows.push({
    ...int8Row(model),
    metrics: classificationMetrics(int8, labels, (performance.now() - start) / reviews.length),
  });
  await opened.runner.release();
  if (!withFloat) return rows;
  if (existsSync(join(dir, 'float'))) {
    start = performance.now();
    const float = scoreWithTfjs(loadFloatModel(dir), examples, { progress: `${model.label}: tfjs float` });
    rows.push({
      ...floatRow(model),
      metrics: classificationMetrics(float, labels, (performance.now() - start) / reviews.length),
    });
  } else {
    rows.push({ ...floatRow(model), metrics: null, note: `no ${dir}/float` });
  }
  return rows;
}

export async function measureAccuracy(
  served: ModelDir,
  variants: readonly ModelDir[],
  reviews: readonly Review[],
  split: string,
  variantFloat: boolean,
  log: (line: string) => void,
): Promise<{ result: AccuracyResult; nbsvm?: NbsvmModel }> {
  const start = performance.now();
  const rows: AccuracyRow[] = [];
  let floatParity: AccuracyResult['floatParity'];
  let baseline: AccuracyResult['baseline'];
  let nbsvm: NbsvmModel | undefined;
  if (existsSync(join(served.dir, 'float'))) {
    const report = await evaluate(served.dir, reviews, log);
    // train/evaluate.ts's result keys; the lexicons are under their own names.
    const scorers: Record<string, Scorer> = {
      onnxInt8: int8Row(served),
      tfjsFloat: floatRow(served),
      nbsvmInt8: nbsvmRow,
    };
    for (const [key, metrics] of Object.entries(report.results))
      rows.push({ ...(scorers[key] ?? lexiconRow(key)), metrics });
    floatParity = report.floatParity;
    baseline = report.baseline;
    nbsvm = report.nbsvm;
  } else {
    log(`no ${served.dir}/float: the served model's float version is skipped`);
    rows.push(...(await scoreModelDir(served, reviews, true)));
    const labels = reviews.map((r) => r.label);
    for (const lexicon of LEXICONS) {
      const t = performance.now();
      const scores = reviews.map((r) => lexicon.score(r.text));
      rows.push({
        ...lexiconRow(lexicon.name),
        metrics: classificationMetrics(scores, labels, (performance.now() - t) / reviews.length, 0),
      });
    }
  }
  for (const variant of variants) {
    log(`accuracy: ${variant.label} (${variant.dir})`);
    rows.push(...(await scoreModelDir(variant, reviews, variantFloat)));
  }
  const present = new Set([served, ...variants].map((m) => m.metadata.architecture.cell));
  for (const cell of COMPARED_CELLS)
    if (!present.has(cell))
      rows.push({ id: cell, label: cellName(cell), short: cellName(cell), metrics: null, note: 'not trained' });
  const result = {
    reviews: reviews.length,
    split,
    rows,
    floatParity,
    ...(baseline ? { baseline } : {}),
    seconds: (performance.now() - start) / 1000,
  };
  return { result, ...(nbsvm ? { nbsvm } : {}) };
}

const f4 = (x: number) => x.toFixed(4);

export function renderAccuracy(a: AccuracyResult, footer: string, charts: Record<string, string>): string[] {
  const rows = a.rows.map((r) =>
    r.metrics
      ? [
          r.label,
          f4(r.metrics.accuracy),
          f4(r.metrics.precision),
          f4(r.metrics.recall),
          f4(r.metrics.f1),
          f4(r.metrics.rocAuc),
          r.metrics.msPerReview.toFixed(3),
        ]
      : [r.label, r.note ?? 'n/a', '', '', '', '', ''],
  );
  const measured = a.rows.filter((r) => r.metrics);
  charts['accuracy.svg'] = barChart({
    title: `Accuracy on the IMDB test split (${int(a.reviews)} reviews)`,
    unit: 'fraction',
    groups: measured.map((r) => r.short),
    series: [
      { name: 'accuracy', values: measured.map((r) => r.metrics!.accuracy) },
      { name: 'ROC AUC', values: measured.map((r) => r.metrics!.rocAuc) },
    ],
    format: (v) => v.toFixed(3),
    max: 1,
    footer,
  });
  return [
    '## Accuracy',
    '',
    `${a.split}, ${int(a.reviews)} reviews, every scorer in this run (${seconds(a.seconds)}). The models predict ` +
      'positive at score >= 0.5, the lexicons at polarity >= 0 (AFINN: comparative score, VADER: compound); ROC AUC ' +
      'uses the raw scores. ms/review is the scoring time over the whole split divided by its size (models: in ' +
      'batches of 64; lexicons: one by one).',
    '',
    table(['scorer', 'accuracy', 'precision', 'recall', 'F1', 'ROC AUC', 'ms/review'], rows),
    '',
    a.floatParity
      ? `Float ONNX vs float tfjs on ${a.floatParity.reviews} reviews: ` +
        `max |difference| ${a.floatParity.maxAbsDiff.toExponential(2)}.\n`
      : '',
    '![Accuracy](charts/accuracy.svg)',
    '',
  ];
}
