/**
 * Text normalisation shared by training and serving. Any change to these rules changes the ids a model
 * sees, so it must bump TOKENIZER_VERSION (the vocabulary file records the version it was built with).
 */
export const TOKENIZER_VERSION = 'imdb-words-v1';

const HTML_TAG = /<[^>]{0,200}>/g;
const HTML_ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&apos;': "'", '&nbsp;': ' ' };
const HTML_ENTITY = /&(?:amp|lt|gt|quot|#39|apos|nbsp);/g;
// Curly and other look-alike apostrophes, so "don’t" and "don't" are the same word.
const APOSTROPHES = /[\u2018\u2019\u02BC\u2032\u0060\u00B4]/g;
/** A word: letters and digits, with inner apostrophes kept so that "don't" and "isn't" survive whole. */
const WORD = /[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*/gu;

/** NFKC, lower case, HTML tags and the common entities removed, apostrophes unified. */
export function normalize(text: string): string {
  return text
    .normalize('NFKC')
    .replace(HTML_TAG, ' ')
    .replace(HTML_ENTITY, (entity) => HTML_ENTITIES[entity] ?? ' ')
    .replace(APOSTROPHES, "'")
    .toLowerCase();
}

/** The words of a text, in order, as the model reads them. */
export function splitWords(text: string): string[] {
  return normalize(text).match(WORD) ?? [];
}
