/**
 * The per-client rate limit (wrangler.toml [[ratelimits]], Cloudflare's Rate Limiting binding, simulated by
 * workerd here): a client's address past the limit gets 429 rate_limited with Retry-After, other addresses and
 * requests that do not run the model are not affected.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { RATE_LIMIT_PERIOD_SECONDS } from '../../src/worker/contract/limits.ts';
import { call, expectError, postJson } from './helpers.ts';

const from = (address: string) => ({ 'CF-Connecting-IP': address });

describe('rate limit', () => {
  it('answers a client past the limit with 429 and Retry-After, and no other client', async () => {
    expect(env.RATE_LIMITER).toBeDefined();
    let allowed = 0;
    let limited: Response | undefined;
    // The limit is generous (hundreds a minute); count how many pass before the first 429.
    for (let i = 0; i < 5_000 && !limited; i++) {
      const response = await postJson('/api/sentiment', { text: 'good' }, from('203.0.113.7'));
      if (response.status === 429) limited = response;
      else {
        expect(response.status).toBe(200);
        await response.arrayBuffer();
        allowed++;
      }
    }
    expect(limited, 'no 429 after 5,000 requests').toBeDefined();
    expect(allowed).toBeGreaterThanOrEqual(100);
    expect(limited!.headers.get('Retry-After')).toBe(String(RATE_LIMIT_PERIOD_SECONDS));
    const message = await expectError(limited!, 429, 'rate_limited');
    expect(message).toMatch(/wait, then try again/);
    // The page's form is limited by the same counter.
    const form = await call('/', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...from('203.0.113.7') },
      body: 'text=good',
    });
    expect(form.status).toBe(429);
    // Another address, and a request through no Cloudflare edge (no CF-Connecting-IP), still get answers.
    expect((await postJson('/api/sentiment', { text: 'good' }, from('198.51.100.9'))).status).toBe(200);
    expect((await postJson('/api/sentiment', { text: 'good' })).status).toBe(200);
    // Requests that do not run the model are not limited.
    expect((await call('/api/model', { headers: from('203.0.113.7') })).status).toBe(200);
  });
});
