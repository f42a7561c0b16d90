/**
 * Training of the NBSVM baseline (Wang & Manning 2012, "Baselines and Bigrams"): naive Bayes log-count ratios r
 * over hashed, binarized unigrams + bigrams, then a linear classifier on x̃ = r ∘ x̂, chosen on validation among
 * - logistic regression, L2-regularised, by seeded mini-batch SGD;
 * - the paper's L2-regularised squared-hinge SVM (dual coordinate descent, as liblinear) with the weights
 *   interpolated towards their mean magnitude, w' = (1 - β) mean|w| + β w.
 * Both solvers are written here: the rows are sparse (~360 buckets of 2^18 a review) and tfjs has no sparse
 * matmul, so dense batches would do ~700 times the work of these loops.
 */
import type { ClassificationMetrics } from '../../src/model/metadata.ts';
import { classificationMetrics } from '../metrics.ts';
import { seededRandom } from '../random.ts';
import { DEFAULT_BITS, extractRows, FEATURES_NAME, HASH_NAME, type SparseRows } from './features.ts';
import { NbsvmModel } from './model.ts';

export interface LabelledText {
  text: string;
  /** 1 positive, 0 negative. */
  label: 0 | 1;
}

export type Classifier = 'logistic' | 'svm';

export interface NbsvmOptions {
  bits: number;
  /** Smoothing of the NB counts. */
  alpha: number;
  seed: number;
  classifiers: Classifier[];
  /** Logistic regression: L2 strengths λ tried, objective mean log loss + λ/2 |w|². */
  l2: number[];
  /** Logistic regression: validated after each epoch, up to this many. */
  epochs: number;
  batchSize: number;
  /** Logistic regression: initial SGD step, decayed as learningRate / (1 + learningRate λ t) over steps t. */
  learningRate: number;
  /** SVM: C values tried, objective |w|²/2 + C Σ max(0, 1 - y w·x̃)². */
  svmC: number[];
  /** SVM: passes of dual coordinate descent at most (fewer when the projected gradient is small). */
  svmEpochs: number;
  /**
   * SVM: interpolations towards the mean weight magnitude tried (the paper's 0.25; 1 is the plain SVM on x̃). They
   * cost no training: each is a different read-out of the same SVM weights.
   */
  betas: number[];
}

export const DEFAULT_OPTIONS: NbsvmOptions = {
  bits: DEFAULT_BITS,
  alpha: 1,
  seed: 42,
  classifiers: ['logistic', 'svm'],
  l2: [1e-5, 1e-4, 1e-3],
  epochs: 8,
  batchSize: 32,
  learningRate: 0.5,
  svmC: [0.01, 0.1, 1],
  svmEpochs: 30,
  betas: [0.25, 1],
};

/** One setting scored on validation. */
export interface Candidate {
  classifier: Classifier;
  /** λ for logistic regression, C for the SVM. */
  regularization: number;
  /** SVM: the interpolation β. */
  beta?: number;
  /** Epochs of SGD, or passes of the SVM's coordinate descent. */
  epochs: number;
  accuracy: number;
  rocAuc: number;
  /** Mean validation log loss of sigmoid(score) (for the SVM, of its raw margin). */
  logLoss: number;
}

export interface NbsvmTrainResult {
  model: NbsvmModel;
  quantized: NbsvmModel;
  choice: Candidate;
  candidates: Candidate[];
  /** Of the served float32 and int8 models, scored from text (features included). */
  validation: { float32: ClassificationMetrics; int8: ClassificationMetrics; maxAbsScoreDiff: number };
  trainExamples: number;
  validationExamples: number;
  seconds: { features: number; search: number; total: number };
}

export type Log = (line: string) => void;

/** NB log-count ratio r = log((p / |p|₁) / (q / |q|₁)), p = alpha + Σ x̂ over positive rows, q over negative. */
export function nbRatio(rows: SparseRows, labels: ArrayLike<number>, alpha: number): Float64Array {
  const dim = 1 << rows.bits;
  const p = new Float64Array(dim).fill(alpha);
  const q = new Float64Array(dim).fill(alpha);
  for (let i = 0; i + 1 < rows.offsets.length; i++) {
    const counts = labels[i] === 1 ? p : q;
    for (let k = rows.offsets[i]!; k < rows.offsets[i + 1]!; k++) counts[rows.indices[k]!]!++;
  }
  let pSum = 0;
  let qSum = 0;
  for (let j = 0; j < dim; j++) {
    pSum += p[j]!;
    qSum += q[j]!;
  }
  const r = new Float64Array(dim);
  const offset = Math.log(qSum / pSum);
  for (let j = 0; j < dim; j++) r[j] = Math.log(p[j]! / q[j]!) + offset;
  return r;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Shuffles 0..n-1 in place (Fisher-Yates). */
function shuffleInPlace(order: Int32Array, random: () => number): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
}

