import { describe, expect, it } from 'vitest';
import { paddedWords, planRuns } from '../../src/model/runs.ts';

describe('planRuns', () => {
  it.each([
    // lengths, wordsPerRun, runs (row indices)
    { lengths: [5], budget: 10, runs: [[0]] },
    {
      lengths: [3, 3, 3, 3],
      budget: 6,
      runs: [
        [0, 1],
        [2, 3],
      ],
    },
    {
      lengths: [1, 9, 2, 8],
      budget: 20,
      runs: [
        [1, 3],
        [2, 0],
      ],
    },
    { lengths: [4, 4, 4], budget: 12, runs: [[0, 1, 2]] },
    { lengths: [10, 1, 1, 1], budget: 10, runs: [[0], [1, 2, 3]] },
    { lengths: [0, 0, 2], budget: 4, runs: [[2, 0], [1]] },
    { lengths: [], budget: 4, runs: [] },
  ])('$lengths in runs of $budget padded words -> $runs', ({ lengths, budget, runs }) => {
    const plan = planRuns(lengths, budget);
    expect(plan).toEqual(runs);
    for (const run of plan)
      expect(run.length * Math.max(1, ...run.map((r) => lengths[r]!))).toBeLessThanOrEqual(budget);
    expect(plan.flat().sort((a, b) => a - b)).toEqual(lengths.map((_, i) => i));
  });

  it('refuses a row longer than a run', () => {
    expect(() => planRuns([3, 11], 10)).toThrow(/11 words does not fit a run of 10/);
  });

  it('pads little: far less than one run of every row', () => {
    const lengths = Array.from({ length: 64 }, (_, i) => 20 + ((i * 37) % 780));
    const plan = planRuns(lengths, 4096);
    const total = lengths.reduce((a, b) => a + b, 0);
    expect(paddedWords(lengths, plan)).toBeLessThan(1.2 * total);
    expect(paddedWords(lengths, plan)).toBeLessThan(0.65 * 64 * Math.max(...lengths));
  });
});
