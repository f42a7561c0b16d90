/** The API's input limits and the work one request may ask for (part of the contract, not of the model). */
export const LIMITS = {
  /** Characters (UTF-16 code units) in one review. */
  maxTextChars: 20_000,
  /** Reviews in one batch request. */
  maxTexts: 64,
} as const;

export type PlanName = 'free' | 'paid';

/** What the deployment's Cloudflare plan (`PLAN` in wrangler.toml) lets one request cost. */
export interface Plan {
  name: PlanName;
  /** Cloudflare's CPU limit per request on this plan, in milliseconds (Paid: the default, which can be raised). */
  cpuMsPerRequest: number;
  /** The most words the model may read for one request (all its texts, each cut to the model's maxLength). */
  wordsPerRequest: number;
  /** The most characters of text in one request (the tokenizer reads every character, also past maxLength). */
  charsPerRequest: number;
  /** The largest request body. */
  maxBodyBytes: number;
}

/**
 * Free: 10 ms of CPU per request. These budgets keep every accepted request under it at p99 on the reference
 * machine, `"trace": true` included (`npm run bench -- --only limits` measures it); one review of any length
 * always fits (the model reads at most its maxLength words of it).
 */
export const FREE_BUDGET = { wordsPerRequest: 1_000, charsPerRequest: 30_000, maxBodyBytes: 256 * 1024 } as const;

/** Paid: 30 s of CPU by default, so a request may carry whatever the input limits allow. */
export function plan(name: string | undefined, maxLength: number): Plan {
  if (name === 'paid') {
    return {
      name,
      cpuMsPerRequest: 30_000,
      wordsPerRequest: LIMITS.maxTexts * maxLength,
      charsPerRequest: LIMITS.maxTexts * LIMITS.maxTextChars,
      // 64 reviews of 800 real words take about 300 KB of JSON.
      maxBodyBytes: 1024 * 1024,
    };
  }
  if (name === 'free' || name === undefined) {
    return {
      name: 'free',
      cpuMsPerRequest: 10,
      ...FREE_BUDGET,
      wordsPerRequest: Math.max(FREE_BUDGET.wordsPerRequest, maxLength),
    };
  }
  throw new Error(`PLAN = "${name}" in wrangler.toml [vars] is not a plan: use "free" or "paid".`);
}

/** The period of the per-client rate limit ([[ratelimits]] in wrangler.toml): what a 429's Retry-After says. */
export const RATE_LIMIT_PERIOD_SECONDS = 60;
