/**
 * The Worker (onnxruntime-web in workerd) gives the scores and traces that onnxruntime-web in Node gives for the
 * same texts and model files (from tests/worker/global-setup.ts), and the ones the served model gave when it
 * became the served model (tests/fixtures/served-reference.json, written by write-served-reference.ts): a later
 * change to the exporter or the inference code must not move a score or a trace.
 */
import { describe, expect, inject, it } from 'vitest';
import { PARITY_REVIEWS } from '../fixtures/reviews.ts';
import reference from '../fixtures/served-reference.json';
import { HAS_TRACE, needsTrace, postBatches, postJson, type SentimentJson } from './helpers.ts';
import './node-scores.ts';

const NODE_TOLERANCE = 1e-6;
const REFERENCE_TOLERANCE = 1e-5;
const node = inject('nodeScores');

const maxDiff = (a: readonly number[], b: readonly number[]) => {
  expect(a).toHaveLength(b.length);
  return a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!)), 0);
};

describe('parity with onnxruntime-web in Node', () => {
  it.each(PARITY_REVIEWS.map((text, i) => [i, text] as const))('review %i scores the same alone', async (i, text) => {
    const result = (await (await postJson('/api/sentiment', { text })).json()) as SentimentJson;
    expect(result.model).toBe(node.model);
    expect(Math.abs(result.score - node.single[i]!)).toBeLessThanOrEqual(NODE_TOLERANCE);
  });

  it('scores the same as the batch of 20 in Node, in batches the free plan takes', async () => {
    const results = await postBatches(PARITY_REVIEWS);
    expect(results).toHaveLength(PARITY_REVIEWS.length);
    results.forEach((result, i) => {
      expect(Math.abs(result.score - node.batch[i]!)).toBeLessThanOrEqual(NODE_TOLERANCE);
    });
  });

  it.skipIf(!HAS_TRACE)(needsTrace('traces the same as the batch of 20 in Node, with the same scores'), async () => {
    // Node traced what the served model files hold; the Worker's answer below must say the same.
    expect(node.traces, 'global-setup found no trace graph in model/').not.toBeNull();
    const results = await postBatches(PARITY_REVIEWS, { trace: true });
    expect(results).toHaveLength(PARITY_REVIEWS.length);
    results.forEach((result, i) => {
      expect(Math.abs(result.score - node.batch[i]!)).toBeLessThanOrEqual(NODE_TOLERANCE);
      expect(
        maxDiff(
          result.trace!.map((s) => s.score),
          node.traces![i]!,
        ),
      ).toBeLessThanOrEqual(NODE_TOLERANCE);
    });
  });
});

describe('parity with the reference answers of the served model', () => {
  // The reference belongs to one set of weights; a retrained model needs its own (see the fixture's "about").
  const sameWeights = node.weightsSha256 === reference.weightsSha256;

  it('the reference was made from the served model weights, for every parity review', () => {
    expect(
      sameWeights,
      'model/float/weights.bin is not the model the reference was made from: run tests/fixtures/write-served-reference.ts',
    ).toBe(true);
    // One score and one trace per review read: a review added to PARITY_REVIEWS needs the reference made again.
    expect(reference.reviews).toHaveLength(PARITY_REVIEWS.length);
    expect(reference.reviews.map((r) => r.trace.length)).toEqual(node.traces?.map((t) => t.length));
  });

  const name = 'gives the same scores and traces, within 1e-5';
  it.runIf(sameWeights)(
    sameWeights ? name : `${name} (skipped: the reference was made from other weights)`,
    async () => {
      const results = await postBatches(PARITY_REVIEWS, { trace: true });
      expect(results).toHaveLength(PARITY_REVIEWS.length);
      results.forEach((result, i) => {
        const expected = reference.reviews[i]!;
        expect(Math.abs(result.score - expected.score)).toBeLessThanOrEqual(REFERENCE_TOLERANCE);
        expect(
          maxDiff(
            result.trace!.map((s) => s.score),
            expected.trace,
          ),
        ).toBeLessThanOrEqual(REFERENCE_TOLERANCE);
      });
    },
  );
});
