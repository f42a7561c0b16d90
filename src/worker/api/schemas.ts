/**
 * The JSON API's bodies as valibot schemas: the request schema validates POST /api/sentiment, and every schema
 * here also writes the OpenAPI document (GET /openapi.json), so the two cannot drift apart. A failed check's
 * message is the error code it answers with (validation-errors.ts turns it into the ApiError).
 */
import * as v from 'valibot';
import { LIMITS } from '../contract/limits.ts';
import { ErrorBody } from '../contract/openapi.ts';

const Text = v.pipe(
  v.string('invalid_text'),
  v.minLength(1, 'empty_text'),
  v.maxLength(LIMITS.maxTextChars, 'text_too_long'),
  v.description(`A review, 1 to ${LIMITS.maxTextChars.toLocaleString('en-US')} characters (UTF-16 code units).`),
);

export const SentimentRequest = v.pipe(
  v.strictObject(
    {
      text: v.optional(Text),
      texts: v.optional(
        v.pipe(
          v.array(Text, 'invalid_text'),
          v.minLength(1, 'too_many_texts'),
          v.maxLength(LIMITS.maxTexts, 'too_many_texts'),
          v.description(`1 to ${LIMITS.maxTexts} reviews, answered in order.`),
        ),
      ),
      trace: v.optional(v.pipe(v.boolean('invalid_trace'), v.description('Add the score after each word read.'))),
    },
    'invalid_body',
  ),
  v.check((body) => body.text !== undefined || body.texts !== undefined, 'missing_text'),
  v.check((body) => body.text === undefined || body.texts === undefined, 'invalid_body'),
  // Exactly one of text and texts, for the document (the checks above enforce it).
  v.metadata({ ref: 'SentimentRequest', oneOf: [{ required: ['text'] }, { required: ['texts'] }] }),
);

const TraceStep = v.pipe(
  v.object({
    word: v.pipe(v.string(), v.description('The word as the text has it (normalised: lower case, markup removed).')),
    score: v.pipe(v.number(), v.description('Probability positive after reading the text up to this word.')),
    negated: v.optional(
      v.pipe(v.literal(true), v.description('The word is inside a negation scope ("not ... good").')),
    ),
    token: v.optional(v.pipe(v.string(), v.description('The token the model read, when not the word ("not_good").'))),
    unknown: v.optional(v.pipe(v.literal(true), v.description('The word is not in the vocabulary.'))),
  }),
  v.metadata({ ref: 'TraceStep' }),
);

export const SentimentResult = v.pipe(
  v.object({
    label: v.picklist(['positive', 'negative']),
    score: v.pipe(v.number(), v.minValue(0), v.maxValue(1), v.description('Probability that the review is positive.')),
    tokens: v.pipe(v.number(), v.integer(), v.description('Words the model read (at most its maxLength).')),
    truncated: v.pipe(v.boolean(), v.description('Whether the review was longer and words were dropped.')),
    coverage: v.pipe(
      v.number(),
      v.minValue(0),
      v.maxValue(1),
      v.description('Share of the words read in the vocabulary.'),
    ),
    reliable: v.pipe(v.boolean(), v.description('False when too few words are in the vocabulary to mean anything.')),
    warning: v.optional(v.pipe(v.string(), v.description('Why the result is not reliable (only then).'))),
    model: v.string(),
    trace: v.optional(v.pipe(v.array(TraceStep), v.description('With "trace": true: one step per word read.'))),
  }),
  v.metadata({ ref: 'SentimentResult' }),
);

export const BatchResult = v.pipe(
  v.object({
    results: v.pipe(
      v.array(v.union([SentimentResult, ErrorBody])),
      v.description('One per text, in order; a text with no words gets its error (no_words) in its place.'),
    ),
    model: v.string(),
  }),
  v.metadata({ ref: 'BatchResult' }),
);

const Plan = v.object({
  name: v.picklist(['free', 'paid']),
  cpuMsPerRequest: v.number(),
  wordsPerRequest: v.pipe(v.number(), v.integer()),
  charsPerRequest: v.pipe(v.number(), v.integer()),
  maxBodyBytes: v.pipe(v.number(), v.integer()),
});

export const ModelInfo = v.pipe(
  v.looseObject({
    name: v.string(),
    createdAt: v.string(),
    vocabSize: v.pipe(v.number(), v.integer()),
    trace: v.pipe(v.boolean(), v.description('Whether POST /api/sentiment accepts "trace": true.')),
    maxLength: v.pipe(v.number(), v.integer()),
    quantization: v.string(),
    plan: v.pipe(Plan, v.description("This deployment's plan (PLAN in wrangler.toml) and what one request may cost.")),
    accuracy: v.pipe(v.nullable(v.number()), v.description('Accuracy on the 25,000 IMDB test reviews.')),
  }),
  v.metadata({ ref: 'ModelInfo' }),
);

export const Health = v.object({ status: v.literal('ok') });

export const NeighborsResult = v.pipe(
  v.object({
    word: v.pipe(
      v.string(),
      v.description('The word as the model reads it (normalised: lower case; "not_good" for "not good").'),
    ),
    neighbors: v.pipe(
      v.array(
        v.object({
          word: v.string(),
          similarity: v.pipe(v.number(), v.minValue(-1), v.maxValue(1), v.description('Cosine similarity.')),
        }),
      ),
      v.description(
        "The 10 nearest words in the model's embedding: similarity descending, then vocabulary order; the word " +
          'itself and the padding and unknown-word entries left out.',
      ),
    ),
    model: v.string(),
  }),
  v.metadata({ ref: 'NeighborsResult' }),
);
