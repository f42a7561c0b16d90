/**
 * The Worker's one error type. Every failure a client can see is an ApiError, answered by the one
 * `app.onError` as `{"error": {"code", "message"}}` (or, for a browser on the page, the page with the message).
 * Nothing else reaches the client: no 500 with a stack trace.
 */
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { LIMITS, type Plan, RATE_LIMIT_PERIOD_SECONDS } from './limits.ts';

/** Every error code the Worker answers with (the OpenAPI document lists them). */
export const ERROR_CODES = [
  'invalid_json',
  'invalid_form',
  'invalid_body',
  'missing_text',
  'invalid_text',
  'empty_text',
  'no_words',
  'too_many_texts',
  'invalid_trace',
  'trace_unavailable',
  'missing_word',
  'unknown_word',
  'text_too_long',
  'too_much_work',
  'body_too_large',
  'unsupported_media_type',
  'method_not_allowed',
  'rate_limited',
  'not_found',
  'model_unavailable',
  'misconfigured',
  'internal_error',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toJSON(): { error: { code: ErrorCode; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

const kib = (bytes: number) => `${bytes / 1024} KiB`;
/** A value the client sent, quoted in a message and cut short so a long one does not fill it. */
const quote = (value: string) => JSON.stringify(value.length > 40 ? `${value.slice(0, 39)}…` : value);

/** The errors the contract names, in one place so their wording stays consistent. */
export const Errors = {
  invalidJson: () => new ApiError(400, 'invalid_json', 'The request body is not valid JSON.'),
  invalidForm: () => new ApiError(400, 'invalid_form', 'The request body is not a valid form.'),
  invalidBody: () =>
    new ApiError(400, 'invalid_body', 'The body must be a JSON object: {"text": string} or {"texts": string[]}.'),
  textAndTexts: () =>
    new ApiError(
      400,
      'invalid_body',
      'Send exactly one of "text" (one review) and "texts" (a list of reviews), not both.',
    ),
  unknownFields: (names: string[]) =>
    new ApiError(
      400,
      'invalid_body',
      `Unknown field${names.length > 1 ? 's' : ''} ${names.map((n) => `"${n}"`).join(', ')}: the body takes "text" ` +
        '(one review) or "texts" (a list of reviews), and optionally "trace".',
    ),
  missingText: (where = 'text') =>
    new ApiError(
      400,
      'missing_text',
      where === 'text'
        ? 'The body has no "text" (one review) or "texts" (a list of reviews): send one of them.'
        : `The field "${where}" is missing.`,
    ),
  invalidText: (where = 'text') => new ApiError(400, 'invalid_text', `"${where}" must be a string.`),
  emptyText: (where = 'text') => new ApiError(400, 'empty_text', `"${where}" is empty: send the review to analyse.`),
  noWords: (where = 'text') =>
    new ApiError(
      400,
      'no_words',
      `"${where}" has no words left after normalisation (only punctuation, markup or symbols?).`,
    ),
  tooManyTexts: (count: number) =>
    new ApiError(400, 'too_many_texts', `"texts" must hold 1 to ${LIMITS.maxTexts} strings; it has ${count}.`),
  invalidTrace: () => new ApiError(400, 'invalid_trace', '"trace" must be true or false (or left out).'),
  traceUnavailable: (model: string) =>
    new ApiError(
      400,
      'trace_unavailable',
      `The model ${model} has no per-word trace (a bidirectional model reads every word before scoring, so it has no score after each word): send the request without "trace".`,
    ),
  missingWord: (sent?: string) =>
    new ApiError(
      400,
      'missing_word',
      sent === undefined || sent.trim() === ''
        ? 'Send one word as the query parameter "word", for example ?word=good.'
        : `"word" (${quote(sent)}) has no word left after normalisation: send one word, for example ?word=good.`,
    ),
  unknownWord: (word: string, vocabSize: number) =>
    new ApiError(
      404,
      'unknown_word',
      `${quote(word)} is not in the model's vocabulary (the ${vocabSize.toLocaleString('en-US')} most frequent words ` +
        'of its training reviews, read in lower case; a word after a negation is read as "not_<word>"): send another ' +
        'single word, for example ?word=good.',
    ),
  textTooLong: (where: string, length: number) =>
    new ApiError(413, 'text_too_long', `"${where}" has ${length} characters; the limit is ${LIMITS.maxTextChars}.`),
  tooMuchWork: (amount: number, unit: 'words' | 'characters', plan: Plan) =>
    new ApiError(
      413,
      'too_much_work',
      `This request asks the model to read ${amount.toLocaleString('en-US')} ${unit}; this deployment (PLAN ` +
        `"${plan.name}") reads at most ${(unit === 'words' ? plan.wordsPerRequest : plan.charsPerRequest).toLocaleString('en-US')} ` +
        `${unit} per request, to stay within Cloudflare's ${plan.cpuMsPerRequest} ms of CPU. Split the batch into smaller ` +
        `requests${plan.name === 'free' ? ', or deploy with PLAN = "paid" in wrangler.toml [vars]' : ''}.`,
    ),
  bodyTooLarge: (maxBytes: number) =>
    new ApiError(413, 'body_too_large', `The request body is larger than ${kib(maxBytes)}.`),
  unsupportedMediaType: (expected: string, got: string | undefined) =>
    new ApiError(415, 'unsupported_media_type', `Send the body as ${expected}${got ? `, not ${got}` : ''}.`),
  methodNotAllowed: (method: string, allowed: string[]) =>
    new ApiError(405, 'method_not_allowed', `${method} is not allowed here; use ${allowed.join(', ')}.`, {
      Allow: allowed.join(', '),
    }),
  notFound: (path: string) => new ApiError(404, 'not_found', `Nothing at ${path}. See GET / or GET /api/model.`),
  modelUnavailable: (reason: string) =>
    new ApiError(503, 'model_unavailable', `The model could not be started: ${reason} Try again in a moment.`, {
      'Retry-After': '1',
    }),
  rateLimited: () =>
    new ApiError(
      429,
      'rate_limited',
      `Too many requests from your address in the last ${RATE_LIMIT_PERIOD_SECONDS} seconds: wait, then try again.`,
      { 'Retry-After': String(RATE_LIMIT_PERIOD_SECONDS) },
    ),
  misconfigured: (reason: string) => new ApiError(500, 'misconfigured', `The Worker is misconfigured: ${reason}`),
  internal: () => new ApiError(500, 'internal_error', 'Something went wrong on our side.'),
};

/** Turns anything thrown while answering into an ApiError. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof HTTPException) {
    // Raised by hono's validators when the body cannot be parsed.
    if (error.status === 400 && /json/i.test(error.message)) return Errors.invalidJson();
    if (error.status === 400) return Errors.invalidForm();
  }
  return Errors.internal();
}
