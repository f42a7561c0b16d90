/**
 * The examples a run trains and validates on: the train split cut into train and validation reviews by a seeded
 * shuffle, a vocabulary built from the training reviews only, and every review encoded to token ids.
 */
import { buildVocabulary, encode, splitWords, Vocabulary, type VocabularyFile } from '../src/tokenizer/index.ts';
import type { Example } from './batches.ts';
import { loadSplit, type Dataset, type Review } from './data.ts';
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
  data: Omit<Dataset, 'reviews'>;
  vocabulary: VocabularyFile;
  train: Example[];
  validation: Example[];
}

/** `log` hears where the data came from before the (slow) tokenisation starts. */
export function loadTrainingData(
  settings: TrainSettings,
  dataDir?: string,
  log?: (line: string) => void,
): TrainingData {
  const { reviews, ...data } = loadSplit('train', dataDir);
  const split = splitTrainValidation(reviews, settings);
  const source = `${data.source} (${data.layout}, sha256 ${data.sha256.slice(0, 12)}...)`;
  log?.(`data: ${source}: ${split.train.length} train, ${split.validation.length} validation reviews`);
  const trainWords = split.train.map((r) => splitWords(r.text, { markNegation: settings.markNegation }));
  // The vocabulary comes from the training reviews only (not validation, never test).
  const vocabularyFile = buildVocabulary(trainWords, settings.vocabSize, { markNegation: settings.markNegation });
  const vocabulary = new Vocabulary(vocabularyFile);
  const encodeOptions = { maxLength: settings.maxLength, truncation: settings.truncation };
  const toExample = (r: Review): Example => ({ ids: encode(r.text, vocabulary, encodeOptions).ids, label: r.label });
  return {
    data,
    vocabulary: vocabularyFile,
    train: split.train.map(toExample),
    validation: split.validation.map(toExample),
  };
}
