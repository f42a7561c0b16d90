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

/** A size of text the latency and trace-cost measurements time: `batch` texts of `words` words per call. */
export interface TextCase {
  /** Stable key in results.json. */
  id: 'words-10' | 'words-230' | 'words-1000' | 'batch-64x230';
  name: string;
  words: number;
  batch: number;
}

/** 10, 230 and 1,000 words one at a time, and batches of 64 texts of 230 words. */
export const TEXT_CASES: readonly TextCase[] = [
  { id: 'words-10', name: '10 words', words: 10, batch: 1 },
  { id: 'words-230', name: '230 words', words: 230, batch: 1 },
  { id: 'words-1000', name: '1,000 words', words: 1000, batch: 1 },
  { id: 'batch-64x230', name: 'batch of 64 × 230 words', words: 230, batch: 64 },
];

/** The inputs of one case, one call each: 64 different single texts, or 4 different batches. */
export function caseInputs(reviews: readonly Review[], c: Pick<TextCase, 'words' | 'batch'>): string[][] {
  const texts = textsOfWords(reviews, c.words, c.batch === 1 ? 64 : c.batch * 4);
  return c.batch === 1 ? texts.map((t) => [t]) : [0, 1, 2, 3].map((k) => texts.slice(k * c.batch, (k + 1) * c.batch));
}

/** A case's name on a chart's x axis, where "batch of 64" is enough. */
export const caseChartName = (c: Pick<TextCase, 'name' | 'batch'>) => (c.batch > 1 ? `batch of ${c.batch}` : c.name);
