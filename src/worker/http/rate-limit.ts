import type { Context, MiddlewareHandler } from 'hono';
import { Errors } from '../contract/errors.ts';
import type { AppEnv } from './env.ts';

/**
 * Throws 429 rate_limited once a client's address has made more requests than wrangler.toml's [[ratelimits]]
 * allows. Cloudflare sets CF-Connecting-IP on every request it forwards; a request without it did not come
 * through Cloudflare's edge (a local test calling the Worker directly) and is not counted. Without the binding
 * (another host), nothing is limited.
 */
export async function checkRateLimit(c: Context<AppEnv>): Promise<void> {
  const address = c.req.header('CF-Connecting-IP');
  const limiter = c.env?.RATE_LIMITER;
  if (address && limiter && !(await limiter.limit({ key: address })).success) throw Errors.rateLimited();
}

export const rateLimit: MiddlewareHandler<AppEnv> = async (c, next) => {
  await checkRateLimit(c);
  await next();
};
