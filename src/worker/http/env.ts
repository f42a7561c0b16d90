import type { Scorer } from '../api/analyse.ts';

/** Hono's environment for this Worker: `c.var.model()` resolves to the loaded model or throws a 503 ApiError. */
export interface AppEnv {
  Variables: { model: () => Promise<Scorer> };
}
