/**
 * Stands in for zod in the Worker's bundle (wrangler.toml [alias]). The API's schemas are valibot's; hono-openapi's
 * schema converter still imports 'zod/v4/core' whenever zod is installed (here a dependency of the test tooling),
 * which would add 415 KB of code the Worker never runs.
 */
export function toJSONSchema(): never {
  throw new Error('zod is not part of this Worker: its schemas are valibot schemas.');
}
