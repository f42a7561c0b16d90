/** The HTML page: GET / and POST / (a form post), plus its stylesheet. */
import { Hono } from 'hono';
import { validator } from 'hono/validator';
import type { ModelMetadata } from '../../model/metadata.ts';
import { analyseText, checkText } from '../sentiment/analyse.ts';
import { limitBody, requireForm } from '../http/body.ts';
import type { AppEnv } from '../http/env.ts';
import { FAVICON_ICO } from './favicon.ts';
import { renderPage } from './render.ts';
import { STYLE_CSS } from './style.ts';

export function pageRoutes(metadata: ModelMetadata) {
  const page = new Hono<AppEnv>();

  page.get('/', (c) => c.html(renderPage(metadata)));

  page.post(
    '/',
    requireForm,
    limitBody,
    validator('form', (form) => {
      const text = form.text;
      return { text: checkText(Array.isArray(text) ? text[0] : text, 'text') };
    }),
    async (c) => {
      const { text } = c.req.valid('form');
      const model = await c.var.model();
      // The score after each word comes from the same run (a bidirectional model has none: no chart then).
      const result = await analyseText(model, text, { trace: model.hasTrace, plan: c.var.plan });
      return c.html(renderPage(metadata, { text, result, traceStart: model.emptyScore }));
    },
  );

  page.get('/favicon.ico', (c) =>
    c.body(FAVICON_ICO, 200, { 'Content-Type': 'image/x-icon', 'Cache-Control': 'public, max-age=86400' }),
  );

  page.get('/style.css', (c) =>
    c.body(STYLE_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=3600' }),
  );

  return page;
}
