/**
 * The JSON API's contract: POST /api/sentiment (single and batch), GET /api/model, GET /healthz, every error
 * of the contract, CORS and the security headers.
 */
import { describe, expect, inject, it } from 'vitest';
import metadataJson from '../../model/metadata.json';
import vocabularyJson from '../../model/vocab.json';
import type { ModelMetadata } from '../../src/model/metadata.ts';
import { splitWords, truncateWords } from '../../src/tokenizer/index.ts';
import { bundledModelFiles } from '../../src/worker/model/bundled.ts';
import { MIN_COVERAGE } from '../../src/worker/sentiment/coverage.ts';
import { PARITY_REVIEWS } from '../fixtures/reviews.ts';
import { call, expectError, postJson, type SentimentJson } from './helpers.ts';
import './node-scores.ts';

const metadata = metadataJson as unknown as ModelMetadata;
const LONG_REVIEW = PARITY_REVIEWS.at(-1)!;
/** The parity reviews as onnxruntime-web in Node scores them (tests/worker/global-setup.ts). */
const node = inject('nodeScores');

const vocabulary = new Set(vocabularyJson.words);
const { markNegation, maxLength, truncation } = metadata.tokenizer;

/** The share of the tokens the model reads of `text` that the vocabulary holds, from model/vocab.json. */
function expectedCoverage(text: string): number {
  const tokens = truncateWords(splitWords(text, { markNegation }), { maxLength, truncation });
  return tokens.filter((t) => vocabulary.has(t)).length / tokens.length;
}

/** Checks the answer for PARITY_REVIEWS[i] against the tokenizer, the vocabulary and Node's score for it. */
function expectResult(result: SentimentJson, i: number) {
  const text = PARITY_REVIEWS[i]!;
  expect(Object.keys(result)).toEqual(['label', 'score', 'tokens', 'truncated', 'coverage', 'reliable', 'model']);
  expect(Math.abs(result.score - node.single[i]!), `score of review ${i}`).toBeLessThanOrEqual(1e-6);
  expect(result.label).toBe(result.score >= 0.5 ? 'positive' : 'negative');
  const words = splitWords(text).length;
  expect(result.tokens).toBe(Math.min(words, metadata.tokenizer.maxLength));
  expect(result.truncated).toBe(words > metadata.tokenizer.maxLength);
  expect(result.model).toBe(metadata.name);
  expect(result.coverage).toBeCloseTo(expectedCoverage(text), 12);
  expect(result.reliable).toBe(true);
}

describe('POST /api/sentiment', () => {
  it('scores one text', async () => {
    const response = await postJson('/api/sentiment', { text: PARITY_REVIEWS[0] });
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^application\/json/);
    expectResult((await response.json()) as SentimentJson, 0);
  });

  it('accepts a charset parameter on the content type', async () => {
    const response = await postJson(
      '/api/sentiment',
      { text: 'fine' },
      { 'Content-Type': 'application/json; charset=utf-8' },
    );
    expect(response.status).toBe(200);
  });

  it('reports truncation and reads at most maxLength words', async () => {
    expect(splitWords(LONG_REVIEW).length).toBeGreaterThan(metadata.tokenizer.maxLength);
    const result = (await (await postJson('/api/sentiment', { text: LONG_REVIEW })).json()) as SentimentJson;
    expect(result.truncated).toBe(true);
    expect(result.tokens).toBe(metadata.tokenizer.maxLength);
  });

  it('scores a batch in order, with the same scores as one at a time', async () => {
    const texts = PARITY_REVIEWS.slice(0, 6);
    const response = await postJson('/api/sentiment', { texts });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { results: SentimentJson[]; model: string };
    expect(Object.keys(body).sort()).toEqual(['model', 'results']);
    expect(body.model).toBe(metadata.name);
    expect(body.results).toHaveLength(texts.length);
    for (const [i, text] of texts.entries()) {
      expectResult(body.results[i]!, i);
      const alone = (await (await postJson('/api/sentiment', { text })).json()) as SentimentJson;
      expect(body.results[i]!.score).toBeCloseTo(alone.score, 6);
      expect(body.results[i]!.label).toBe(alone.label);
    }
  });

  it('accepts 1 and 64 texts', async () => {
    const one = await postJson('/api/sentiment', { texts: ['good'] });
    expect(one.status).toBe(200);
    const many = await postJson('/api/sentiment', {
      texts: Array.from({ length: 64 }, (_, i) => `review number ${i} was good`),
    });
    expect(many.status).toBe(200);
    expect(((await many.json()) as { results: unknown[] }).results).toHaveLength(64);
  });

  it('accepts a text of exactly 20,000 characters', async () => {
    const text = 'good '.repeat(4000);
    const response = await postJson('/api/sentiment', { text });
    expect(response.status).toBe(200);
    // Read as a text of 4,000 words: all of it reached the tokenizer, which kept maxLength of them.
    const result = (await response.json()) as SentimentJson;
    expect([result.tokens, result.truncated]).toEqual([Math.min(4000, maxLength), 4000 > maxLength]);
  });
});

