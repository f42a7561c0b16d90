import type { Context } from 'hono';

/** Whether an answer should be the page rather than JSON: a page path, asked for by a client that accepts HTML. */
export function wantsHtml(c: Context): boolean {
  const onApi = c.req.path.startsWith('/api/') || c.req.path === '/healthz' || c.req.path === '/openapi.json';
  return !onApi && (c.req.header('Accept') ?? '').includes('text/html');
}
