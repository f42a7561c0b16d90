/**
 * Texts of an exact number of words (as the model's tokenizer counts them) cut from real IMDB test reviews,
 * concatenated when one review is too short. Case and punctuation stay, so the lexicon scorers see real text.
 */
import { HTML_TAG, RAW_WORD, splitWords } from '../src/tokenizer/index.ts';
import type { Review } from '../train/data.ts';

/** The first `words` words of `text`, cut after the last of them; null when the text is shorter. */
function cut(text: string, words: number): string | null {
  let n = 0;
  for (const match of text.matchAll(RAW_WORD)) {
    if (++n === words) return text.slice(0, match.index + match[0].length);
  }
  return null;
}

/**
 * `count` texts of exactly `words` words, from reviews taken in a fixed spread over the split (so both labels
 * appear), each starting at a different review.
 */
export function textsOfWords(reviews: readonly Review[], words: number, count: number): string[] {
  const clean = (i: number) => reviews[i % reviews.length]!.text.replace(HTML_TAG, ' ').replace(/\s+/g, ' ').trim();
  const stride = Math.max(1, Math.floor(reviews.length / count));
  const texts: string[] = [];
  for (let start = 0; texts.length < count && start < reviews.length * 2; start += stride) {
    let text = clean(start);
    for (let next = start + 1; splitWords(text).length < words; next++) text += ` ${clean(next)}`;
    // The raw-text pattern and the tokenizer can disagree (an entity like &amp;, Unicode that NFKC changes):
    // move the cut by the difference until the tokenizer counts exactly `words`, else skip this start.
    for (let k = words, tries = 0; tries < 5; tries++) {
      const piece = cut(text, k);
      const n = piece === null ? -1 : splitWords(piece).length;
      if (n === words) {
        texts.push(piece!);
        break;
      }
      if (n < 0) break;
      k += words - n;
    }
  }
  if (texts.length < count) throw new Error(`Could only make ${texts.length} of ${count} texts of ${words} words.`);
  return texts;
}
