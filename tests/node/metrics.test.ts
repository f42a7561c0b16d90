import { describe, expect, it } from 'vitest';
import { classificationMetrics, rocAuc } from '../../train/metrics.ts';
import { seededRandom } from '../../train/random.ts';

/** Brute force: share of (positive, negative) pairs ordered correctly, ties half. */
function pairwiseAuc(scores: number[], labels: number[]): number {
  let good = 0;
  let pairs = 0;
  scores.forEach((p, i) => {
    if (labels[i] !== 1) return;
    scores.forEach((n, j) => {
      if (labels[j] !== 0) return;
      pairs++;
      good += p > n ? 1 : p === n ? 0.5 : 0;
    });
  });
  return good / pairs;
}

describe('metrics', () => {
  it('ROC AUC equals the pairwise definition, ties included', () => {
    const random = seededRandom(9);
    const scores = Array.from({ length: 300 }, () => Math.round(random() * 20) / 20);
    const labels = scores.map((s) => (random() < s ? 1 : 0));
    expect(rocAuc(scores, labels)).toBeCloseTo(pairwiseAuc(scores, labels), 10);
  });

  it('counts the confusion matrix and derives precision, recall and F1', () => {
    const m = classificationMetrics([0.9, 0.8, 0.3, 0.6, 0.1, 0.4], [1, 1, 1, 0, 0, 0], 2);
    expect(m.confusion).toEqual({ truePositive: 2, falseNegative: 1, falsePositive: 1, trueNegative: 2 });
    expect(m.accuracy).toBeCloseTo(4 / 6);
    expect(m.precision).toBeCloseTo(2 / 3);
    expect(m.recall).toBeCloseTo(2 / 3);
    expect(m.f1).toBeCloseTo(2 / 3);
    expect(m.rocAuc).toBeCloseTo(7 / 9); // 0.3 outscores only the 0.1 negative
    expect(m.msPerReview).toBe(2);
  });

  it('uses the given threshold (lexicon scores are signed)', () => {
    expect(classificationMetrics([-0.2, 0, 0.5], [0, 1, 1], 0, 0).accuracy).toBe(1);
  });
});