describe('texts the model cannot read', () => {
  it.each([
    ['Japanese', 'この映画は本当に素晴らしかった。俳優の演技も最高で、もう一度見たいです。'],
    ['French', "Ce film était vraiment magnifique, les acteurs sont excellents et l'histoire m'a beaucoup ému."],
  ])('marks a review in %s unreliable, saying why', async (_language, text) => {
    const result = (await (await postJson('/api/sentiment', { text })).json()) as SentimentJson;
    // Below the threshold by the served vocabulary's own count, and the answer says the same share.
    expect(expectedCoverage(text)).toBeLessThan(MIN_COVERAGE);
    expect(result.coverage).toBeCloseTo(expectedCoverage(text), 12);
    expect(result.reliable).toBe(false);
    expect(result.warning).toContain(`Only ${Math.round(100 * result.coverage)}% of the words`);
    expect(result.warning).toMatch(/cannot read this text/);
  });

  it('keeps an English review reliable, with no warning', async () => {
    const text = 'A moving, beautifully acted film.';
    const result = (await (await postJson('/api/sentiment', { text })).json()) as SentimentJson;
    expect(expectedCoverage(text)).toBeGreaterThanOrEqual(MIN_COVERAGE);
    expect(result.coverage).toBeCloseTo(expectedCoverage(text), 12);
    expect(result.reliable).toBe(true);
    expect(result).not.toHaveProperty('warning');
  });
});

