/**
 * The page in a real browser: Debian's chromium driven by playwright-core against the Worker served by
 * `wrangler dev`. The form works with JavaScript turned off, the result is shown and a screenshot saved, and a
 * <script> in the review never runs.
 *
 * Without chromium the test skips, saying why, unless REQUIRE_BROWSER_TEST=1 (set by .ci/run): then it fails.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startDevServer, type DevServer } from '../../scripts/dev-server.ts';
import { EXAMPLE_REVIEWS } from '../../src/worker/page/examples.ts';
import { SCRIPT_REVIEW } from '../fixtures/reviews.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const REQUIRED = process.env.REQUIRE_BROWSER_TEST === '1';
const AVAILABLE = existsSync(CHROMIUM);
const SCREENSHOTS = join(ROOT, 'test-results', 'browser');
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

if (!AVAILABLE && !REQUIRED) {
  console.warn(`Skipping the browser test: no chromium at ${CHROMIUM} (install it with: apt-get install chromium, or set CHROMIUM_PATH).`);
}

describe.skipIf(!AVAILABLE && !REQUIRED)('the page in chromium', () => {
  let server: DevServer;
  let browser: Browser;

  beforeAll(async () => {
    if (!AVAILABLE) throw new Error(`REQUIRE_BROWSER_TEST=1 but there is no chromium at ${CHROMIUM}.`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    // playwright starts chromium with a fresh temporary profile (--user-data-dir) of its own.
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
    server = await startDevServer();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('submits a review with JavaScript turned off and shows the result', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1024, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    expect(await page.locator('h1').textContent()).toBe('Movie review sentiment');
    const textbox = page.getByLabel('Your movie review');
    await textbox.fill('A wonderful, moving film. The acting is superb and the story is beautifully told.');
    await Promise.all([page.waitForURL(`${server.url}/`), page.getByRole('button', { name: 'Analyse sentiment' }).click()]);
    await page.waitForSelector('#result');
    const label = await page.locator('#result [data-label]').getAttribute('data-label');
    expect(['positive', 'negative']).toContain(label);
    const value = Number(await page.locator('meter#probability').getAttribute('value'));
    expect(value).toBeGreaterThanOrEqual(0);
    expect(value).toBeLessThanOrEqual(1);
    expect(await page.locator('blockquote[data-echo]').textContent()).toContain('A wonderful, moving film.');
    await page.screenshot({ path: join(SCREENSHOTS, 'result-desktop.png'), fullPage: true });
    await context.close();
  });

  it('runs no script from a review, and the CSP blocks inline script', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${server.url}/`);
    await page.getByLabel('Your movie review').fill(SCRIPT_REVIEW);
    await Promise.all([page.waitForURL(`${server.url}/`), page.getByRole('button', { name: 'Analyse sentiment' }).click()]);
    await page.waitForSelector('#result');
    expect(await page.evaluate(() => document.body.dataset.pwned)).toBeUndefined();
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('#result img').count()).toBe(0);
    expect(await page.locator('blockquote[data-echo]').textContent()).toBe(SCRIPT_REVIEW);
    expect(await page.locator('textarea#text').inputValue()).toBe(SCRIPT_REVIEW);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    // Readable on a phone: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'result-phone.png'), fullPage: true });
    await context.close();
  });

  it('analyses an example with one click', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await Promise.all([page.waitForURL(`${server.url}/`), page.getByRole('button', { name: EXAMPLE_REVIEWS[0] }).click()]);
    await page.waitForSelector('#result');
    expect(await page.locator('blockquote[data-echo]').textContent()).toBe(EXAMPLE_REVIEWS[0]);
    await context.close();
  });
});
