/**
 * One isolate serves many requests at once, and onnxruntime-web refuses overlapping runs on one session:
 * 50 simultaneous requests must all get the right answer.
 */
import { expect, it } from 'vitest';
import { PARITY_REVIEWS } from '../fixtures/reviews.ts';
import { postJson, type SentimentJson } from './helpers.ts';

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
  const batches = Promise.all(Array.from({ length: 5 }, () => postJson('/api/sentiment', { texts: PARITY_REVIEWS })));
  const [singles, batched] = await Promise.all([single, batches]);
  const scores = ((await Promise.all(singles.map((r) => r.json()))) as SentimentJson[]).map((r) => r.score);
  for (const response of batched) {
    expect(response.status).toBe(200);
    const { results } = (await response.json()) as { results: SentimentJson[] };
    results.forEach((result, i) => expect(result.score).toBeCloseTo(scores[i]!, 6));
  }
});
