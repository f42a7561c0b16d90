/**
 * The Worker (onnxruntime-web in workerd) and onnxruntime-web in Node give the same scores for the same texts
 * and model file. The Node scores come from tests/worker/global-setup.ts.
 */
import { describe, expect, inject, it } from 'vitest';
import { PARITY_REVIEWS } from '../fixtures/reviews.ts';
import { postJson, type SentimentJson } from './helpers.ts';
import './node-scores.ts';

const TOLERANCE = 1e-6;
const node = inject('nodeScores');

describe('parity with onnxruntime-web in Node', () => {
  it('has 20 reviews and their Node scores', () => {
    expect(PARITY_REVIEWS).toHaveLength(20);
    expect(node.single).toHaveLength(20);
    expect(node.batch).toHaveLength(20);
  });

  it.each(PARITY_REVIEWS.map((text, i) => [i, text] as const))('review %i scores the same alone', async (i, text) => {
    const result = (await (await postJson('/api/sentiment', { text })).json()) as SentimentJson;
    expect(result.model).toBe(node.model);
    expect(Math.abs(result.score - node.single[i]!)).toBeLessThanOrEqual(TOLERANCE);
  });

  it('scores the same as a batch of 20', async () => {
    const { results } = (await (await postJson('/api/sentiment', { texts: PARITY_REVIEWS })).json()) as { results: SentimentJson[] };
    results.forEach((result, i) => expect(Math.abs(result.score - node.batch[i]!)).toBeLessThanOrEqual(TOLERANCE));
  });
});
