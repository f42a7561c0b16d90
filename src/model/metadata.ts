/**
 * The shape of `model/metadata.json`, written by the training pipeline and read by the Worker: the one source
 * of truth for every constant that training and serving share.
 */
import type { Truncation } from '../tokenizer/index.ts';

export type CellType = 'simplernn' | 'gru' | 'lstm';
/**
 * How the per-word states become one: the final state, the max or mean over all states, or mean and max side by
 * side.
 */
export type Pooling = 'last' | 'max' | 'mean' | 'meanmax';

export interface Architecture {
  cell: CellType;
  vocabSize: number;
  embeddingDim: number;
  units: number;
  bidirectional: boolean;
  pooling: Pooling;
}

export interface TokenizerSettings {
  /** TOKENIZER_VERSION of the code that built the vocabulary. */
  version: string;
  vocabSize: number;
  /**
   * Words of a text the model reads; the rest are cut on the truncation side (training may cut shorter:
   * training.settings.maxLength).
   */
  maxLength: number;
  truncation: Truncation;
  /** Words after a negation, up to the end of the clause, are read as not_<word> (absent: false). */
  markNegation?: boolean;
  padId: number;
  unkId: number;
  /** File name of the vocabulary, beside metadata.json. */
  vocabFile: string;
}

/** One exported graph file, beside metadata.json. */
export interface OnnxFile {
  file: string;
  bytes: number;
  sha256: string;
}

export interface OnnxSettings {
  opset: number;
  /** e.g. "int8 weights, per-row float scales". */
  quantization: string;
  /**
   * Word ids -> score. Input: int32 token ids [batch, time], right-padded with padId. Outputs: probability of
   * positive [batch]; with a trace graph, also the recurrent states [time, batch, units] it reads.
   */
  scoring: OnnxFile & { input: string; outputs: { score: string; states?: string } };
  /** States -> the score after each word [batch, time]. Absent for models with no causal trace (bidirectional). */
  trace?: OnnxFile & { input: string; output: string };
  /**
   * The scoring graph's embedding table and a word id -> the k rows most similar to it (cosine), most similar
   * first. Absent in models exported before it existed.
   */
  neighbors?: OnnxFile & {
    inputs: { table: string; word: string };
    outputs: { similarity: string; ids: string };
    k: number;
  };
}

export interface ClassificationMetrics {
  examples: number;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  rocAuc: number;
  /** Rows: true label; columns: predicted. */
  confusion: { truePositive: number; falsePositive: number; trueNegative: number; falseNegative: number };
  msPerReview: number;
}

/** Mean norm of the gradient of the final recurrent state with respect to the word read k words earlier. */
export interface GradientNorms {
  /** The model measured (its metadata name). */
  model: string;
  /** Words read; values[k] is for the word k steps before the last. */
  steps: number;
  /** Validation reviews averaged over. */
  reviews: number;
  cell: CellType;
  values: number[];
}

export interface ModelMetadata {
  name: string;
  createdAt: string;
  tokenizer: TokenizerSettings;
  onnx: OnnxSettings;
  architecture: Architecture;
  training: Record<string, unknown>;
  /**
   * Measured right after training on validation reviews (train/gradient-norms.ts): this model's curve first,
   * then those of models it is compared with (a GRU trained the same way).
   */
  gradientNorms?: GradientNorms[];
  /** Measured on the 25,000-review IMDB test split by `npm run eval`. Keys: onnxInt8, tfjsFloat, afinn, vader, ... */
  metrics?: {
    split: string;
    command: string;
    measuredAt: string;
    results: Record<string, ClassificationMetrics>;
    /** Largest |ONNX float - tfjs float| over the checked reviews, and how many were checked. */
    floatParity?: { reviews: number; maxAbsDiff: number };
    /** Scores of fixed sentences (e.g. "The food is not good"), for a quick look at the model's behaviour. */
    examples?: { text: string; score: number }[];
    /** What the model should have learned (negation), checked on its own answers by npm run eval. */
    behaviour?: { check: string; passed: boolean; detail: string }[];
    /** The NBSVM baseline (results.nbsvmInt8), trained on the same training split: int8 size and training time. */
    baseline?: { bytes: number; trainExamples: number; seconds: number };
  };
}