describe('POST /api/sentiment errors', () => {
  it('400 for malformed JSON', async () => {
    const response = await call('/api/sentiment', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"text": "unterminated',
    });
    await expectError(response, 400, 'invalid_json');
  });

  it('400 for a body that is not an object, or has both text and texts', async () => {
    await expectError(await postJson('/api/sentiment', ['a review']), 400, 'invalid_body');
    await expectError(await postJson('/api/sentiment', 'a review'), 400, 'invalid_body');
    await expectError(await postJson('/api/sentiment', null), 400, 'invalid_body');
    const both = await expectError(await postJson('/api/sentiment', { text: 'a', texts: ['b'] }), 400, 'invalid_body');
    expect(both).toMatch(/exactly one of "text" .* and "texts"/);
  });

  it('400 naming unknown fields, and what the body takes', async () => {
    const message = await expectError(await postJson('/api/sentiment', { review: 'good' }), 400, 'invalid_body');
    expect(message).toContain('"review"');
    expect(message).toContain('"texts"');
    const two = await expectError(
      await postJson('/api/sentiment', { text: 'good', lang: 'en', id: 3 }),
      400,
      'invalid_body',
    );
    expect(two).toContain('"lang", "id"');
  });

  it('400 for missing, null, empty or non-string text', async () => {
    const missing = await expectError(await postJson('/api/sentiment', {}), 400, 'missing_text');
    expect(missing).toContain('"texts"');
    await expectError(await postJson('/api/sentiment', { text: null }), 400, 'missing_text');
    await expectError(await postJson('/api/sentiment', { text: '' }), 400, 'empty_text');
    await expectError(await postJson('/api/sentiment', { text: 42 }), 400, 'invalid_text');
    await expectError(await postJson('/api/sentiment', { text: ['good'] }), 400, 'invalid_text');
    await expectError(await postJson('/api/sentiment', { text: { words: 'good' } }), 400, 'invalid_text');
  });

  it('400 for bad texts: not an array, empty, or holding a non-string or empty string', async () => {
    await expectError(await postJson('/api/sentiment', { texts: 'good' }), 400, 'invalid_text');
    await expectError(await postJson('/api/sentiment', { texts: [] }), 400, 'too_many_texts');
    const nonString = await expectError(await postJson('/api/sentiment', { texts: ['good', 7] }), 400, 'invalid_text');
    expect(nonString).toContain('texts[1]');
    await expectError(await postJson('/api/sentiment', { texts: ['good', ''] }), 400, 'empty_text');
  });

  it('400 saying so for a text with no words left after normalisation', async () => {
    const message = await expectError(await postJson('/api/sentiment', { text: '?!... --- :-)' }), 400, 'no_words');
    expect(message).toMatch(/no words/);
    await expectError(await postJson('/api/sentiment', { text: '<p></p> <br />' }), 400, 'no_words');
    await expectError(await postJson('/api/sentiment', { text: '   ' }), 400, 'no_words');
  });

  it('gives a batch item with no words its own error, in its place, and scores the others', async () => {
    const response = await postJson('/api/sentiment', { texts: ['A great film.', '!!!', 'Awful.'] });
    expect(response.status).toBe(200);
    const { results } = (await response.json()) as {
      results: Array<SentimentJson | { error: { code: string; message: string } }>;
    };
    expect(results).toHaveLength(3);
    expect(results[1]).toEqual({ error: { code: 'no_words', message: expect.stringContaining('texts[1]') } });
    for (const i of [0, 2]) {
      const alone = (await (
        await postJson('/api/sentiment', { text: ['A great film.', '', 'Awful.'][i] })
      ).json()) as SentimentJson;
      expect(results[i]).toEqual(alone);
    }
  });

  it('400 for more than 64 texts', async () => {
    const message = await expectError(
      await postJson('/api/sentiment', { texts: Array.from({ length: 65 }, () => 'good') }),
      400,
      'too_many_texts',
    );
    expect(message).toContain('65');
  });

  it('413 for a text over 20,000 characters', async () => {
    await expectError(await postJson('/api/sentiment', { text: 'a'.repeat(20_001) }), 413, 'text_too_long');
    await expectError(await postJson('/api/sentiment', { texts: ['good', 'b'.repeat(20_001)] }), 413, 'text_too_long');
  });

  it('413 for a body over 256 KiB, with or without Content-Length; a body of exactly 256 KiB is read', async () => {
    const limit = 256 * 1024;
    // A valid request, padded with JSON whitespace to `bytes` bytes.
    const padded = (bytes: number) => {
      const json = JSON.stringify({ text: 'good' });
      return new TextEncoder().encode(json + ' '.repeat(bytes - json.length));
    };
    /** The same bytes as a stream of 16 KiB chunks, whose length the Worker cannot know in advance. */
    const streamOf = (bytes: Uint8Array) =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < bytes.length; i += 16_384) controller.enqueue(bytes.slice(i, i + 16_384));
          controller.close();
        },
      });
    const post = (body: BodyInit, length?: number) =>
      call('/api/sentiment', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(length ? { 'Content-Length': String(length) } : {}) },
        body,
      });
    for (const send of [(b: Uint8Array) => post(b, b.length), (b: Uint8Array) => post(streamOf(b))]) {
      const exactly = await send(padded(limit));
      expect(exactly.status, await exactly.clone().text()).toBe(200);
      const message = await expectError(await send(padded(limit + 1)), 413, 'body_too_large');
      expect(message).toContain('256 KiB');
    }
  });

  it('415 for another content type', async () => {
    const text = JSON.stringify({ text: 'good' });
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      await expectError(
        await call('/api/sentiment', { method: 'POST', headers: { 'Content-Type': type }, body: text }),
        415,
        'unsupported_media_type',
      );
    }
    await expectError(
      await call('/api/sentiment', { method: 'POST', body: new Blob([text]) }),
      415,
      'unsupported_media_type',
    );
  });
});

