/**
 * One isolate serves many requests at once, and onnxruntime-web refuses overlapping runs on one session:
 * 50 simultaneous requests must all get the right answer.
 */
import { expect, it } from 'vitest';
import { PARITY_REVIEWS } from '../fixtures/reviews.ts';
import { postBatches, postJson, type SentimentJson } from './helpers.ts';

it('answers 50 simultaneous requests correctly', async () => {
  const texts = Array.from({ length: 50 }, (_, i) => `${PARITY_REVIEWS[i % PARITY_REVIEWS.length]} (copy ${i})`);
  // The right answers, one request at a time.
  const expected: SentimentJson[] = [];
  for (const text of texts) expected.push((await (await postJson('/api/sentiment', { text })).json()) as SentimentJson);

  const responses = await Promise.all(texts.map((text) => postJson('/api/sentiment', { text })));
  expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
  const results = (await Promise.all(responses.map((r) => r.json()))) as SentimentJson[];
  results.forEach((result, i) => {
    expect(result.score).toBeCloseTo(expected[i]!.score, 6);
    expect(result.label).toBe(expected[i]!.label);
    expect(result.tokens).toBe(expected[i]!.tokens);
  });
});

it('answers single and batch requests mixed at once', async () => {
  const single = Promise.all(PARITY_REVIEWS.map((text) => postJson('/api/sentiment', { text })));
  // Each of the 5 sends the 20 reviews in batches the free plan takes, one batch after another.
  const batches = Promise.all(Array.from({ length: 5 }, () => postBatches(PARITY_REVIEWS)));
  const [singles, batched] = await Promise.all([single, batches]);
  const scores = ((await Promise.all(singles.map((r) => r.json()))) as SentimentJson[]).map((r) => r.score);
  for (const results of batched) {
    expect(results).toHaveLength(PARITY_REVIEWS.length);
    results.forEach((result, i) => expect(result.score).toBeCloseTo(scores[i]!, 6));
  }
});
