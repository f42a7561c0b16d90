/**
 * How a batch of id sequences is cut into ONNX Runtime runs. ONNX Runtime's wasm memory grows to the largest run
 * it has seen and never shrinks, and a run pads every row to its longest one, so the runs are bounded by padded
 * words (rows x longest row), not by rows: rows are sorted by length and packed greedily.
 */

/**
 * Groups of row indices, each group one run whose padded size (rows x longest row, an empty row counting as one
 * word) is at most `wordsPerRun`. Longest rows first, so rows of similar length share a run; a row longer than
 * `wordsPerRun` alone is an error (the budget must cover the model's maximum length).
 */
export function planRuns(lengths: readonly number[], wordsPerRun: number): number[][] {
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[b]! - lengths[a]! || a - b);
  const runs: number[][] = [];
  let current: number[] = [];
  let width = 0;
  for (const row of order) {
    const length = Math.max(1, lengths[row]!);
    if (length > wordsPerRun) throw new Error(`A row of ${length} words does not fit a run of ${wordsPerRun} words.`);
    if (current.length > 0 && (current.length + 1) * width > wordsPerRun) {
      runs.push(current);
      current = [];
    }
    if (current.length === 0) width = length;
    current.push(row);
  }
  if (current.length > 0) runs.push(current);
  return runs;
}

/** Padded words of the run plan: what ONNX Runtime computes for these rows. */
export function paddedWords(lengths: readonly number[], runs: readonly number[][]): number {
  return runs.reduce((sum, run) => sum + run.length * Math.max(1, ...run.map((row) => lengths[row]!)), 0);
}

/**
 * Padded words per ONNX Runtime run unless a caller chooses otherwise (the Worker's plan does): chosen by
 * measurement, see the Worker's README section on limits.
 */
export const DEFAULT_WORDS_PER_RUN = 4096;
