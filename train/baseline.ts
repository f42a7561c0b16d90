/**
 * The baseline a user would pick instead of the RNN: NBSVM over hashed unigrams and bigrams (train/nbsvm/),
 * trained on exactly the reviews a model folder's RNN was trained on and chosen on the same validation split,
 * so that `npm run eval` and `npm run bench` compare the two on equal terms.
 */
import type { ModelMetadata } from '../src/model/metadata.ts';
import { loadSplit, type Review } from './data.ts';
import type { NbsvmModel } from './nbsvm/model.ts';
import { trainNbsvm } from './nbsvm/train.ts';
import { type OwnDataRecord, recordedPool } from './own-split.ts';
import type { TrainSettings } from './settings.ts';
import { splitTrainValidation } from './training-data.ts';

export interface Baseline {
  /** int8 weights, as it would be shipped. */
  model: NbsvmModel;
  bytes: number;
  trainExamples: number;
  seconds: number;
}

/** The train and validation reviews of the model in `modelDir` (its training settings and data record). */
export function trainingSplit(metadata: ModelMetadata, modelDir: string): { train: Review[]; validation: Review[] } {
  const settings = metadata.training.settings as TrainSettings;
  const record = metadata.training.data as OwnDataRecord | undefined;
  const pool = record ? recordedPool(record, modelDir) : loadSplit('train').reviews;
  return splitTrainValidation(pool, settings);
}

export function trainBaseline(metadata: ModelMetadata, modelDir: string, log: (line: string) => void): Baseline {
  const start = performance.now();
  const { train, validation } = trainingSplit(metadata, modelDir);
  log(`NBSVM baseline: training on the model's ${train.length} training reviews, choosing on its ${validation.length}`);
  const result = trainNbsvm(train, validation, {}, () => {});
  return {
    model: result.quantized,
    bytes: result.quantized.toBytes().byteLength,
    trainExamples: train.length,
    seconds: (performance.now() - start) / 1000,
  };
}
