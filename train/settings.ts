/** What a training run is given (TrainSettings) and what it gives back (TrainResult), shared by its modules. */
import type * as tf from '@tensorflow/tfjs';
import type { Truncation, VocabularyFile } from '../src/tokenizer/index.ts';
import type { BackendChoice } from './backend.ts';
import type { Architecture } from './model.ts';
import type { OwnDataRecord } from './own-split.ts';

export interface TrainSettings {
  architecture: Omit<Architecture, 'vocabSize'>;
  /** Vocabulary size including padding and unknown. */
  vocabSize: number;
  maxLength: number;
  truncation: Truncation;
  batchSize: number;
  epochs: number;
  learningRate: number;
  clipNorm: number;
  /** Epochs without a better validation loss before stopping. */
  patience: number;
  seed: number;
  /** Reviews carved out of the train split for validation. */
  validationSize: number;
  /** Use only this many training reviews (quick runs); all when absent. */
  trainLimit?: number;
  /** Add one random window of each review, up to this many words, to every epoch (0 = none; see randomCrops). */
  cropMaxLength?: number;
  /** Probability of replacing a training word by the unknown-word id, per epoch (see dropWords). */
  wordDropout?: number;
  /** The learning rate is multiplied by this after every epoch (1 = constant). */
  learningRateDecay?: number;
  /** Tokenize with negation scopes marked (splitWords' markNegation). */
  markNegation?: boolean;
  /** Gain of the recurrent weights' orthogonal initialisation (see model.ts's Initialization; 1 when absent). */
  recurrentGain?: number;
}

export interface EpochRecord {
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss: number;
  valAccuracy: number;
  seconds: number;
}

export interface TrainResult {
  model: tf.LayersModel;
  settings: TrainSettings;
  architecture: Architecture;
  vocabulary: VocabularyFile;
  history: EpochRecord[];
  bestEpoch: number;
  secondsTrained: number;
  dataSha256: string;
  trainExamples: number;
  validationExamples: number;
  backend?: BackendChoice;
  /** A data file of your own and how it was split (absent: IMDB). */
  data?: OwnDataRecord;
  interrupted: boolean;
}
