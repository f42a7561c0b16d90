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
import { COMPARED_CELLS, cellName, type ModelDir } from './models.ts';

export interface AccuracyRow {
  scorer: string;
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

async function scoreModelDir(
  model: ModelDir,
  reviews: readonly Review[],
  withFloat: boolean,
  log: (line: string) => void,
): Promise<AccuracyRow[]> {
  const { dir } = model;
  const opened = await openModelFolder(dir);
  const examples = reviews.map((r) => ({ ids: opened.encode(r.text).ids, label: r.label }));
  const labels = reviews.map((r) => r.label);
  const rows: AccuracyRow[] = [];
  let start = performance.now();
  const int8 = await scoreWithOnnx(opened.runner, examples);
  rows.push({
    scorer: `${model.label}, int8 ONNX`,
    metrics: classificationMetrics(int8, labels, (performance.now() - start) / reviews.length),
  });
  await opened.runner.release();
  if (!withFloat) return rows;
  if (existsSync(join(dir, 'float'))) {
    log(`${model.label}: tfjs float...`);
    start = performance.now();
    const float = scoreWithTfjs(loadFloatModel(dir), examples);
    rows.push({
      scorer: `${model.label}, float tfjs`,
      metrics: classificationMetrics(float, labels, (performance.now() - start) / reviews.length),
    });
  } else {
    rows.push({ scorer: `${model.label}, float tfjs`, metrics: null, note: `no ${dir}/float` });
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
    const names: Record<string, string> = {
      onnxInt8: `${served.label}, int8 ONNX`,
      tfjsFloat: `${served.label}, float tfjs`,
      nbsvmInt8: 'NBSVM bigrams (baseline), int8',
      afinn: 'AFINN (sentiment)',
      vader: 'VADER (vader-sentiment)',
    };
    for (const [key, metrics] of Object.entries(report.results)) rows.push({ scorer: names[key] ?? key, metrics });
    floatParity = report.floatParity;
    baseline = report.baseline;
    nbsvm = report.nbsvm;
  } else {
    log(`no ${served.dir}/float: the served model's float version is skipped`);
    rows.push(...(await scoreModelDir(served, reviews, true, log)));
    const labels = reviews.map((r) => r.label);
    for (const lexicon of LEXICONS) {
      const t = performance.now();
      const scores = reviews.map((r) => lexicon.score(r.text));
      rows.push({
        scorer: lexicon.name === 'afinn' ? 'AFINN (sentiment)' : 'VADER (vader-sentiment)',
        metrics: classificationMetrics(scores, labels, (performance.now() - t) / reviews.length, 0),
      });
    }
  }
  for (const variant of variants) {
    log(`accuracy: ${variant.label} (${variant.dir})`);
    rows.push(...(await scoreModelDir(variant, reviews, variantFloat, log)));
  }
  const present = new Set([served, ...variants].map((m) => m.metadata.architecture.cell));
  for (const cell of COMPARED_CELLS)
    if (!present.has(cell)) rows.push({ scorer: cellName(cell), metrics: null, note: 'not trained' });
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