function identity(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}

/** Weights on x̂ (r folded in) and a bias, in float64, as the solvers hand them over after an epoch. */
export interface Folded {
  weights: Float64Array;
  bias: number;
}

/**
 * Logistic regression on x̃ = r ∘ x̂ by mini-batch SGD. The L2 shrinkage is applied lazily through a scale,
 * w = s·v, so a step costs the batch's non-zeros rather than all 2^bits weights.
 */
export function fitLogistic(
  rows: SparseRows,
  labels: ArrayLike<number>,
  r: Float64Array,
  settings: { l2: number; epochs: number; batchSize: number; learningRate: number; seed: number },
  onEpoch: (epoch: number, folded: Folded) => void,
): void {
  const { indices, offsets } = rows;
  const n = offsets.length - 1;
  const dim = r.length;
  const v = new Float64Array(dim);
  let s = 1;
  let bias = 0;
  let step = 0;
  const random = seededRandom(settings.seed);
  const order = identity(n);
  const z = new Float64Array(settings.batchSize);
  for (let epoch = 1; epoch <= settings.epochs; epoch++) {
    shuffleInPlace(order, random);
    for (let start = 0; start < n; start += settings.batchSize) {
      const end = Math.min(n, start + settings.batchSize);
      const eta = settings.learningRate / (1 + settings.learningRate * settings.l2 * step++);
      for (let b = start; b < end; b++) {
        const i = order[b]!;
        let dot = 0;
        for (let k = offsets[i]!; k < offsets[i + 1]!; k++) dot += v[indices[k]!]! * r[indices[k]!]!;
        z[b - start] = bias + s * dot;
      }
      s *= 1 - eta * settings.l2;
      if (s < 1e-9) {
        for (let j = 0; j < dim; j++) v[j]! *= s;
        s = 1;
      }
      let biasGradient = 0;
      for (let b = start; b < end; b++) {
        const i = order[b]!;
        const g = (sigmoid(z[b - start]!) - labels[i]!) / (end - start);
        biasGradient += g;
        const c = (eta * g) / s;
        for (let k = offsets[i]!; k < offsets[i + 1]!; k++) v[indices[k]!]! -= c * r[indices[k]!]!;
      }
      bias -= eta * biasGradient;
    }
    const weights = new Float64Array(dim);
    for (let j = 0; j < dim; j++) weights[j] = s * v[j]! * r[j]!;
    onEpoch(epoch, { weights, bias });
  }
}

/** SVM weights on x̃ before interpolation, and which buckets occur in training. */
export interface SvmWeights {
  w: Float64Array;
  bias: number;
  seen: Uint8Array;
  /** Passes of coordinate descent run. */
  epochs: number;
}

/**
 * The paper's SVM: L2-regularised squared hinge loss on x̃ = r ∘ x̂ with a bias feature of 1, solved in the dual by
 * coordinate descent (Hsieh et al. 2008, liblinear's default solver), stopping as liblinear does when the
 * projected gradient's spread falls under `tolerance`.
 */
export function fitSvm(
  rows: SparseRows,
  labels: ArrayLike<number>,
  r: Float64Array,
  settings: { c: number; epochs: number; seed: number; tolerance?: number },
): SvmWeights {
  const { indices, offsets } = rows;
  const n = offsets.length - 1;
  const dim = r.length;
  const w = new Float64Array(dim);
  let wBias = 0;
  const alpha = new Float64Array(n);
  const diagonal = 1 / (2 * settings.c);
  const qii = new Float64Array(n);
  const seen = new Uint8Array(dim);
  for (let i = 0; i < n; i++) {
    let sum = 1 + diagonal; // the bias feature's 1², and the squared hinge's diagonal term
    for (let k = offsets[i]!; k < offsets[i + 1]!; k++) {
      sum += r[indices[k]!]! ** 2;
      seen[indices[k]!] = 1;
    }
    qii[i] = sum;
  }
  const random = seededRandom(settings.seed);
  const order = identity(n);
  const tolerance = settings.tolerance ?? 0.1; // liblinear's default stopping tolerance
  let epochs = 0;
  while (epochs < settings.epochs) {
    epochs++;
    shuffleInPlace(order, random);
    let maxPg = -Infinity;
    let minPg = Infinity;
    for (let b = 0; b < n; b++) {
      const i = order[b]!;
      const y = labels[i] === 1 ? 1 : -1;
      let dot = wBias;
      for (let k = offsets[i]!; k < offsets[i + 1]!; k++) dot += w[indices[k]!]! * r[indices[k]!]!;
      const g = y * dot - 1 + diagonal * alpha[i]!;
      const pg = alpha[i] === 0 ? Math.min(g, 0) : g;
      maxPg = Math.max(maxPg, pg);
      minPg = Math.min(minPg, pg);
      if (pg === 0) continue;
      const old = alpha[i]!;
      alpha[i] = Math.max(old - g / qii[i]!, 0);
      const d = (alpha[i]! - old) * y;
      if (d === 0) continue;
      for (let k = offsets[i]!; k < offsets[i + 1]!; k++) w[indices[k]!]! += d * r[indices[k]!]!;
      wBias += d;
    }
    if (maxPg - minPg < tolerance) break;
  }
  return { w, bias: wBias, seen, epochs };
}

