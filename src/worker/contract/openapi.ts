/** The error body as a schema, and an error response of the OpenAPI document naming the codes it carries. */
import { resolver } from 'hono-openapi';
import * as v from 'valibot';
import { ERROR_CODES, type ErrorCode } from './errors.ts';

export const ErrorBody = v.pipe(
  v.object({ error: v.object({ code: v.picklist(ERROR_CODES), message: v.string() }) }),
  v.metadata({ ref: 'Error' }),
);

export function errorResponse(codes: readonly ErrorCode[], when = '') {
  return {
    description: `Error${when ? ` ${when}` : ''}, with code ${codes.map((c) => `\`${c}\``).join(', ')}.`,
    content: { 'application/json': { schema: resolver(ErrorBody) } },
  };
}

/** What any route can also answer: listed on every route of the document. */
export function everyRouteErrors() {
  return {
    404: errorResponse(['not_found'], 'at a path not listed here'),
    405: errorResponse(['method_not_allowed'], 'for a method not listed here (see the Allow header)'),
    500: errorResponse(['misconfigured', 'internal_error']),
  };
}
