/**
 * GET /openapi.json: a valid OpenAPI 3.1 document, generated from the schemas that validate the requests, that
 * lists every route the Worker answers and every error code it can answer with.
 */
import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { beforeAll, describe, expect, it } from 'vitest';
import { type App, nodeApp } from '../../bench/request-cpu.ts';
import { ERROR_CODES } from '../../src/worker/contract/errors.ts';
import { RATE_LIMIT_PERIOD_SECONDS } from '../../src/worker/contract/limits.ts';

interface Document {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, { description: string }> }>>;
  components: { schemas: Record<string, unknown> };
}

let app: App;
let document: Document;

beforeAll(async () => {
  app = await nodeApp('model');
  const response = await app.request('http://test/openapi.json');
  expect(response.status).toBe(200);
  expect(response.headers.get('Content-Type')).toMatch(/^application\/json/);
  document = (await response.json()) as Document;
}, 60_000);

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    expect(document.openapi).toBe('3.1.0');
    const result = await new Validator().validate(document as unknown as Parameters<Validator['validate']>[0]);
    expect(result.errors ?? [], JSON.stringify(result.errors, null, 2)).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('lists every route the Worker answers, with its methods', () => {
    const routes = new Set(
      app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method.toLowerCase()} ${r.path}`),
    );
    const documented = new Set(
      Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m} ${path}`)),
    );
    expect([...routes].sort()).toEqual([...documented].sort());
  });

  it('names every error code, each in the error responses of a route', () => {
    const text = JSON.stringify(document.paths);
    for (const code of ERROR_CODES) expect(text, code).toContain(`\`${code}\``);
    const error = document.components.schemas.Error as {
      properties: { error: { properties: { code: { enum: string[] } } } };
    };
    expect(error.properties.error.properties.code.enum).toEqual([...ERROR_CODES]);
  });

  it('documents the request body from the validating schema: exactly one of text and texts', () => {
    const request = document.components.schemas.SentimentRequest as {
      properties: Record<string, unknown>;
      oneOf: unknown[];
    };
    expect(Object.keys(request.properties).sort()).toEqual(['text', 'texts', 'trace']);
    expect(request.oneOf).toEqual([{ required: ['text'] }, { required: ['texts'] }]);
  });
});

describe('the rate limit', () => {
  it("answers 429 with a Retry-After of wrangler.toml's period", () => {
    const period = /\[\[ratelimits\]\][\s\S]*?period\s*=\s*(\d+)/.exec(readFileSync('wrangler.toml', 'utf8'))?.[1];
    expect(Number(period)).toBe(RATE_LIMIT_PERIOD_SECONDS);
  });
});
