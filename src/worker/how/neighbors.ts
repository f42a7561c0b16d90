/**
 * The words nearest to a word in the served model's embedding: GET /api/neighbors and the page's "Words as
 * vectors". The model's neighbours graph computes them (ONNX Runtime, on the scoring graph's own table).
 */
import { NEGATED_PREFIX, normalize, PAD_ID, readWords, UNK_ID, type Vocabulary } from '../../tokenizer/index.ts';
import { Errors } from '../contract/errors.ts';
import type { HowModel } from './model.ts';

/** Neighbours per word, in the API and on the page. */
export const NEIGHBOR_COUNT = 10;

export interface Neighbors {
  /** The word as the model reads it (normalised: lower case; "not_good" for a negated word). */
  word: string;
  neighbors: Array<{ word: string; similarity: number }>;
  model: string;
}

/**
 * The vocabulary id of what a visitor typed, read as the tokenizer reads text: normalised (NFKC, lower case,
 * apostrophes unified), so "Good" is "good". A vocabulary entry typed as such ("not_good") is taken as it is, and
 * a negation with one word ("not good") is the negated word the model reads ("not_good"). Throws missing_word
 * when nothing is left of it and unknown_word when it is not one word of the vocabulary.
 */
export function lookUpWord(vocabulary: Vocabulary, sent: string): { word: string; id: number } {
  const typed = normalize(sent).trim();
  const exact = vocabulary.idOf(typed);
  if (exact !== UNK_ID && exact !== PAD_ID) return { word: typed, id: exact };
  const read = readWords(sent, { markNegation: vocabulary.markNegation });
  if (read.length === 0) throw Errors.missingWord(sent);
  const last = read.at(-1)!;
  const negation = read.length === 2 && last.negated;
  const word = read.length === 1 ? last.word : negation ? NEGATED_PREFIX + last.word : typed;
  const id = vocabulary.idOf(word);
  if (id === UNK_ID || id === PAD_ID) throw Errors.unknownWord(word, vocabulary.size);
  return { word, id };
}

/** The NEIGHBOR_COUNT words nearest to `sent` (cosine similarity; ties: lower id first). */
export async function neighborsOf(model: HowModel, sent: string): Promise<Neighbors> {
  const { word, id } = lookUpWord(model.vocabulary, sent);
  const nearest = await model.nearest(id);
  const words = model.vocabulary.file.words;
  const neighbors: Neighbors['neighbors'] = [];
  nearest.ids.forEach((other, i) => {
    if (other === id || other === PAD_ID || other === UNK_ID || neighbors.length === NEIGHBOR_COUNT) return;
    neighbors.push({ word: words[other]!, similarity: nearest.similarity[i]! });
  });
  return { word, neighbors, model: model.name };
}

/** neighborsOf() for several words, one after another. */
export async function neighborsOfEach(model: HowModel, sent: readonly string[]): Promise<Neighbors[]> {
  const all: Neighbors[] = [];
  for (const s of sent) all.push(await neighborsOf(model, s));
  return all;
}
