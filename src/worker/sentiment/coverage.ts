/**
 * Whether the model could read a text at all: the share of the words it read that are in its vocabulary. The
 * vocabulary holds the 20,000 most frequent words of English film reviews, so another language reads as a
 * string of unknown words and gets a score near the model's prior, which means nothing.
 *
 * The threshold was chosen by measurement on the served vocabulary (docs/api.md): every one of the 25,000 IMDB
 * train reviews reads at least 77% known words (median 97%); of their first five words, 99.9% of reviews read
 * 40% or more and 99% read 60% or more; reviews written in French, German, Spanish, Italian or Dutch read 21-33%
 * and Japanese or Chinese 0%.
 */
export const MIN_COVERAGE = 0.5;

/** Known words over words read (1 for no words: nothing was missed). */
export function coverageOf(unknown: readonly boolean[]): number {
  if (unknown.length === 0) return 1;
  return unknown.filter((u) => !u).length / unknown.length;
}

export function unreliableWarning(coverage: number): string {
  return (
    `Only ${Math.round(100 * coverage)}% of the words read are in the model's vocabulary (English film reviews), ` +
    'so this score says little: the model cannot read this text.'
  );
}
