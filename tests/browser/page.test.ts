/**
 * The page in a real browser: Debian's chromium driven by playwright-core against the Worker served by
 * `wrangler dev`. The form works with JavaScript turned off, the result is shown and a screenshot saved, a
 * <script> in the review never runs, and the word-by-word chart renders (screenshots saved), also for a
 * 1,000-word review on a phone.
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

  it('draws the word-by-word chart and the tinted words with JavaScript off, and saves a screenshot of them', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1024, height: 900 } });
    const page = await context.newPage();
    const blocked: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) blocked.push(message.text());
    });
    await page.goto(`${server.url}/`);
    await page.getByLabel('Your movie review').fill('The food is not good, but the zzyzx service was wonderful and the staff were kind.');
    await Promise.all([page.waitForURL(`${server.url}/`), page.getByRole('button', { name: 'Analyse sentiment' }).click()]);
    await page.waitForSelector('#trace');
    const chart = page.locator('svg.trace-chart');
    expect(await chart.isVisible()).toBe(true);
    const box = (await chart.boundingBox())!;
    expect(box.width).toBeGreaterThan(300);
    expect(box.height).toBeGreaterThan(150);
    const words = Number(await chart.getAttribute('data-words'));
    expect(words).toBe(16);
    const points = (await chart.locator('polyline.trace-line').getAttribute('points'))!.trim().split(/\s+/);
    expect(points).toHaveLength(words);
    expect(await chart.locator('circle.trace-dot').count()).toBe(words);
    expect(await chart.locator('line.mid').count()).toBe(1);
    expect(await page.getByRole('img', { name: 'Score after each word' }).count()).toBe(1);
    expect(await page.locator('.trace-words .w').count()).toBe(words);
    expect(await page.locator('.trace-words .w.unk').textContent()).toBe('zzyzx');
    expect(blocked).toEqual([]);
    await chart.screenshot({ path: join(SCREENSHOTS, 'trace-chart.png') });
    await page.locator('#trace').screenshot({ path: join(SCREENSHOTS, 'trace-desktop.png') });
    await context.close();
  });

  it('keeps the chart and words of a 1,000-word review readable on a phone, styled from the stylesheet', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    const page = await context.newPage();
    const blocked: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) blocked.push(message.text());
    });
    await page.goto(`${server.url}/`);
    const review = Array.from({ length: 100 }, (_, i) => `Scene ${i + 1} was good and then it got rather dull.`).join(' ');
    await page.getByLabel('Your movie review').fill(review);
    await Promise.all([page.waitForURL(`${server.url}/`), page.getByRole('button', { name: 'Analyse sentiment' }).click()]);
    await page.waitForSelector('#trace');
    const chart = page.locator('svg.trace-chart');
    const words = Number(await chart.getAttribute('data-words'));
    const drawn = Number(await chart.getAttribute('data-points'));
    expect(words).toBeGreaterThan(0);
    expect(drawn).toBeLessThanOrEqual(Math.min(words, 200));
    expect((await chart.locator('polyline.trace-line').getAttribute('points'))!.trim().split(/\s+/)).toHaveLength(drawn);
    // Nothing wider than the screen; the words scroll inside their box instead of making the page 1,000 words long.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    const scroller = await page.locator('.trace-words').evaluate((el) => ({ scroll: el.scrollHeight, client: el.clientHeight, overflow: getComputedStyle(el).overflowY }));
    expect(scroller.overflow).toBe('auto');
    expect(scroller.scroll).toBeGreaterThan(scroller.client);
    expect(await page.locator('.trace-words .w').count()).toBe(words);
    // The stylesheet (the only styles the CSP allows) styles the SVG and the tints.
    const line = await chart.locator('polyline.trace-line').evaluate((el) => ({ fill: getComputedStyle(el).fill, width: getComputedStyle(el).strokeWidth }));
    expect(line.fill).toBe('none');
    expect(line.width).toBe('2.5px');
    const tinted = page.locator('.trace-words .w[class*="up"], .trace-words .w[class*="down"]').first();
    expect(await tinted.evaluate((el) => getComputedStyle(el).backgroundColor)).not.toBe('rgba(0, 0, 0, 0)');
    expect(blocked).toEqual([]);
    await page.locator('#trace').screenshot({ path: join(SCREENSHOTS, 'trace-phone-1000-words.png') });
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
