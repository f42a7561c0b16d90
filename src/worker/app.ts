/**
 * The Hono app: the page (GET/POST /), how the network reads (GET /how) and the JSON API (/api/sentiment,
 * /api/neighbors, /api/model, /healthz), around a model that was started once for the isolate.
 */

import type { Context } from 'hono';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { methodNotAllowed } from 'hono/method-not-allowed';
import { describeRoute, openAPIRouteHandler } from 'hono-openapi';
import type { ModelMetadata } from '../model/metadata.ts';
import { apiRoutes } from './api/routes.ts';
import { type ApiError, Errors, toApiError } from './contract/errors.ts';
import { plan } from './contract/limits.ts';
import { everyRouteErrors } from './contract/openapi.ts';
import { howRoutes } from './how/routes.ts';
import type { AppEnv } from './http/env.ts';
import { securityHeaders } from './http/security.ts';
import { wantsHtml } from './http/wants-html.ts';
import { renderPage } from './page/render.ts';
import { pageRoutes } from './page/routes.ts';
import type { Scorer } from './sentiment/analyse.ts';

export interface AppOptions {
  metadata: ModelMetadata;
  /**
   * The model, started once for the isolate. ONNX Runtime cannot be initialised again in an isolate where that
   * failed, so a failure is not retried: every request that needs the model gets the 503.
   */
  model: Promise<Scorer>;
}

export function createApp({ metadata, model }: AppOptions) {
  // Observed here so that a failure is not an unhandled rejection before the first request asks for it.
  model.catch(() => undefined);
  const getModel = () =>
    model.catch((error: unknown) => {
      throw Errors.modelUnavailable(error instanceof Error ? error.message : String(error));
    });

  const app = new Hono<AppEnv>();
  app.use(securityHeaders);
  app.use(
    '/api/*',
    cors({ origin: '*', allowMethods: ['GET', 'POST', 'OPTIONS'], allowHeaders: ['Content-Type'], maxAge: 86400 }),
  );
  app.use('/healthz', cors({ origin: '*', allowMethods: ['GET', 'OPTIONS'] }));
  app.use(
    methodNotAllowed({
      app,
      onMethodNotAllowed: (c, allowed) => {
        // CORS preflights are answered on the JSON API's paths too.
        const withCors = c.req.path.startsWith('/api/') || c.req.path === '/healthz';
        throw Errors.methodNotAllowed(c.req.method, withCors ? [...allowed, 'OPTIONS'] : allowed);
      },
    }),
  );
  app.use(async (c, next) => {
    c.set('model', getModel);
    try {
      c.set('plan', plan(c.env?.PLAN, metadata.tokenizer.maxLength));
    } catch (error) {
      throw Errors.misconfigured((error as Error).message);
    }
    await next();
  });

  app.route('/', pageRoutes(metadata));
  app.route('/', howRoutes());
  app.route('/', apiRoutes(metadata));
  app.get(
    '/openapi.json',
    describeRoute({
      summary: 'This document',
      responses: { 200: { description: 'The OpenAPI 3.1 document.' }, ...everyRouteErrors() },
    }),
    openAPIRouteHandler(app, {
      // The stylesheet and the icon are routes too.
      excludeStaticFile: false,
      documentation: {
        openapi: '3.1.0',
        info: {
          title: 'edge-sentiment',
          version: '1',
          description: `Sentiment of English film reviews by ${metadata.name}, a recurrent network served from a Cloudflare Worker.`,
        },
      },
    }),
  );

  /** The one way an error leaves the Worker: the page for a browser on a page path, else the JSON error. */
  const errorResponse = (c: Context<AppEnv>, error: ApiError) => {
    for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
    if (wantsHtml(c)) {
      return c.html(renderPage(metadata, { error: error.toJSON().error }), error.status);
    }
    return c.json(error.toJSON(), error.status);
  };
  app.notFound((c) => errorResponse(c, Errors.notFound(c.req.path)));
  app.onError((error, c) => errorResponse(c, toApiError(error)));
  return app;
}
