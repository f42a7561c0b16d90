/** Binary classification metrics from scores (higher = more positive) and 0/1 labels. */
import type { ClassificationMetrics } from '../src/model/metadata.ts';

/**
 * ROC AUC as the probability that a random positive outscores a random negative (ties count half), computed from
 * ranks in O(n log n).
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const averageRank = (i + j) / 2 + 1; // ranks are 1-based; ties share their average rank
    for (let k = i; k <= j; k++) {
      if (labels[order[k]!] === 1) {
        positives++;
        rankSum += averageRank;
      }
    }
    i = j + 1;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Metrics with `score >= threshold` predicted positive. */
export function classificationMetrics(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  msPerReview: number,
  threshold = 0.5,
): ClassificationMetrics {
  let truePositive = 0;
  let falsePositive = 0;
  let trueNegative = 0;
  let falseNegative = 0;
  for (let i = 0; i < scores.length; i++) {
    const predicted = scores[i]! >= threshold;
    if (labels[i] === 1) predicted ? truePositive++ : falseNegative++;
    else predicted ? falsePositive++ : trueNegative++;
  }
  const examples = scores.length;
  const precision = truePositive + falsePositive > 0 ? truePositive / (truePositive + falsePositive) : 0;
  const recall = truePositive + falseNegative > 0 ? truePositive / (truePositive + falseNegative) : 0;
  return {
    examples,
    accuracy: examples > 0 ? (truePositive + trueNegative) / examples : Number.NaN,
    precision,
    recall,
    f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0,
    rocAuc: rocAuc(scores, labels),
    confusion: { truePositive, falsePositive, trueNegative, falseNegative },
    msPerReview,
  };
}
