import { exports } from 'cloudflare:workers';
import { expect } from 'vitest';
import metadataJson from '../../model/metadata.json';
import type { ModelMetadata } from '../../src/model/metadata.ts';
import type { ModelFiles } from '../../src/model/model-files.ts';
import { SentimentModel } from '../../src/model/sentiment-model.ts';
import { readWords } from '../../src/tokenizer/index.ts';
import { plan } from '../../src/worker/contract/limits.ts';
import { runtimeModule } from '../../src/worker/model/bundled.ts';
import { withOrt } from '../../src/worker/model/ort-runtime.ts';

export const ORIGIN = 'http://worker.test';

/** Whether the served model has a trace graph (a bidirectional model has none, and cannot answer "trace": true). */
export const HAS_TRACE = (metadataJson as unknown as ModelMetadata).onnx.trace !== undefined;

/**
 * The name of a test that needs the served model's trace, run with `it.skipIf(!HAS_TRACE)`: when it is skipped,
 * the report says why rather than only "skipped".
 */
export function needsTrace(name: string): string {
  return HAS_TRACE ? name : `${name} (skipped: the served model has no trace graph)`;
}

/** A request to the Worker under test (its default export), as a client would send it. */
export function call(path: string, init?: RequestInit): Promise<Response> {
  return exports.default.fetch(new Request(`${ORIGIN}${path}`, init));
}

export function postJson(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return call(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/**
 * POSTs `texts` as batches in a row, each as large as the free plan's word budget takes (words read: each text's
 * words, at most the model's maxLength), and returns every result in order. Each answer must be 200.
 */
export async function postBatches(texts: readonly string[], extra: Record<string, unknown> = {}) {
  const { markNegation, maxLength } = (metadataJson as unknown as ModelMetadata).tokenizer;
  const budget = plan('free', maxLength).wordsPerRequest;
  const batches: string[][] = [];
  let words = budget;
  for (const text of texts) {
    const read = Math.min(readWords(text, { markNegation }).length, maxLength);
    if (words + read > budget) {
      batches.push([]);
      words = 0;
    }
    batches.at(-1)!.push(text);
    words += read;
  }
  const results: SentimentJson[] = [];
  for (const batch of batches) {
    const response = await postJson('/api/sentiment', { texts: batch, ...extra });
    expect(response.status).toBe(200);
    results.push(...((await response.json()) as { results: SentimentJson[] }).results);
  }
  return results;
}

export function postForm(fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return call('/', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

export interface SentimentJson {
  label: 'positive' | 'negative';
  score: number;
  tokens: number;
  truncated: boolean;
  coverage: number;
  reliable: boolean;
  warning?: string;
  model: string;
  /** Only with "trace": true. */
  trace?: Array<{ word: string; score: number; negated?: true; token?: string; unknown?: true }>;
}

/** Asserts the contract's error shape: `{"error": {"code", "message"}}` and nothing else, no stack trace. */
export async function expectError(response: Response, status: number, code: string): Promise<string> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  expect(response.headers.get('Content-Type')).toMatch(/^application\/json/);
  const body = JSON.parse(text) as { error: { code: string; message: string } };
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message']);
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(10);
  expect(text).not.toMatch(/\bat .+:\d+:\d+/);
  return body.error.message;
}

/** A model on these files, with ONNX Runtime as the Worker runs it (already started in this isolate). */
export function loadModel(files: ModelFiles): Promise<SentimentModel> {
  return withOrt(runtimeModule, (ort) => SentimentModel.load(ort, files));
}
