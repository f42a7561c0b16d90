import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { Errors } from '../contract/errors.ts';
import type { AppEnv } from './env.ts';

/** 415 unless the body is of the given media type (parameters such as charset are allowed). */
export function requireMediaType(expected: string, accept: (mediaType: string) => boolean): MiddlewareHandler {
  return async (c, next) => {
    const contentType = c.req.header('Content-Type');
    const mediaType = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
    if (!accept(mediaType)) throw Errors.unsupportedMediaType(expected, contentType);
    await next();
  };
}

export const requireJson = requireMediaType('application/json', (type) => /^application\/([\w.-]+\+)?json$/.test(type));
export const requireForm = requireMediaType(
  'application/x-www-form-urlencoded',
  (type) => type === 'application/x-www-form-urlencoded',
);

const limiters = new Map<number, MiddlewareHandler>();

/** 413 for bodies over the plan's limit, checked from Content-Length or while streaming. */
export const limitBody: MiddlewareHandler<AppEnv> = (c, next) => {
  const maxSize = c.var.plan.maxBodyBytes;
  let limiter = limiters.get(maxSize);
  if (!limiter) {
    limiter = bodyLimit({
      maxSize,
      onError: () => {
        throw Errors.bodyTooLarge(maxSize);
      },
    });
    limiters.set(maxSize, limiter);
  }
  return limiter(c, next);
};
