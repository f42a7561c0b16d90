/**
 * The examples a run trains and validates on: the train split (IMDB's, or the rows of a data file of your own
 * left after its test split: own-split.ts) cut into train and validation reviews by a seeded shuffle, a vocabulary
 * built from the training reviews only, and every review encoded to token ids.
 */

import type { ModelMetadata } from '../src/model/metadata.ts';
import { buildVocabulary, encode, splitWords, Vocabulary, type VocabularyFile } from '../src/tokenizer/index.ts';
import type { Example } from './batches.ts';
import { loadSplit, type Review } from './data.ts';
import { type OwnDataRecord, type OwnTrainingData, recordedPool } from './own-split.ts';
import { seededRandom, shuffled } from './random.ts';
import type { TrainSettings } from './settings.ts';

/** Train/validation split of the train reviews: a seeded shuffle, the first validationSize go to validation. */
export function splitTrainValidation(
  reviews: readonly Review[],
  settings: Pick<TrainSettings, 'seed' | 'validationSize' | 'trainLimit'>,
): { train: Review[]; validation: Review[] } {
  const order = shuffled(reviews, seededRandom(settings.seed));
  const validation = order.slice(0, settings.validationSize);
  const end = settings.trainLimit === undefined ? undefined : settings.validationSize + settings.trainLimit;
  const train = order.slice(settings.validationSize, end);
  return { train, validation };
}

export interface TrainingData {
  /** Where the reviews came from; sha256 identifies the training data in model metadata. */
  data: { source: string; sha256: string; own?: OwnDataRecord };
  vocabulary: VocabularyFile;
  train: Example[];
  validation: Example[];
}

/**
 * `data`: an IMDB folder (default: the first found), or a data file already read and its test split carved.
 * `log` hears where the data came from before the (slow) tokenisation starts.
 */
export function loadTrainingData(
  settings: TrainSettings,
  data?: string | OwnTrainingData,
  log?: (line: string) => void,
): TrainingData {
  let reviews: Review[];
  let source: TrainingData['data'];
  let description: string;
  if (typeof data === 'object') {
    const { record } = data;
    reviews = data.pool;
    source = { source: record.file, sha256: record.sha256, own: record };
    const test =
      record.test.kind === 'carved' ? `${record.test.rows} test rows held out` : `test file ${record.test.file}`;
    description = `${record.file} (${record.format}, sha256 ${record.sha256.slice(0, 12)}..., ${test})`;
  } else {
    const dataset = loadSplit('train', data);
    reviews = dataset.reviews;
    source = { source: dataset.source, sha256: dataset.sha256 };
    description = `${dataset.source} (${dataset.layout}, sha256 ${dataset.sha256.slice(0, 12)}...)`;
  }
  const split = splitTrainValidation(reviews, settings);
  log?.(`data: ${description}: ${split.train.length} train, ${split.validation.length} validation reviews`);
  const trainWords = split.train.map((r) => splitWords(r.text, { markNegation: settings.markNegation }));
  // The vocabulary comes from the training reviews only (not validation, never test).
  const vocabularyFile = buildVocabulary(trainWords, settings.vocabSize, { markNegation: settings.markNegation });
  const vocabulary = new Vocabulary(vocabularyFile);
  const encodeOptions = { maxLength: settings.maxLength, truncation: settings.truncation };
  const toExample = (r: Review): Example => ({ ids: encode(r.text, vocabulary, encodeOptions).ids, label: r.label });
  return {
    data: source,
    vocabulary: vocabularyFile,
    train: split.train.map(toExample),
    validation: split.validation.map(toExample),
  };
}

/** The train and validation reviews of the model in `modelDir` (its training settings and data record). */
export function trainingSplit(metadata: ModelMetadata, modelDir: string): { train: Review[]; validation: Review[] } {
  const settings = metadata.training.settings as TrainSettings;
  const record = metadata.training.data as OwnDataRecord | undefined;
  const pool = record ? recordedPool(record, modelDir) : loadSplit('train').reviews;
  return splitTrainValidation(pool, settings);
}
