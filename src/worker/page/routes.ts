/**
 * The HTML page: GET / (the form; with `?text=` the result for that text, so a result has a link), POST / (the
 * form's post), its stylesheet and icon.
 */
import { type Context, Hono } from 'hono';
import { validator } from 'hono/validator';
import { describeRoute } from 'hono-openapi';
import type { ModelMetadata } from '../../model/metadata.ts';
import { ApiError } from '../contract/errors.ts';
import { errorResponse, everyRouteErrors } from '../contract/openapi.ts';
import { limitBody, requireForm } from '../http/body.ts';
import type { AppEnv } from '../http/env.ts';
import { checkRateLimit } from '../http/rate-limit.ts';
import { wantsHtml } from '../http/wants-html.ts';
import { analyseText, checkText } from '../sentiment/analyse.ts';
import { FAVICON_ICO } from './favicon.ts';
import { renderPage } from './render.ts';
import { STYLE_CSS } from './style.ts';

export function pageRoutes(metadata: ModelMetadata) {
  const page = new Hono<AppEnv>();

  /**
   * Checks and analyses `value` (the text as sent) the same way for GET and POST. A failure is answered here,
   * for a browser, with the page holding the text that was sent; other clients get the JSON error from app.ts.
   */
  async function answer(c: Context<AppEnv>, value: unknown) {
    try {
      await checkRateLimit(c);
      const text = checkText(value, 'text');
      const model = await c.var.model();
      // The score after each word comes from the same run (a bidirectional model has none: no chart then).
      const result = await analyseText(model, text, { trace: model.hasTrace, plan: c.var.plan });
      return c.html(renderPage(metadata, { text, result, traceStart: model.emptyScore }));
    } catch (error) {
      if (!(error instanceof ApiError) || !wantsHtml(c)) throw error;
      for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
      const text = typeof value === 'string' ? value : undefined;
      return c.html(renderPage(metadata, { text, error: error.toJSON().error }), error.status);
    }
  }

  const html = (description: string) => ({
    description,
    content: { 'text/html': { schema: { type: 'string' as const } } },
  });
  const pageErrors = {
    400: errorResponse(
      ['invalid_form', 'missing_text', 'invalid_text', 'empty_text', 'no_words'],
      '(the page, for a browser)',
    ),
    413: errorResponse(['body_too_large', 'text_too_long', 'too_much_work'], '(the page, for a browser)'),
    429: errorResponse(['rate_limited'], '(the page, for a browser)'),
    503: errorResponse(['model_unavailable'], '(the page, for a browser)'),
  };

  page.get(
    '/',
    describeRoute({
      summary: 'The page: the form, or with ?text= the result for that review (a link to a result)',
      parameters: [
        { name: 'text', in: 'query', required: false, schema: { type: 'string' }, description: 'A review.' },
      ],
      responses: { 200: html('The page.'), ...pageErrors, ...everyRouteErrors() },
    }),
    (c) => {
      // Only a `text` parameter asks for a result: any other query (a tracking tag, say) shows the plain page.
      const text = c.req.query('text');
      return text === undefined ? c.html(renderPage(metadata)) : answer(c, text);
    },
  );

  page.post(
    '/',
    describeRoute({
      summary: "The form's post: the page with the result",
      requestBody: {
        content: {
          'application/x-www-form-urlencoded': { schema: { type: 'object', properties: { text: { type: 'string' } } } },
        },
      },
      responses: {
        200: html('The page with the result.'),
        ...pageErrors,
        415: errorResponse(['unsupported_media_type']),
        ...everyRouteErrors(),
      },
    }),
    requireForm,
    limitBody,
    validator('form', (form) => ({ text: Array.isArray(form.text) ? form.text[0] : form.text })),
    (c) => answer(c, c.req.valid('form').text),
  );

  page.get(
    '/favicon.ico',
    describeRoute({ summary: 'The site icon', responses: { 200: { description: 'An icon.' }, ...everyRouteErrors() } }),
    (c) => c.body(FAVICON_ICO, 200, { 'Content-Type': 'image/x-icon', 'Cache-Control': 'public, max-age=86400' }),
  );

  page.get(
    '/style.css',
    describeRoute({
      summary: "The page's stylesheet",
      responses: { 200: { description: 'CSS.' }, ...everyRouteErrors() },
    }),
    (c) =>
      c.body(STYLE_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=3600' }),
  );

  return page;
}