/**
 * The paper's interpolation w' = (1 - β) mean|w| + β w (mean over buckets seen in training), r folded in: the
 * (1 - β) part adds a scaled naive Bayes score: the paper's regulariser, "trust NB unless the SVM is confident".
 */
export function interpolateSvm({ w, bias, seen }: SvmWeights, r: Float64Array, beta: number): Folded {
  const dim = r.length;
  let magnitude = 0;
  let used = 0;
  for (let j = 0; j < dim; j++) {
    if (!seen[j]) continue;
    magnitude += Math.abs(w[j]!);
    used++;
  }
  const mean = used > 0 ? magnitude / used : 0;
  const weights = new Float64Array(dim);
  for (let j = 0; j < dim; j++) weights[j] = ((1 - beta) * mean + beta * w[j]!) * r[j]!;
  return { weights, bias };
}

/** Logits of the rows under folded weights. */
export function logitsOf(rows: SparseRows, folded: Folded): Float64Array {
  const n = rows.offsets.length - 1;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = folded.bias;
    for (let k = rows.offsets[i]!; k < rows.offsets[i + 1]!; k++) sum += folded.weights[rows.indices[k]!]!;
    out[i] = sum;
  }
  return out;
}

function meanLogLoss(logits: ArrayLike<number>, labels: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    const z = labels[i] === 1 ? logits[i]! : -logits[i]!;
    sum += z > 0 ? Math.log1p(Math.exp(-z)) : -z + Math.log1p(Math.exp(z)); // -log sigmoid(z), stable
  }
  return sum / logits.length;
}

/** "logistic λ=0.0001, 3 epochs" or "svm C=0.1 β=1, 9 passes". */
export function describeChoice(c: Candidate): string {
  return c.classifier === 'svm'
    ? `svm C=${c.regularization} β=${c.beta}, ${c.epochs} passes`
    : `logistic λ=${c.regularization}, ${c.epochs} epochs`;
}

/** Higher validation accuracy wins; ties go to the higher ROC AUC, then to the candidate tried first. */
function better(a: Candidate, b: Candidate | undefined): boolean {
  return !b || a.accuracy > b.accuracy || (a.accuracy === b.accuracy && a.rocAuc > b.rocAuc);
}

function timed<T>(run: () => T): [T, number] {
  const start = performance.now();
  const value = run();
  return [value, (performance.now() - start) / 1000];
}

/** Scores texts with a model, timing the whole pass (features included). */
export function scoreTimed(model: NbsvmModel, texts: readonly string[]): { scores: Float32Array; msPerReview: number } {
  const start = performance.now();
  const scores = model.score(texts);
  return { scores, msPerReview: (performance.now() - start) / Math.max(1, texts.length) };
}

/**
 * Trains on `train`, choosing the classifier and its settings by accuracy on `validation` (never the test split).
 * The returned model carries the chosen weights as trained on `train` alone.
 */
