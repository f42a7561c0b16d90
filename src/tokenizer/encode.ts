import { readWords, tokenOf } from './normalize.ts';
import { UNK_ID, type Vocabulary } from './vocabulary.ts';

/** Which end of a long review the model keeps. */
export type Truncation = 'start' | 'end';

export interface EncodeOptions {
  maxLength: number;
  /** 'start' keeps the first maxLength words, 'end' the last. */
  truncation: Truncation;
}

export interface Encoded {
  /** Token ids of the words the model reads, no padding. */
  ids: number[];
  /** The words behind `ids` as the text has them (normalised: lower case, markup removed). */
  words: string[];
  /** The tokens behind `ids`: a word, or NEGATED_PREFIX + word where `negated`. */
  tokens: string[];
  /** True where a negation scope covers the word (the model reads it as NEGATED_PREFIX + word). */
  negated: boolean[];
  /** True where a token is not in the vocabulary (its id is UNK_ID). */
  unknown: boolean[];
  /** Whether words were dropped to fit maxLength. */
  truncated: boolean;
}

export function truncateWords<T>(words: T[], { maxLength, truncation }: EncodeOptions): T[] {
  if (words.length <= maxLength) return words;
  return truncation === 'start' ? words.slice(0, maxLength) : words.slice(words.length - maxLength);
}

export function encode(text: string, vocabulary: Vocabulary, options: EncodeOptions): Encoded {
  const all = readWords(text, { markNegation: vocabulary.markNegation });
  const read = truncateWords(all, options);
  const tokens = read.map(tokenOf);
  const ids = tokens.map((token) => vocabulary.idOf(token));
  return {
    ids,
    words: read.map((r) => r.word),
    tokens,
    negated: read.map((r) => r.negated),
    unknown: ids.map((id) => id === UNK_ID),
    truncated: read.length < all.length,
  };
}
