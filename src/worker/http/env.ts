import type { Plan } from '../contract/limits.ts';
import type { Scorer } from '../sentiment/analyse.ts';

/**
 * Hono's environment for this Worker: the bindings from wrangler.toml (`wrangler types`), `c.var.model()`
 * (the loaded model, or a 503 ApiError) and `c.var.plan` (what one request may cost, from `PLAN`).
 */
export interface AppEnv {
  Bindings: Env;
  Variables: { model: () => Promise<Scorer>; plan: Plan };
}
