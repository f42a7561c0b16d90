import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { LIMITS } from '../api/limits.ts';
import { Errors } from './errors.ts';

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
export const requireForm = requireMediaType('application/x-www-form-urlencoded', (type) => type === 'application/x-www-form-urlencoded');

/** 413 for bodies over the limit, checked from Content-Length or while streaming. */
export const limitBody: MiddlewareHandler = bodyLimit({
  maxSize: LIMITS.maxBodyBytes,
  onError: () => {
    throw Errors.bodyTooLarge();
  },
});