describe('GET /api/model and /healthz', () => {
  it('describes the model from model/metadata.json', async () => {
    const response = await call('/api/model');
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      name: metadata.name,
      architecture: metadata.architecture,
      vocabSize: vocabularyJson.words.length,
      maxLength: metadata.tokenizer.maxLength,
      quantization: metadata.onnx.quantization,
      accuracy: metadata.metrics?.results.onnxInt8?.accuracy ?? null,
    });
    expect(body.vocabSize).toBe(metadata.tokenizer.vocabSize);
    // Every graph the Worker bundles, with the size it has.
    const { graphs } = bundledModelFiles();
    expect((body.onnx as { files: { file: string; bytes: number }[] }).files.map((f) => [f.file, f.bytes])).toEqual([
      ['sentiment.onnx', graphs.scoring.byteLength],
      ['trace.onnx', graphs.trace?.byteLength],
      ['neighbors.onnx', graphs.neighbors?.byteLength],
    ]);
    expect(body.tokenizer).toMatchObject({
      truncation: metadata.tokenizer.truncation,
      markNegation: vocabularyJson.markNegation === true,
    });
  });

  it('healthz says ok once the model is loaded', async () => {
    const response = await call('/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});

describe('methods and paths', () => {
  const cases: Array<[string, string, string[]]> = [
    ['GET', '/api/sentiment', ['POST']],
    ['PUT', '/api/sentiment', ['POST']],
    ['DELETE', '/', ['GET', 'HEAD', 'POST']],
    ['PATCH', '/', ['GET', 'HEAD', 'POST']],
    ['POST', '/api/model', ['GET', 'HEAD']],
    ['POST', '/healthz', ['GET', 'HEAD']],
  ];
  it.each(cases)('405 with Allow for %s %s', async (method, path, allowed) => {
    const response = await call(path, { method });
    await expectError(response, 405, 'method_not_allowed');
    const allow = (response.headers.get('Allow') ?? '').split(/,\s*/);
    for (const m of allowed) expect(allow).toContain(m);
    expect(allow).not.toContain(method);
  });

  it('404 for an unknown path', async () => {
    await expectError(await call('/nothing-here'), 404, 'not_found');
    await expectError(await call('/api/nothing'), 404, 'not_found');
    await expectError(await call('/api/sentiment/extra', { method: 'POST' }), 404, 'not_found');
  });

  it('HEAD works where GET does', async () => {
    const response = await call('/api/model', { method: 'HEAD' });
    expect(response.status).toBe(200);
  });
});

describe('CORS and security headers', () => {
  it('answers a preflight for the JSON API from any origin', async () => {
    const response = await call('/api/sentiment', {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://example.org',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(response.headers.get('Access-Control-Allow-Methods')).toMatch(/POST/);
    expect(response.headers.get('Access-Control-Allow-Methods')).toMatch(/GET/);
    expect(response.headers.get('Access-Control-Allow-Headers')?.toLowerCase()).toContain('content-type');
  });

  it('allows any origin on API answers, errors included', async () => {
    const headers = { Origin: 'https://example.org' };
    expect(
      (await postJson('/api/sentiment', { text: 'good' }, headers)).headers.get('Access-Control-Allow-Origin'),
    ).toBe('*');
    expect((await postJson('/api/sentiment', {}, headers)).headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect((await call('/api/model', { headers })).headers.get('Access-Control-Allow-Origin')).toBe('*');
  });

  it('sends nosniff, a Referrer-Policy and a CSP without inline script everywhere', async () => {
    for (const response of [
      await call('/'),
      await call('/api/model'),
      await postJson('/api/sentiment', {}),
      await call('/missing'),
    ]) {
      expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
      expect(response.headers.get('Referrer-Policy')).toBe('no-referrer');
      const csp = response.headers.get('Content-Security-Policy') ?? '';
      expect(csp).toContain("script-src 'none'");
      expect(csp).toContain("default-src 'none'");
      expect(csp).not.toContain('unsafe-inline');
    }
  });
});
