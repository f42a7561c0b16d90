/**
 * The words nearest to a word in the served model's embedding: GET /api/neighbors and the page's "Words as
 * vectors". The table is viewed in the scoring graph's weights; a query reads every row once (vocabulary x
 * dimension multiply-adds).
 */
import { EmbeddingTable } from '../../model/embedding.ts';
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

const tables = new WeakMap<HowModel, EmbeddingTable>();

/** The model's embedding table, built on first use and kept for the isolate. */
export function embeddingOf(model: HowModel): EmbeddingTable {
  let table = tables.get(model);
  if (!table) {
    table = EmbeddingTable.fromInitializers(model.initializers);
    tables.set(model, table);
  }
  return table;
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
export function neighborsOf(model: HowModel, sent: string): Neighbors {
  return neighborsOfEach(model, [sent])[0]!;
}

/** neighborsOf() for several words. */
export function neighborsOfEach(model: HowModel, sent: readonly string[]): Neighbors[] {
  const words = model.vocabulary.file.words;
  const table = embeddingOf(model);
  return sent.map((s) => {
    const { word, id } = lookUpWord(model.vocabulary, s);
    const nearest = table.nearest(id, NEIGHBOR_COUNT, [PAD_ID, UNK_ID]);
    return {
      word,
      neighbors: nearest.map((n) => ({ word: words[n.id]!, similarity: n.similarity })),
      model: model.name,
    };
  });
}
