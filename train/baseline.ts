/**
 * The baseline a user would pick instead of the RNN: NBSVM over hashed unigrams and bigrams (train/nbsvm/),
 * trained on exactly the reviews a model folder's RNN was trained on and chosen on the same validation split,
 * so that `npm run eval` and `npm run bench` compare the two on equal terms.
 */
import type { ModelMetadata } from '../src/model/metadata.ts';
import type { NbsvmModel } from './nbsvm/model.ts';
import { trainNbsvm } from './nbsvm/train.ts';
import { trainingSplit } from './training-data.ts';

export interface Baseline {
  /** int8 weights, as it would be shipped. */
  model: NbsvmModel;
  bytes: number;
  trainExamples: number;
  seconds: number;
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
