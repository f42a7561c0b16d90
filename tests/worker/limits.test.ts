/**
 * The work one request may ask for: PLAN in wrangler.toml sets a word budget (free: Cloudflare's 10 ms of CPU
 * per request), a request over it gets 413 too_much_work before any inference, and GET /api/model shows it.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import metadataJson from '../../model/metadata.json';
import type { ModelMetadata } from '../../src/model/metadata.ts';
import { createApp } from '../../src/worker/app.ts';
import { FREE_BUDGET, LIMITS, plan } from '../../src/worker/contract/limits.ts';
import { bundledModelFiles } from '../../src/worker/model/bundled.ts';
import type { Scorer } from '../../src/worker/sentiment/analyse.ts';
import { call, expectError, loadModel, ORIGIN, postJson, type SentimentJson } from './helpers.ts';

const metadata = metadataJson as unknown as ModelMetadata;
const { maxLength } = metadata.tokenizer;
const free = plan('free', maxLength);
/** A text of exactly `n` words (all in the vocabulary). */
const words = (n: number) => Array.from({ length: n }, (_, i) => (i % 2 ? 'film' : 'good')).join(' ');
/** Texts of maxLength words (the most one text can cost) and one remainder, `total` words in all. */
function textsOfTotal(total: number): string[] {
  const texts = Array.from({ length: Math.floor(total / maxLength) }, () => words(maxLength));
  if (total % maxLength) texts.push(words(total % maxLength));
  return texts;
}

describe('PLAN = "free" (wrangler.toml)', () => {
  it('is the configured plan, shown by GET /api/model with its budget', async () => {
    expect(env.PLAN).toBe('free');
    const body = (await (await call('/api/model')).json()) as { plan: unknown };
    expect(body.plan).toEqual({ name: 'free', cpuMsPerRequest: 10, ...FREE_BUDGET });
  });

  it('accepts a request of exactly the budget, plain and with the trace', async () => {
    const texts = textsOfTotal(free.wordsPerRequest);
    for (const trace of [false, true]) {
      const response = await postJson('/api/sentiment', { texts, trace });
      expect(response.status, await response.clone().text()).toBe(200);
      const { results } = (await response.json()) as { results: SentimentJson[] };
      expect(results.reduce((sum, r) => sum + r.tokens, 0)).toBe(free.wordsPerRequest);
    }
  });

  it('always accepts one review of any length (the model reads at most maxLength words)', async () => {
    const text = words(maxLength * 3);
    expect(text.length).toBeLessThanOrEqual(LIMITS.maxTextChars);
    const response = await postJson('/api/sentiment', { text, trace: true });
    expect(response.status).toBe(200);
    expect(((await response.json()) as SentimentJson).tokens).toBe(maxLength);
  });

  it('answers one word over the budget with 413 too_much_work, saying the budget and what to do', async () => {
    const over = free.wordsPerRequest + 1;
    const message = await expectError(
      await postJson('/api/sentiment', { texts: textsOfTotal(over) }),
      413,
      'too_much_work',
    );
    expect(message).toContain(`${over.toLocaleString('en-US')} words`);
    expect(message).toContain(`at most ${free.wordsPerRequest.toLocaleString('en-US')} words per request`);
    expect(message).toMatch(/Split the batch/);
    expect(message).toContain('PLAN = "paid"');
  });

  it('counts the words the model reads: a long text counts as maxLength words', async () => {
    const long = words(maxLength * 2);
    const n = Math.floor(free.wordsPerRequest / maxLength);
    expect((await postJson('/api/sentiment', { texts: Array(n).fill(long) })).status).toBe(200);
    const message = await expectError(
      await postJson('/api/sentiment', { texts: Array(n + 1).fill(long) }),
      413,
      'too_much_work',
    );
    expect(message).toContain(`${((n + 1) * maxLength).toLocaleString('en-US')} words`);
  });

  it('answers more characters of text than the budget with 413 too_much_work, even with few words', async () => {
    // A text of `n` characters with one word at the end.
    const text = (n: number) => `${'x'.repeat(n - 5)} good`;
    const first = text(LIMITS.maxTextChars);
    const exactly = [first, text(free.charsPerRequest - first.length)];
    expect((await postJson('/api/sentiment', { texts: exactly })).status).toBe(200);
    const over = [first, text(free.charsPerRequest - first.length + 1)];
    const message = await expectError(await postJson('/api/sentiment', { texts: over }), 413, 'too_much_work');
    expect(message).toContain(`${(free.charsPerRequest + 1).toLocaleString('en-US')} characters`);
    expect(message).toContain(`at most ${free.charsPerRequest.toLocaleString('en-US')} characters per request`);
  });
});

