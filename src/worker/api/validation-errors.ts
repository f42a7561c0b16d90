/**
 * Turns a failed validation of POST /api/sentiment into the contract's ApiError. The schemas (schemas.ts) name
 * the error code in each issue's message (e.g. `v.minLength(1, 'empty_text')`); the issue's path names the text
 * ("texts[3]"). Unknown fields and "text" with "texts" are checked first, so their messages can name them.
 */
import { type ApiError, type ErrorCode, Errors } from '../contract/errors.ts';

export interface SchemaIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: unknown }> | undefined;
}

const FIELDS = new Set(['text', 'texts', 'trace']);

export function issueToApiError(issues: readonly SchemaIssue[], input: unknown): ApiError {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return Errors.invalidBody();
  const fields = input as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((name) => !FIELDS.has(name));
  if (unknown.length > 0) return Errors.unknownFields(unknown);
  if (fields.text !== undefined && fields.texts !== undefined) return Errors.textAndTexts();
  const issue = issues[0];
  if (!issue) return Errors.invalidBody();
  const keys = (issue.path ?? []).map((segment) =>
    typeof segment === 'object' && segment !== null ? segment.key : segment,
  );
  // ['texts', 3] -> "texts[3]".
  const where =
    keys.reduce<string>(
      (name, key) => (typeof key === 'number' ? `${name}[${key}]` : name ? `${name}.${String(key)}` : String(key)),
      '',
    ) || 'text';
  const value = keys.reduce<unknown>(
    (at, key) => (at as Record<PropertyKey, unknown> | undefined)?.[key as PropertyKey],
    input,
  );
  switch (issue.message as ErrorCode) {
    case 'missing_text':
      return Errors.missingText();
    case 'invalid_text':
      return value === undefined || value === null ? Errors.missingText(where) : Errors.invalidText(where);
    case 'empty_text':
      return Errors.emptyText(where);
    case 'text_too_long':
      return Errors.textTooLong(where, String(value).length);
    case 'too_many_texts':
      return Errors.tooManyTexts(Array.isArray(value) ? value.length : 0);
    case 'invalid_trace':
      return Errors.invalidTrace();
    default:
      return Errors.invalidBody();
  }
}
