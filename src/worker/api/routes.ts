/**
 * The JSON API: POST /api/sentiment, GET /api/model, GET /healthz.
 */
import { Hono } from 'hono';
import { validator } from 'hono/validator';
import type { ModelMetadata } from '../../model/metadata.ts';
import { limitBody, requireJson } from '../http/body.ts';
import { Errors } from '../contract/errors.ts';
import type { AppEnv } from '../http/env.ts';
import { LIMITS, type Plan } from '../contract/limits.ts';
import { analyseBatch, analyseText, checkText } from '../sentiment/analyse.ts';

export type SentimentRequest = ({ kind: 'single'; text: string } | { kind: 'batch'; texts: string[] }) & {
  /** Add the score after each word to every result. */
  trace: boolean;
};

/**
 * Validates the body of POST /api/sentiment: exactly one of `text` (string) or `texts` (1..64 strings), and
 * an optional `trace` (boolean).
 */
export function parseSentimentRequest(body: unknown): SentimentRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw Errors.invalidBody();
  const fields = body as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((name) => !['text', 'texts', 'trace'].includes(name));
  if (unknown.length > 0) throw Errors.unknownFields(unknown);
  const hasText = fields.text !== undefined;
  const hasTexts = fields.texts !== undefined;
  if (hasText && hasTexts) throw Errors.textAndTexts();
  if (fields.trace !== undefined && typeof fields.trace !== 'boolean') throw Errors.invalidTrace();
  const trace = fields.trace === true;
  if (!hasTexts) return { kind: 'single', text: checkText(fields.text, 'text'), trace };
  const texts = fields.texts;
  if (!Array.isArray(texts)) throw Errors.invalidText('texts');
  if (texts.length < 1 || texts.length > LIMITS.maxTexts) throw Errors.tooManyTexts(texts.length);
  return { kind: 'batch', texts: texts.map((text, i) => checkText(text, `texts[${i}]`)), trace };
}

/** GET /api/model: what the model is and how well it did, straight from model/metadata.json. */
export function describeModel(metadata: ModelMetadata, plan: Plan) {
  const measured = metadata.metrics?.results.onnxInt8;
  return {
    name: metadata.name,
    createdAt: metadata.createdAt,
    architecture: metadata.architecture,
    tokenizer: {
      version: metadata.tokenizer.version,
      vocabSize: metadata.tokenizer.vocabSize,
      maxLength: metadata.tokenizer.maxLength,
      truncation: metadata.tokenizer.truncation,
      markNegation: metadata.tokenizer.markNegation === true,
    },
    vocabSize: metadata.tokenizer.vocabSize,
    /** Whether POST /api/sentiment accepts "trace": true. */
    trace: metadata.onnx.trace !== undefined,
    maxLength: metadata.tokenizer.maxLength,
    quantization: metadata.onnx.quantization,
    onnx: {
      opset: metadata.onnx.opset,
      files: [metadata.onnx.scoring, ...(metadata.onnx.trace ? [metadata.onnx.trace] : [])].map(({ file, bytes, sha256 }) => ({ file, bytes, sha256 })),
    },
    /** This deployment's plan (`PLAN` in wrangler.toml) and the most words one request may carry on it. */
    plan,
    accuracy: measured?.accuracy ?? null,
    metrics: metadata.metrics ?? null,
  };
}

export function apiRoutes(metadata: ModelMetadata) {
  const api = new Hono<AppEnv>();

  api.post(
    '/api/sentiment',
    requireJson,
    limitBody,
    validator('json', (body) => parseSentimentRequest(body)),
    async (c) => {
      const request = c.req.valid('json');
      const model = await c.var.model();
      const options = { trace: request.trace, plan: c.var.plan };
      if (request.kind === 'single') return c.json(await analyseText(model, request.text, options));
      return c.json({ results: await analyseBatch(model, request.texts, options), model: model.name });
    },
  );

  api.get('/api/model', (c) => c.json(describeModel(metadata, c.var.plan)));

  api.get('/healthz', async (c) => {
    await c.var.model();
    return c.json({ status: 'ok' });
  });

  return api;
}