describe('the budget is checked before any inference', () => {
  it('never calls the model for a request over the budget', async () => {
    const files = bundledModelFiles();
    const real = await loadModel(files);
    let runs = 0;
    const counting: Scorer = {
      name: real.name,
      hasTrace: real.hasTrace,
      emptyScore: real.emptyScore,
      encode: (text) => real.encode(text),
      score: (batch) => {
        runs++;
        return real.score(batch);
      },
      trace: (batch) => {
        runs++;
        return real.trace(batch);
      },
    };
    const app = createApp({ metadata, model: Promise.resolve(counting) });
    const post = (texts: string[]) =>
      app.request(
        `${ORIGIN}/api/sentiment`,
        { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ texts }) },
        { PLAN: 'free' },
      );
    await expectError(await post(textsOfTotal(free.wordsPerRequest + 1)), 413, 'too_much_work');
    expect(runs).toBe(0);
    expect((await post(['good'])).status).toBe(200);
    expect(runs).toBe(1);
  });
});

describe('PLAN = "paid"', () => {
  const appPromise = loadModel(bundledModelFiles()).then((model) => ({
    model,
    app: createApp({ metadata, model: Promise.resolve(model) }),
  }));
  const post = async (body: unknown, planName = 'paid') =>
    (await appPromise).app.request(
      `${ORIGIN}/api/sentiment`,
      { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) },
      { PLAN: planName },
    );

  it(`answers ${LIMITS.maxTexts} reviews of maxLength words, in runs, as each would be answered alone`, async () => {
    // Distinct texts: the vocabulary's words in a different order for each.
    const vocabulary = bundledModelFiles().vocabulary.words.slice(2, 2 + maxLength + LIMITS.maxTexts);
    const texts = Array.from({ length: LIMITS.maxTexts }, (_, i) => vocabulary.slice(i, i + maxLength).join(' '));
    const response = await post({ texts, trace: true });
    expect(response.status).toBe(200);
    const { results } = (await response.json()) as { results: SentimentJson[] };
    expect(results.map((r) => r.tokens)).toEqual(Array(LIMITS.maxTexts).fill(maxLength));
    const { model } = await appPromise;
    for (const i of [0, 31, 63]) {
      const [alone] = await model.trace([model.encode(texts[i]!)]);
      expect(results[i]!.score).toBe(alone!.score);
      expect(results[i]!.trace!.map((s) => s.score)).toEqual(alone!.trace);
    }
  });

  it('shows the paid budget in GET /api/model', async () => {
    const response = await (await appPromise).app.request(`${ORIGIN}/api/model`, {}, { PLAN: 'paid' });
    expect(((await response.json()) as { plan: unknown }).plan).toEqual({
      name: 'paid',
      cpuMsPerRequest: 30_000,
      wordsPerRequest: LIMITS.maxTexts * maxLength,
      charsPerRequest: LIMITS.maxTexts * LIMITS.maxTextChars,
      maxBodyBytes: 1024 * 1024,
    });
  });

  it('answers 500 misconfigured, naming PLAN, for a plan that does not exist', async () => {
    const message = await expectError(await post({ text: 'good' }, 'enterprise'), 500, 'misconfigured');
    expect(message).toContain('PLAN = "enterprise"');
  });
});
