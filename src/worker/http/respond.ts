import type { Context } from 'hono';
import type { ModelMetadata } from '../../model/metadata.ts';
import { renderPage } from '../page/render.ts';
import type { ApiError } from './errors.ts';

/** Whether an error should be shown as the page (a browser on a page path) rather than as JSON. */
function wantsPage(c: Context): boolean {
  const path = c.req.path;
  if (path.startsWith('/api/') || path === '/healthz') return false;
  return (c.req.header('Accept') ?? '').includes('text/html');
}

/** The one way an error leaves the Worker. */
export function errorResponse(c: Context, error: ApiError, metadata: ModelMetadata): Response | Promise<Response> {
  for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
  if (wantsPage(c)) return c.html(renderPage(metadata, { error: error.toJSON().error }), error.status);
  return c.json(error.toJSON(), error.status);
}
