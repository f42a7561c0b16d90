/**
 * The Worker: a Hono app serving the page (GET/POST /) and the JSON API (/api/sentiment, /api/model,
 * /healthz) from the model bundled out of `model/`.
 */
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { methodNotAllowed } from 'hono/method-not-allowed';
import type { ModelMetadata } from '../model/metadata.ts';
import type { Scorer } from './api/analyse.ts';
import { apiRoutes } from './api/routes.ts';
import type { AppEnv } from './http/env.ts';
import { Errors, toApiError } from './http/errors.ts';
import { errorResponse } from './http/respond.ts';
import { securityHeaders } from './http/security.ts';
import { bundledModelFiles, metadata as bundledMetadata } from './model/bundled.ts';
import { Lazy } from './model/lazy.ts';
import { SentimentModel } from './model/sentiment-model.ts';
import { pageRoutes } from './page/routes.ts';

export interface AppOptions {
  metadata: ModelMetadata;
  /** Loads the model; called once per isolate, and again after a failure. */
  loadModel: () => Promise<Scorer>;
  /** Start loading at once (at the isolate's start-up) instead of on the first request that needs it. */
  eager?: boolean;
}

export function createApp({ metadata, loadModel, eager = false }: AppOptions) {
  const model = new Lazy(loadModel);
  // A failure here is not lost: the next request that needs the model gets the 503 and a fresh attempt.
  if (eager) model.get().catch(() => undefined);
  const getModel = () =>
    model.get().catch((error: unknown) => {
      throw Errors.modelUnavailable(error instanceof Error ? error.message : String(error));
    });

  const app = new Hono<AppEnv>();
  app.use(securityHeaders);
  app.use('/api/*', cors({ origin: '*', allowMethods: ['GET', 'POST', 'OPTIONS'], allowHeaders: ['Content-Type'], maxAge: 86400 }));
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
    await next();
  });

  app.route('/', pageRoutes(metadata));
  app.route('/', apiRoutes(metadata));

  app.notFound((c) => errorResponse(c, Errors.notFound(c.req.path), metadata));
  app.onError((error, c) => errorResponse(c, toApiError(error), metadata));
  return app;
}

/** The model shipped in `model/`, loaded on first use in each isolate. */
export function loadBundledModel(): Promise<SentimentModel> {
  return Promise.resolve().then(() => SentimentModel.load(bundledModelFiles()));
}

const app = createApp({ metadata: bundledMetadata, loadModel: loadBundledModel, eager: true });

export default app;
