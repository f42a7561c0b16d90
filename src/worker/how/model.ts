/**
 * What GET /how and GET /api/neighbors need of the model beyond scoring: its metadata and vocabulary, the
 * scoring graph's weights, the recurrent states and the nearest rows of its embedding (src/model's SentimentModel has them all).
 */
import type { SentimentModel } from '../../model/sentiment-model.ts';
import { Errors } from '../contract/errors.ts';
import type { Scorer } from '../sentiment/analyse.ts';

export type HowModel = Scorer &
  Pick<SentimentModel, 'metadata' | 'vocabulary' | 'initializers' | 'states' | 'nearest' | 'hasNeighbors'>;

export function isHowModel(model: Scorer): model is HowModel {
  return ['metadata', 'vocabulary', 'initializers', 'states', 'nearest', 'hasNeighbors'].every((part) => part in model);
}

/** The model as a HowModel; a scorer that cannot show its weights and states is a fault of the Worker (500). */
export function asHowModel(model: Scorer): HowModel {
  if (isHowModel(model)) return model;
  throw Errors.internal();
}
