/**
 * The JSON API: POST /api/sentiment, GET /api/model, GET /healthz, each described for the OpenAPI document from
 * the same schemas that validate the requests (schemas.ts).
 */
import { Hono } from 'hono';
import { describeRoute, resolver, validator } from 'hono-openapi';
import * as v from 'valibot';
import type { ModelMetadata } from '../../model/metadata.ts';
import { Errors } from '../contract/errors.ts';
import type { Plan } from '../contract/limits.ts';
import { errorResponse, everyRouteErrors } from '../contract/openapi.ts';
import { asHowModel } from '../how/model.ts';
import { NEIGHBOR_COUNT, neighborsOf } from '../how/neighbors.ts';
import { limitBody, requireJson } from '../http/body.ts';
import type { AppEnv } from '../http/env.ts';
import { rateLimit } from '../http/rate-limit.ts';
import { analyseBatch, analyseText } from '../sentiment/analyse.ts';
import { BatchResult, Health, ModelInfo, NeighborsResult, SentimentRequest, SentimentResult } from './schemas.ts';
import { issueToApiError } from './validation-errors.ts';

const json = (schema: Parameters<typeof resolver>[0], description: string) => ({
  description,
  content: { 'application/json': { schema: resolver(schema) } },
});

/** GET /api/model: what the model is and how well it did, straight from model/metadata.json. */
export function describeModel(metadata: ModelMetadata, plan: Plan) {
  const measured = metadata.metrics?.results.onnxInt8;
  const { scoring, trace, neighbors } = metadata.onnx;
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
    trace: trace !== undefined,
    maxLength: metadata.tokenizer.maxLength,
    quantization: metadata.onnx.quantization,
    onnx: {
      opset: metadata.onnx.opset,
      files: [scoring, trace, neighbors].flatMap((named) =>
        named ? [{ file: named.file, bytes: named.bytes, sha256: named.sha256 }] : [],
      ),
    },
    plan,
    accuracy: measured?.accuracy ?? null,
    metrics: metadata.metrics ?? null,
  };
}

export function apiRoutes(metadata: ModelMetadata) {
  const api = new Hono<AppEnv>();

  api.post(
    '/api/sentiment',
    describeRoute({
      summary: 'Score one review ("text") or up to 64 ("texts")',
      responses: {
        200: json(v.union([SentimentResult, BatchResult]), 'One result for "text"; { results, model } for "texts".'),
        400: errorResponse([
          'invalid_json',
          'invalid_body',
          'missing_text',
          'invalid_text',
          'empty_text',
          'no_words',
          'too_many_texts',
          'invalid_trace',
          'trace_unavailable',
        ]),
        413: errorResponse(['body_too_large', 'text_too_long', 'too_much_work']),
        415: errorResponse(['unsupported_media_type']),
        429: errorResponse(['rate_limited']),
        503: errorResponse(['model_unavailable']),
        ...everyRouteErrors(),
      },
    }),
    rateLimit,
    requireJson,
    limitBody,
    validator('json', SentimentRequest, (result) => {
      // A failed validation is the contract's ApiError (answered by app.onError), not the library's own 400.
      if (!result.success) throw issueToApiError(result.error, result.data);
    }),
    async (c) => {
      const request = c.req.valid('json');
      const model = await c.var.model();
      const options = { trace: request.trace === true, plan: c.var.plan };
      if (request.texts === undefined) return c.json(await analyseText(model, request.text!, options));
      return c.json({ results: await analyseBatch(model, request.texts, options), model: model.name });
    },
  );

  api.get(
    '/api/model',
    describeRoute({
      summary: "The model, its measured accuracy and this deployment's plan",
      responses: { 200: json(ModelInfo, 'The model.'), ...everyRouteErrors() },
    }),
    (c) => c.json(describeModel(metadata, c.var.plan)),
  );

  api.get(
    '/api/neighbors',
    describeRoute({
      summary: `The ${NEIGHBOR_COUNT} words nearest to a word in the model's embedding (cosine similarity)`,
      parameters: [
        {
          name: 'word',
          in: 'query',
          required: true,
          schema: { type: 'string' },
          description: 'One word, read as the model reads text (lower case; "not good" is the word "not_good").',
        },
      ],
      responses: {
        200: json(NeighborsResult, 'The nearest words.'),
        ...everyRouteErrors(),
        400: errorResponse(['missing_word']),
        404: errorResponse(['unknown_word', 'not_found'], 'for a word outside the vocabulary, or at a path not listed'),
        429: errorResponse(['rate_limited']),
        503: errorResponse(['model_unavailable']),
      },
    }),
    // One query reads the whole embedding (vocabulary x dimension multiply-adds, over a millisecond of CPU).
    rateLimit,
    async (c) => {
      const word = c.req.query('word');
      if (word === undefined) throw Errors.missingWord();
      return c.json(await neighborsOf(asHowModel(await c.var.model()), word));
    },
  );

  api.get(
    '/healthz',
    describeRoute({
      summary: 'Whether the model is started',
      responses: {
        200: json(Health, 'The model is started.'),
        503: errorResponse(['model_unavailable']),
        ...everyRouteErrors(),
      },
    }),
    async (c) => {
      await c.var.model();
      return c.json({ status: 'ok' });
    },
  );

  return api;
}
