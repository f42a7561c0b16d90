/**
 * "Memory over time": the recurrent state after each word of a text, from the same ONNX Runtime runs that score
 * it (the scoring graph's `states` output), and the score after each word (the trace graph).
 *
 * Only the first MEMORY_WORDS words read are run and drawn: the network reads one way, so the states and scores
 * of those words are the same whatever follows them, and the heatmap (units x words cells) stays a bounded size.
 */
import type { Encoded } from '../../tokenizer/index.ts';
import { Errors } from '../contract/errors.ts';
import type { Plan } from '../contract/limits.ts';
import { type TraceStep, traceSteps } from '../sentiment/analyse.ts';
import type { HowModel } from './model.ts';

/** Words drawn in the heatmap, at most. */
export const MEMORY_WORDS = 60;

export interface Memory {
  /** Words the model reads of the whole text. */
  wordsRead: number;
  /** The words drawn (the first MEMORY_WORDS read), with the score after each. */
  steps: TraceStep[];
  /** Units of the recurrent layer: the height of the heatmap. */
  units: number;
  /** The state after each word drawn, row-major [words, units]. */
  states: Float32Array;
}

/** The first `count` words of an encoded text. */
function firstWords(encoded: Encoded, count: number): Encoded {
  if (encoded.ids.length <= count) return encoded;
  return {
    ids: encoded.ids.slice(0, count),
    words: encoded.words.slice(0, count),
    tokens: encoded.tokens.slice(0, count),
    negated: encoded.negated.slice(0, count),
    unknown: encoded.unknown.slice(0, count),
    truncated: true,
  };
}

/**
 * The memory of a checked text (checkText), under the same plan budget as the page's analysis: more characters
 * or words than the plan allows is a 413 and a text with no words a 400 no_words, before any inference.
 */
export async function memoryOf(model: HowModel, text: string, plan: Plan): Promise<Memory> {
  if (!model.hasTrace) throw Errors.traceUnavailable(model.name);
  if (text.length > plan.charsPerRequest) throw Errors.tooMuchWork(text.length, 'characters', plan);
  const encoded = model.encode(text);
  if (encoded.ids.length === 0) throw Errors.noWords('text');
  if (encoded.ids.length > plan.wordsPerRequest) throw Errors.tooMuchWork(encoded.ids.length, 'words', plan);
  const shown = firstWords(encoded, MEMORY_WORDS);
  const [result] = await model.states([shown]);
  return {
    wordsRead: encoded.ids.length,
    steps: traceSteps(shown, result!.trace),
    units: result!.units,
    states: result!.states,
  };
}
