import { splitWords } from './normalize.ts';
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
  /** The words behind `ids`, as the tokenizer saw them. */
  words: string[];
  /** True where a word is not in the vocabulary (its id is UNK_ID). */
  unknown: boolean[];
  /** Whether words were dropped to fit maxLength. */
  truncated: boolean;
}

export function truncateWords(words: string[], { maxLength, truncation }: EncodeOptions): string[] {
  if (words.length <= maxLength) return words;
  return truncation === 'start' ? words.slice(0, maxLength) : words.slice(words.length - maxLength);
}

export function encode(text: string, vocabulary: Vocabulary, options: EncodeOptions): Encoded {
  const all = splitWords(text, { markNegation: vocabulary.markNegation });
  const words = truncateWords(all, options);
  const ids = words.map((word) => vocabulary.idOf(word));
  return { ids, words, unknown: ids.map((id) => id === UNK_ID), truncated: words.length < all.length };
}
