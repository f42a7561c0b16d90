/**
 * The parts of GET /how that are the same for every request (the architecture, the default words' neighbours, the
 * example's heatmap, the pairs, the gradient chart), computed and rendered once per model and isolate. warm-up.ts
 * builds them while the isolate starts, so that no request pays for them: the default words' neighbours take one
 * pass over the whole embedding each, plus one for its norms, some 20 ms of CPU while that code is still cold.
 */

import { INITIALIZERS } from '../../model/parameters.ts';
import { UNK_ID } from '../../tokenizer/index.ts';
import { plan } from '../contract/limits.ts';
import { EXAMPLE_REVIEWS } from '../page/examples.ts';
import { architectureSection } from './architecture-section.ts';
import { DEFAULT_WORDS, defaultCards } from './embedding-section.ts';
import { gradientSection } from './gradient-section.ts';
import { memoryOf } from './memory.ts';
import { memoryFigure } from './memory-section.ts';
import type { HowModel } from './model.ts';
import { type Neighbors, neighborsOfEach } from './neighbors.ts';
import { orderPairs } from './order.ts';
import { orderSection } from './order-section.ts';

/** The heatmap's text when the visitor gives none: a review that turns half-way ("..., but ..."). */
export const EXAMPLE_TEXT = EXAMPLE_REVIEWS[2]!;

export interface HowParts {
  architecture: ReturnType<typeof architectureSection>;
  gradient: ReturnType<typeof gradientSection>;
  /** Empty for a model with no per-word trace (bidirectional): it has no state after each word to show. */
  order: ReturnType<typeof orderSection> | '';
  memory: ReturnType<typeof memoryFigure> | '';
  defaults: Neighbors[];
  cards: ReturnType<typeof defaultCards>;
  /** Whether the embedding is stored as int8 (the page says how its similarities are computed). */
  int8: boolean;
}

const cache = new WeakMap<HowModel, Promise<HowParts>>();

async function build(model: HowModel): Promise<HowParts> {
  const { metadata, vocabulary } = model;
  // A model trained on other data may lack a default word: it is left out rather than failing the page.
  const defaults = await neighborsOfEach(
    model,
    DEFAULT_WORDS.filter((word) => vocabulary.idOf(word) !== UNK_ID),
  );
  const free = plan('free', metadata.tokenizer.maxLength);
  const memory = model.hasTrace ? await memoryOf(model, EXAMPLE_TEXT, free) : undefined;
  const pairs = model.hasTrace ? await orderPairs(model) : [];
  return {
    architecture: architectureSection(metadata, model.initializers),
    gradient: gradientSection(metadata),
    order: model.hasTrace ? orderSection(pairs, model.emptyScore, metadata.tokenizer.markNegation === true) : '',
    memory: memory ? memoryFigure(memory, model.emptyScore, metadata) : '',
    defaults,
    cards: defaultCards(defaults),
    int8: model.initializers.has(INITIALIZERS.embeddingInt8),
  };
}

/** The model's parts, built on first use (or by the warm-up) and kept; a failure is not kept, so it is retried. */
export function howParts(model: HowModel): Promise<HowParts> {
  let parts = cache.get(model);
  if (!parts) {
    parts = build(model);
    cache.set(model, parts);
    parts.catch(() => cache.delete(model));
  }
  return parts;
}
