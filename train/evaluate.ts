/**
 * Scores the IMDB test split with the exported int8 ONNX model (onnxruntime-web, the Worker's runtime), the
 * float tfjs model and the lexicon tools, and checks that float ONNX and float tfjs agree.
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClassificationMetrics, ModelMetadata } from '../src/model/metadata.ts';
import { encode, Vocabulary, type VocabularyFile } from '../src/tokenizer/index.ts';
import type { Example } from './batches.ts';
import { loadFloatModel, readMetadata } from './artifacts.ts';
import type { Review } from './data.ts';
import { LEXICONS } from './lexicon.ts';
import { classificationMetrics } from './metrics.ts';
import { exportOnnx } from './onnx/index.ts';
import { createSession, scoreIds } from './onnx/session.ts';
import { ProgressBar } from './progress.ts';
import { scoreWithTfjs } from './score-tfjs.ts';

export const EXAMPLE_SENTENCES = ['The food is good', 'The food is bad', 'The food is not good', 'This movie was not bad at all'];

type OrtSession = Awaited<ReturnType<typeof createSession>>;

/** Scores with ONNX in batches of similar length (the graph makes padding irrelevant; similar lengths waste less). */
export async function scoreWithOnnx(session: OrtSession, examples: readonly Example[], batchSize = 64, label?: string): Promise<Float32Array> {
  const order = examples.map((_, i) => i).filter((i) => examples[i]!.ids.length > 0).sort((a, b) => examples[a]!.ids.length - examples[b]!.ids.length);
  const scores = new Float32Array(examples.length).fill(Number.NaN);
  const bar = label ? new ProgressBar(label, order.length) : undefined;
  for (let i = 0; i < order.length; i += batchSize) {
    const chunk = order.slice(i, i + batchSize);
    const values = await scoreIds(session, chunk.map((p) => examples[p]!.ids));
    chunk.forEach((p, k) => (scores[p] = values[k]!));
    bar?.update(Math.min(order.length, i + batchSize), '');
  }
  return scores;
}

export interface EvaluationReport {
  results: Record<string, ClassificationMetrics>;
  floatParity: { reviews: number; maxAbsDiff: number };
  examples: { text: string; score: number }[];
}

export async function evaluate(modelDir: string, reviews: readonly Review[], log: (line: string) => void): Promise<EvaluationReport> {
  const metadata: ModelMetadata = readMetadata(modelDir);
  const vocabulary = new Vocabulary(JSON.parse(readFileSync(join(modelDir, metadata.tokenizer.vocabFile), 'utf8')) as VocabularyFile);
  const options = { maxLength: metadata.tokenizer.maxLength, truncation: metadata.tokenizer.truncation };
  const examples: Example[] = reviews.map((r) => ({ ids: encode(r.text, vocabulary, options).ids, label: r.label }));
  const labels = reviews.map((r) => r.label);
  const results: Record<string, ClassificationMetrics> = {};

  const session = await createSession(readFileSync(join(modelDir, metadata.onnx.file)));
  let start = performance.now();
  const int8 = await scoreWithOnnx(session, examples, 64, 'onnx int8');
  results.onnxInt8 = classificationMetrics(int8, labels, (performance.now() - start) / reviews.length);

  const floatModel = loadFloatModel(modelDir);
  log(`tfjs float (backend ${tf.getBackend()})...`);
  start = performance.now();
  const float = scoreWithTfjs(floatModel, examples);
  results.tfjsFloat = classificationMetrics(float, labels, (performance.now() - start) / reviews.length);

  // Float ONNX against float tfjs on 100 reviews: the export itself must not change the function.
  const floatSession = await createSession(exportOnnx(floatModel, metadata.architecture, { quantize: false }).bytes);
  const sample = examples.slice(0, 100);
  const onnxFloat = await scoreWithOnnx(floatSession, sample);
  const maxAbsDiff = sample.reduce((m, _, i) => Math.max(m, Math.abs(onnxFloat[i]! - float[i]!)), 0);

  for (const lexicon of LEXICONS) {
    log(`${lexicon.name}...`);
    start = performance.now();
    const scores = reviews.map((r) => lexicon.score(r.text));
    results[lexicon.name] = classificationMetrics(scores, labels, (performance.now() - start) / reviews.length, 0);
  }

  const sentenceScores = await scoreIds(session, EXAMPLE_SENTENCES.map((text) => encode(text, vocabulary, options).ids));
  return {
    results,
    floatParity: { reviews: sample.length, maxAbsDiff },
    examples: EXAMPLE_SENTENCES.map((text, i) => ({ text, score: sentenceScores[i]! })),
  };
}

export function formatTable(results: Record<string, ClassificationMetrics>): string {
  const header = '| scorer | accuracy | precision | recall | F1 | ROC AUC | TP | FP | TN | FN | ms/review |';
  const rows = Object.entries(results).map(([name, m]) =>
    `| ${name} | ${m.accuracy.toFixed(4)} | ${m.precision.toFixed(4)} | ${m.recall.toFixed(4)} | ${m.f1.toFixed(4)} | ${m.rocAuc.toFixed(4)} | ${m.confusion.truePositive} | ${m.confusion.falsePositive} | ${m.confusion.trueNegative} | ${m.confusion.falseNegative} | ${m.msPerReview.toFixed(3)} |`,
  );
  return [header, '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |', ...rows].join('\n');
}
