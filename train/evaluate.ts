/**
 * Scores the IMDB test split with the exported int8 ONNX model (onnxruntime-web, the Worker's runtime), the
 * float tfjs model and the lexicon tools, and checks that float ONNX and float tfjs agree.
 */
import * as tf from '@tensorflow/tfjs';
import type { ClassificationMetrics } from '../src/model/metadata.ts';
import type { ModelRunner } from '../src/model/runner.ts';
import type { SentimentModel } from '../src/model/sentiment-model.ts';
import { loadFloatModel } from './artifacts.ts';
import { type Baseline, trainBaseline } from './baseline.ts';
import type { Example } from './batches.ts';
import type { Review } from './data.ts';
import { LEXICONS } from './lexicon.ts';
import { classificationMetrics } from './metrics.ts';
import { openModelFolder } from './model-folder.ts';
import type { NbsvmModel } from './nbsvm/model.ts';
import { exportOnnx } from './onnx/index.ts';
import { runnerFor } from './onnx/session.ts';
import { ProgressBar } from './progress.ts';
import { scoreWithTfjs } from './score-tfjs.ts';

export const EXAMPLE_SENTENCES = [
  'The food is good',
  'The food is bad',
  'The food is not good',
  'This movie was not bad at all',
];

/** Scores with ONNX (the runner packs rows of similar length into each run); NaN for an example with no words. */
export async function scoreWithOnnx(
  runner: ModelRunner,
  examples: readonly Example[],
  label?: string,
): Promise<Float32Array> {
  const rows = examples.map((_, i) => i).filter((i) => examples[i]!.ids.length > 0);
  const scores = new Float32Array(examples.length).fill(Number.NaN);
  const bar = label ? new ProgressBar(label, rows.length) : undefined;
  const chunk = 512; // progress granularity
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    const values = await runner.score(part.map((p) => examples[p]!.ids));
    part.forEach((p, k) => (scores[p] = values[k]!));
    bar?.update(Math.min(rows.length, i + chunk), '');
  }
  return scores;
}

export interface BehaviourCheck {
  check: string;
  passed: boolean;
  detail: string;
}

export interface EvaluationReport {
  results: Record<string, ClassificationMetrics>;
  /** The NBSVM baseline, trained on the model's own training split: its size (int8) and training time. */
  baseline?: { bytes: number; trainExamples: number; seconds: number };
  floatParity: { reviews: number; maxAbsDiff: number };
  examples: { text: string; score: number }[];
  behaviour: BehaviourCheck[];
}

export async function evaluate(
  modelDir: string,
  reviews: readonly Review[],
  log: (line: string) => void,
  options: { baseline?: boolean } = {},
): Promise<EvaluationReport & { nbsvm?: NbsvmModel }> {
  const model = await openModelFolder(modelDir);
  const { metadata } = model;
  const examples: Example[] = reviews.map((r) => ({ ids: model.encode(r.text).ids, label: r.label }));
  const labels = reviews.map((r) => r.label);
  const results: Record<string, ClassificationMetrics> = {};

  let start = performance.now();
  const int8 = await scoreWithOnnx(model.runner, examples, 'onnx int8');
  results.onnxInt8 = classificationMetrics(int8, labels, (performance.now() - start) / reviews.length);

  const floatModel = loadFloatModel(modelDir);
  log(`tfjs float: backend ${tf.getBackend()}`);
  start = performance.now();
  const float = scoreWithTfjs(floatModel, examples, { progress: 'tfjs float' });
  results.tfjsFloat = classificationMetrics(float, labels, (performance.now() - start) / reviews.length);

  // Float ONNX against float tfjs on 100 reviews: the export itself must not change the function.
  const floatRunner = await runnerFor(
    exportOnnx(floatModel, metadata.architecture, { quantize: false }),
    metadata.tokenizer.maxLength,
  );
  const sample = examples.slice(0, 100);
  const onnxFloat = await scoreWithOnnx(floatRunner, sample);
  const maxAbsDiff = sample.reduce((m, _, i) => Math.max(m, Math.abs(onnxFloat[i]! - float[i]!)), 0);

  for (const lexicon of LEXICONS) {
    log(`${lexicon.name}...`);
    start = performance.now();
    const scores = reviews.map((r) => lexicon.score(r.text));
    results[lexicon.name] = classificationMetrics(scores, labels, (performance.now() - start) / reviews.length, 0);
  }

  let baseline: Baseline | undefined;
  if (options.baseline ?? true) {
    baseline = trainBaseline(metadata, modelDir, log);
    start = performance.now();
    const scores = baseline.model.score(reviews.map((r) => r.text));
    results.nbsvmInt8 = classificationMetrics(scores, labels, (performance.now() - start) / reviews.length);
  }

  const sentenceScores = await model.runner.score(EXAMPLE_SENTENCES.map((text) => model.encode(text).ids));
  const behaviour = await behaviourChecks(model);
  return {
    results,
    ...(baseline
      ? {
          baseline: { bytes: baseline.bytes, trainExamples: baseline.trainExamples, seconds: baseline.seconds },
          nbsvm: baseline.model,
        }
      : {}),
    floatParity: { reviews: sample.length, maxAbsDiff },
    examples: EXAMPLE_SENTENCES.map((text, i) => ({ text, score: sentenceScores[i]! })),
    behaviour,
  };
}

/** What the trained model should have learned about negation, checked on its own answers. */
export async function behaviourChecks(model: SentimentModel): Promise<BehaviourCheck[]> {
  const text = 'The food is not good';
  const encoded = model.encode(text);
  const [score] = await model.score([encoded]);
  const checks: BehaviourCheck[] = [
    { check: `"${text}" is negative`, passed: score! < 0.5, detail: `score ${score!.toFixed(4)}` },
  ];
  if (model.hasTrace) {
    // The largest fall of its trace comes at "not" or at the "good" it negates.
    const { trace } = (await model.trace([encoded]))[0]!;
    let fall = 1;
    trace.forEach((s, t) => {
      if (t > 0 && s - trace[t - 1]! < trace[fall]! - trace[fall - 1]!) fall = t;
    });
    const word = encoded.words[fall]!;
    const drop = trace[fall]! - trace[fall - 1]!;
    checks.push({
      check: `"${text}": the largest fall of the score after each word is at "not" or "good"`,
      passed: drop < 0 && (word === 'not' || word === 'good'),
      detail: `largest fall ${drop.toFixed(4)} at "${encoded.tokens[fall]}"`,
    });
  }
  return checks;
}

export function formatTable(results: Record<string, ClassificationMetrics>): string {
  const header = '| scorer | accuracy | precision | recall | F1 | ROC AUC | TP | FP | TN | FN | ms/review |';
  const rows = Object.entries(results).map(
    ([name, m]) =>
      `| ${name} | ${m.accuracy.toFixed(4)} | ${m.precision.toFixed(4)} | ${m.recall.toFixed(4)} | ${m.f1.toFixed(4)} | ${m.rocAuc.toFixed(4)} | ${m.confusion.truePositive} | ${m.confusion.falsePositive} | ${m.confusion.trueNegative} | ${m.confusion.falseNegative} | ${m.msPerReview.toFixed(3)} |`,
  );
  return [header, '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |', ...rows].join('\n');
}