export function trainNbsvm(
  train: readonly LabelledText[],
  validation: readonly LabelledText[],
  partial: Partial<NbsvmOptions> = {},
  log: Log = () => {},
): NbsvmTrainResult {
  const options: NbsvmOptions = { ...DEFAULT_OPTIONS, ...partial };
  if (train.length === 0 || validation.length === 0) throw new Error('NBSVM needs training and validation reviews');
  const totalStart = performance.now();
  const progress = (done: number) => {
    if (done % 5000 === 0) log(`features: ${done}/${train.length} training reviews`);
  };
  const trainRows = extractRows(
    train.map((t) => t.text),
    options.bits,
    progress,
  );
  const validationRows = extractRows(
    validation.map((t) => t.text),
    options.bits,
  );
  const featureSeconds = (performance.now() - totalStart) / 1000;
  const trainLabels = Uint8Array.from(train, (t) => t.label);
  const validationLabels = Uint8Array.from(validation, (t) => t.label);
  log(
    `features: ${trainRows.indices.length} buckets set in ${train.length} training reviews ` +
      `(${(trainRows.indices.length / train.length).toFixed(0)} a review), ${featureSeconds.toFixed(1)} s`,
  );
  const r = nbRatio(trainRows, trainLabels, options.alpha);

  const searchStart = performance.now();
  const candidates: Candidate[] = [];
  let best: { candidate: Candidate; folded: Folded } | undefined;
  const consider = (classifier: Classifier, regularization: number, epochs: number, folded: Folded, beta?: number) => {
    const logits = logitsOf(validationRows, folded);
    const metrics = classificationMetrics(logits, validationLabels, 0, 0);
    const candidate: Candidate = {
      classifier,
      regularization,
      ...(beta === undefined ? {} : { beta }),
      epochs,
      accuracy: metrics.accuracy,
      rocAuc: metrics.rocAuc,
      logLoss: meanLogLoss(logits, validationLabels),
    };
    candidates.push(candidate);
    if (better(candidate, best?.candidate)) best = { candidate, folded };
    return candidate;
  };
  const describe = (c: Candidate) =>
    `validation accuracy ${c.accuracy.toFixed(4)}, AUC ${c.rocAuc.toFixed(4)}, log loss ${c.logLoss.toFixed(4)}`;

  if (options.classifiers.includes('logistic')) {
    for (const l2 of options.l2) {
      const [, seconds] = timed(() =>
        fitLogistic(trainRows, trainLabels, r, { ...options, l2 }, (epoch, folded) => {
          const c = consider('logistic', l2, epoch, folded);
          log(`logistic λ=${l2} epoch ${epoch}: ${describe(c)}`);
        }),
      );
      log(`logistic λ=${l2}: ${seconds.toFixed(1)} s`);
    }
  }
  if (options.classifiers.includes('svm')) {
    for (const c of options.svmC) {
      const settings = { c, epochs: options.svmEpochs, seed: options.seed };
      const [svm, seconds] = timed(() => fitSvm(trainRows, trainLabels, r, settings));
      for (const beta of options.betas) {
        const candidate = consider('svm', c, svm.epochs, interpolateSvm(svm, r, beta), beta);
        log(`svm C=${c} β=${beta} (${svm.epochs} passes, ${seconds.toFixed(1)} s): ${describe(candidate)}`);
      }
    }
  }
  if (!best) throw new Error('no classifier to train (options.classifiers is empty)');
  const searchSeconds = (performance.now() - searchStart) / 1000;
  const choice = best.candidate;
  log(`chosen: ${describeChoice(choice)}: ${describe(choice)}`);

  const info = {
    classifier: choice.classifier,
    regularization: choice.regularization,
    epochs: choice.epochs,
    ...(choice.classifier === 'svm'
      ? { beta: choice.beta }
      : { batchSize: options.batchSize, learningRate: options.learningRate }),
    alpha: options.alpha,
    seed: options.seed,
    hash: HASH_NAME,
    features: FEATURES_NAME,
    trainExamples: train.length,
    validationExamples: validation.length,
    validationAccuracy: choice.accuracy,
  };
  const model = new NbsvmModel(options.bits, best.folded.bias, Float32Array.from(best.folded.weights), 1, info);
  const quantized = model.quantize();
  const texts = validation.map((t) => t.text);
  const float32 = scoreTimed(model, texts);
  const int8 = scoreTimed(quantized, texts);
  let maxAbsScoreDiff = 0;
  for (let i = 0; i < texts.length; i++) {
    maxAbsScoreDiff = Math.max(maxAbsScoreDiff, Math.abs(float32.scores[i]! - int8.scores[i]!));
  }
  return {
    model,
    quantized,
    choice,
    candidates,
    validation: {
      float32: classificationMetrics(float32.scores, validationLabels, float32.msPerReview),
      int8: classificationMetrics(int8.scores, validationLabels, int8.msPerReview),
      maxAbsScoreDiff,
    },
    trainExamples: train.length,
    validationExamples: validation.length,
    seconds: { features: featureSeconds, search: searchSeconds, total: (performance.now() - totalStart) / 1000 },
  };
}
