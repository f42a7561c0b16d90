/**
 * GET /how: the page on how the network reads, for the example text and words, or with `?word=` (its nearest
 * words) and `?text=` (its memory over time). Both forms are GET forms, so a result is a link and the page works
 * with no JavaScript.
 */
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { ApiError } from '../contract/errors.ts';
import { errorResponse, everyRouteErrors } from '../contract/openapi.ts';
import type { AppEnv } from '../http/env.ts';
import { checkRateLimit } from '../http/rate-limit.ts';
import { wantsHtml } from '../http/wants-html.ts';
import { checkText } from '../sentiment/analyse.ts';
import { memoryOf } from './memory.ts';
import { asHowModel } from './model.ts';
import { neighborsOf } from './neighbors.ts';
import { type HowState, renderHowPage } from './page.ts';
import { howParts } from './parts.ts';

/** Runs `work`; an ApiError is returned instead of thrown (anything else is a fault and is thrown). */
async function attempt(work: () => unknown): Promise<ApiError | undefined> {
  try {
    await work();
    return undefined;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
}

export function howRoutes() {
  const how = new Hono<AppEnv>();
  const page = (why: string) => `${why} (the page, for a browser)`;

  how.get(
    '/how',
    describeRoute({
      summary: 'How the network reads: its parameters, nearest words, memory over time, gradient and word order',
      parameters: [
        {
          name: 'word',
          in: 'query',
          required: false,
          schema: { type: 'string' },
          description: 'A word whose nearest words in the embedding to show (default: a few fixed words only).',
        },
        {
          name: 'text',
          in: 'query',
          required: false,
          schema: { type: 'string' },
          description: 'A review whose recurrent state to draw, its first 60 words (default: an example).',
        },
      ],
      responses: {
        200: { description: 'The page.', content: { 'text/html': { schema: { type: 'string' as const } } } },
        ...everyRouteErrors(),
        400: errorResponse(['missing_word', 'empty_text', 'no_words'], page('for an empty word or text')),
        404: errorResponse(['unknown_word', 'not_found'], page('for a word outside the vocabulary')),
        413: errorResponse(['text_too_long', 'too_much_work'], page('for a text over the limits')),
        429: errorResponse(['rate_limited'], page('with ?word= or ?text=')),
        503: errorResponse(['model_unavailable']),
      },
    }),
    async (c) => {
      const word = c.req.query('word');
      const text = c.req.query('text');
      const model = asHowModel(await c.var.model());
      const parts = await howParts(model);
      const state: HowState = { word, text };
      // The example's parts are computed once per isolate: only a visitor's word or text runs anything, so only
      // then does the request count against the rate limit. A refused request shows the example's parts.
      const limited = word === undefined && text === undefined ? undefined : await attempt(() => checkRateLimit(c));
      const wordError =
        limited || word === undefined
          ? undefined
          : await attempt(async () => (state.neighbors = await neighborsOf(model, word)));
      const textError =
        limited || text === undefined
          ? undefined
          : await attempt(async () => (state.memory = await memoryOf(model, checkText(text, 'text'), c.var.plan)));
      state.error = limited?.toJSON().error;
      state.wordError = wordError?.toJSON().error;
      state.textError = textError?.toJSON().error;
      const failure = limited ?? wordError ?? textError;
      // Other clients than a browser get the JSON error, as on the main page.
      if (failure && !wantsHtml(c)) throw failure;
      for (const [name, value] of Object.entries(failure?.headers ?? {})) c.header(name, value);
      return c.html(renderHowPage(model.metadata, model.emptyScore, parts, state), failure?.status ?? 200);
    },
  );
  return how;
}
