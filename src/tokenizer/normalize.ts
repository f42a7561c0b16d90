/**
 * Text normalisation shared by training and serving. Any change to these rules changes the ids a model
 * sees, so it must bump TOKENIZER_VERSION (the vocabulary file records the version it was built with).
 */
export const TOKENIZER_VERSION = 'imdb-words-v1';

/** An HTML tag such as `<br />` (IMDB reviews hold them); also stripped for the lexicon baselines. */
export const HTML_TAG = /<[^>]{0,200}>/g;
const HTML_ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&apos;': "'",
  '&nbsp;': ' ',
};
const HTML_ENTITY = /&(?:amp|lt|gt|quot|#39|apos|nbsp);/g;
// Curly and other look-alike apostrophes, so "don’t" and "don't" are the same word.
const APOSTROPHE_LOOKALIKES = '\\u2018\\u2019\\u02BC\\u2032\\u0060\\u00B4';
const APOSTROPHES = new RegExp(`[${APOSTROPHE_LOOKALIKES}]`, 'g');
/** A word: letters and digits, with inner apostrophes kept so that "don't" and "isn't" survive whole. */
const wordPattern = (apostrophes: string) => new RegExp(`[\\p{L}\\p{N}]+(?:[${apostrophes}][\\p{L}\\p{N}]+)*`, 'gu');
const WORD = wordPattern("'");
/** The same words found in raw text, before normalisation unifies apostrophes (to cut a text after its n-th word). */
export const RAW_WORD = wordPattern(`'${APOSTROPHE_LOOKALIKES}`);

/** NFKC, lower case, HTML tags (line breaks, for the clause splitting below) and the common entities removed, apostrophes unified. */
export function normalize(text: string): string {
  return text
    .normalize('NFKC')
    .replace(HTML_TAG, '\n')
    .replace(HTML_ENTITY, (entity) => HTML_ENTITIES[entity] ?? ' ')
    .replace(APOSTROPHES, "'")
    .toLowerCase();
}

/** Words that open a negation scope, besides every word ending in "n't". */
const NEGATIONS = new Set([
  'not',
  'no',
  'never',
  'nothing',
  'nobody',
  'none',
  'neither',
  'nor',
  'cannot',
  'without',
  'hardly',
  'barely',
]);
/** Punctuation and line breaks close a negation scope. */
const CLAUSE_END = /[.,:;!?()[\]{}"\n]+/;
/** Prefix of a word read inside a negation scope: "not good" reads as "not", "not_good". */
export const NEGATED_PREFIX = 'not_';

export interface SplitOptions {
  /**
   * Mark the words between a negation and the end of its clause with NEGATED_PREFIX (Das & Chen 2001; Pang, Lee
   * and Vaithyanathan 2002). The vocabulary file records whether its model was trained so.
   */
  markNegation?: boolean;
}

function isNegation(word: string): boolean {
  return NEGATIONS.has(word) || word.endsWith("n't");
}

/** A word of the text and whether it sits in a negation scope (after "not", "never", ...n't, up to punctuation). */
export interface ReadWord {
  word: string;
  negated: boolean;
}

/** The words of a text, in order (normalised), each with whether a negation scope covers it. */
export function readWords(text: string, options: SplitOptions = {}): ReadWord[] {
  const normalized = normalize(text);
  if (!options.markNegation) return (normalized.match(WORD) ?? []).map((word) => ({ word, negated: false }));
  const words: ReadWord[] = [];
  for (const clause of normalized.split(CLAUSE_END)) {
    let negated = false;
    for (const word of clause.match(WORD) ?? []) {
      words.push({ word, negated });
      negated ||= isNegation(word);
    }
  }
  return words;
}

/** The token the model reads for a word: the word itself, or NEGATED_PREFIX + word inside a negation scope. */
export function tokenOf({ word, negated }: ReadWord): string {
  return negated ? NEGATED_PREFIX + word : word;
}

/** The tokens of a text, in order, as the model reads them. */
export function splitWords(text: string, options: SplitOptions = {}): string[] {
  return readWords(text, options).map(tokenOf);
}
