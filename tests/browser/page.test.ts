/**
 * The page in a real browser: Debian's chromium driven by playwright-core against the Worker served by
 * `wrangler dev`. The form works with JavaScript turned off, a <script> in the review never runs, the word-by-word
 * chart renders, a result has a working link, an error keeps the text, a 1,000-word review leaves the form on the
 * first screen of a phone, and every text and chart line has enough contrast in light and dark mode (screenshots
 * of both, at desktop and phone widths, are saved under test-results/browser/). GET /how gets the same checks and
 * screenshots, and its two GET forms are used with JavaScript off.
 *
 * Without chromium the test skips, saying why, unless REQUIRE_BROWSER_TEST=1 (set by .ci/run): then it fails.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevServer, ROOT, startDevServer } from '../../scripts/dev-server.ts';
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
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true };
const DESKTOP = { viewport: { width: 1280, height: 900 } };
/** A review with a negated word ("good" in "not good") and one outside the vocabulary ("zzyzx"). */
const MIXED = 'The food is not good, but the zzyzx service was wonderful and the staff were kind.';
const THOUSAND_WORDS = Array.from(
  { length: 100 },
  (_, i) => `Scene ${i + 1} was good and then it got rather dull.`,
).join(' ');
/** A review this model cannot read (French): an unreliable result. */
const FRENCH = 'Ceci est un film magnifique, les acteurs sont formidables et l’histoire est touchante.';

/** WCAG 2 minimums: normal text 4.5:1; graphical objects needed to read the chart (its lines) 3:1. */
const MIN_TEXT_CONTRAST = 4.5;
const MIN_GRAPHIC_CONTRAST = 3;
/** The smallest chart text on screen, in CSS pixels. */
const MIN_CHART_TEXT_PX = 12;

interface Contrast {
  what: string;
  ratio: number;
}

/**
 * Runs in the page: the WCAG contrast ratio of every visible text against the colour actually behind it (each
 * ancestor's background composited over the nearest opaque one), of the chart's texts, and of its strokes against
 * the page and against the tinted bands under the plot. Self-contained: playwright sends it to the browser as source.
 */
function measureContrast(): { texts: Contrast[]; strokes: Contrast[] } {
  type Rgba = [number, number, number, number];
  const parse = (css: string): Rgba => {
    const m = css.match(/rgba?\(([^)]*)\)/);
    if (!m) throw new Error(`unexpected colour ${css}`);
    const [r, g, b, a] = m[1]!
      .split(/[\s,/]+/)
      .filter(Boolean)
      .map(Number);
    return [r!, g!, b!, a ?? 1];
  };
  const over = (top: Rgba, below: Rgba): Rgba => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i]! * a + below[i]! * (1 - a)).concat(1) as Rgba;
  };
  const luminance = (c: Rgba) => {
    const [r, g, b] = [0, 1, 2].map((i) => {
      const v = c[i]! / 255;
      return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const ratio = (a: Rgba, b: Rgba) => {
    const [la, lb] = [luminance(a), luminance(b)];
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  };
  const background = (element: Element): Rgba => {
    const layers: Rgba[] = [];
    for (let e: Element | null = element; e; e = e.parentElement) {
      const colour = parse(getComputedStyle(e).backgroundColor);
      if (colour[3] > 0) layers.push(colour);
      if (colour[3] === 1) break;
    }
    // Under everything, the canvas: the body's background when it has one (it does), else white.
    let result: Rgba = layers.at(-1)?.[3] === 1 ? layers.pop()! : [255, 255, 255, 1];
    for (const layer of layers.reverse()) result = over(layer, result);
    return result;
  };
  const name = (e: Element) =>
    `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${[...e.classList].map((c) => `.${c}`).join('')}`;
  const texts: Contrast[] = [];
  for (const element of document.body.querySelectorAll('*')) {
    if (element.closest('svg, meter') || element.getClientRects().length === 0) continue;
    const style = getComputedStyle(element);
    if (style.visibility !== 'visible') continue;
    const ownText = [...element.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== '');
    if (!ownText) continue;
    const what = `${name(element)} “${element.textContent!.trim().slice(0, 30)}”`;
    texts.push({ what, ratio: ratio(parse(style.color), background(element)) });
  }
  const strokes: Contrast[] = [];
  const svg = document.querySelector('svg.trace-chart');
  if (svg) {
    const page = background(svg);
    for (const text of svg.querySelectorAll('text')) {
      const what = `svg ${name(text)} “${text.textContent}”`;
      texts.push({ what, ratio: ratio(parse(getComputedStyle(text).fill), page) });
    }
    const bands = [...svg.querySelectorAll('rect.band-pos, rect.band-neg')].map((rect) => {
      const style = getComputedStyle(rect);
      const fill = parse(style.fill);
      return over([fill[0], fill[1], fill[2], fill[3] * Number(style.fillOpacity)], page);
    });
    for (const line of svg.querySelectorAll('.trace-line, .mid, .axis-line, .tick')) {
      const style = getComputedStyle(line);
      const stroke = over([...parse(style.stroke).slice(0, 3), Number(style.strokeOpacity)] as Rgba, page);
      const worst = Math.min(...[page, ...bands].map((behind) => ratio(stroke, behind)));
      strokes.push({ what: `svg ${name(line)}`, ratio: worst });
    }
  }
  return { texts, strokes };
}

/** The smallest text of the chart on screen: its font size in user units times the SVG's scale. */
function chartTextPx(): { min: number; scale: number; axisHeight: number } {
  const svg = document.querySelector<SVGSVGElement>('svg.trace-chart')!;
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const sizes = [...svg.querySelectorAll('text')].map((t) => parseFloat(getComputedStyle(t).fontSize) * scale);
  // A cross-check that does not trust computed styles: the drawn height of an unrotated axis label.
  const axisHeight = svg.querySelector('text.axis')!.getBoundingClientRect().height;
  return { min: Math.min(...sizes), scale, axisHeight };
}

/**
 * Runs in the page: the contrast of GET /how's SVG texts (heatmap and gradient chart) against the page behind them,
 * and of their lines (the score line, the gradient curves, the axes). Self-contained, like measureContrast.
 */
function measureHowSvg(): { texts: Contrast[]; strokes: Contrast[] } {
  type Rgba = [number, number, number, number];
  const parse = (css: string): Rgba => {
    const m = css.match(/rgba?\(([^)]*)\)/);
    if (!m) throw new Error(`unexpected colour ${css}`);
    const [r, g, b, a] = m[1]!
      .split(/[\s,/]+/)
      .filter(Boolean)
      .map(Number);
    return [r!, g!, b!, a ?? 1];
  };
  const luminance = (c: Rgba) => {
    const [r, g, b] = [0, 1, 2].map((i) => {
      const v = c[i]! / 255;
      return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const ratio = (a: Rgba, b: Rgba) => {
    const [la, lb] = [luminance(a), luminance(b)];
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  };
  const page = parse(getComputedStyle(document.body).backgroundColor);
  const texts: Contrast[] = [];
  const strokes: Contrast[] = [];
  for (const svg of document.querySelectorAll('svg.heatmap, svg.grad-chart')) {
    for (const text of svg.querySelectorAll('text')) {
      texts.push({
        what: `svg.${svg.classList[0]} “${text.textContent}”`,
        ratio: ratio(parse(getComputedStyle(text).fill), page),
      });
    }
    for (const line of svg.querySelectorAll('.hm-line, .grad-line, .mid, .axis-line, .tick')) {
      const stroke = parse(getComputedStyle(line).stroke);
      strokes.push({ what: `svg.${svg.classList[0]} .${line.classList[0]}`, ratio: ratio(stroke, page) });
    }
  }
  return { texts, strokes };
}

/** Numbers the checks measured, written to test-results/browser/measurements.txt. */
const measured: string[] = [];

if (!AVAILABLE && !REQUIRED) {
  console.warn(
    `Skipping the browser test: no chromium at ${CHROMIUM} ` +
      '(install it with: apt-get install chromium, or set CHROMIUM_PATH).',
  );
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
    // What the layout and colour checks measured, beside the screenshots (not printed: npm test stays quiet).
    if (measured.length > 0) writeFileSync(join(SCREENSHOTS, 'measurements.txt'), `${measured.join('\n')}\n`);
  });

  /**
   * The colour the meter's bar is filled with, read from a screenshot (Chrome gives no computed style for the
   * bar's pseudo-elements): the PNG is decoded on a canvas in a blank page, and a pixel mid-way along the bar read.
   */
  async function meterFill(page: Page): Promise<string> {
    const meter = page.locator('meter#probability');
    const value = Number(await meter.getAttribute('value'));
    const box = (await meter.boundingBox())!;
    const png = (await meter.screenshot()).toString('base64');
    const decoder = await browser.newPage();
    try {
      const x = Math.max(3, Math.floor((value * box.width) / 2));
      const rgb = await decoder.evaluate(
        async ({ png, x, y }) => {
          const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${png}`)).blob());
          const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
          const context = canvas.getContext('2d')!;
          context.drawImage(bitmap, 0, 0);
          return [...context.getImageData(x, y, 1, 1).data.slice(0, 3)];
        },
        { png, x, y: Math.floor(box.height / 2) },
      );
      return `rgb(${rgb.join(', ')})`;
    } finally {
      await decoder.close();
    }
  }

  /** Types `text` into the form and sends it; resolves with the answer's status once the new page is there. */
  async function submit(page: Page, text: string): Promise<number> {
    await page.getByLabel('Your movie review').fill(text);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url() === `${server.url}/`),
      page.getByRole('button', { name: 'Analyse sentiment' }).click(),
    ]);
    await page.waitForLoadState();
    return response.status();
  }

  it('submits a review with JavaScript turned off and shows the result', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1024, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    expect(await page.locator('h1').textContent()).toBe('Movie review sentiment');
    const review = 'A wonderful, moving film. The acting is superb and the story is beautifully told.';
    expect(await submit(page, review)).toBe(200);
    await page.waitForSelector('#result');
    const label = await page.locator('#result [data-label]').getAttribute('data-label');
    expect(['positive', 'negative']).toContain(label);
    const value = Number(await page.locator('meter#probability').getAttribute('value'));
    expect(value).toBeGreaterThanOrEqual(0);
    expect(value).toBeLessThanOrEqual(1);
    expect(await page.locator('#result .coverage').textContent()).toMatch(/words the model read are in its vocabulary/);
    // The review stays in the text box to be edited; it is not echoed a second time.
    expect(await page.locator('textarea#text').inputValue()).toBe(review);
    expect(await page.locator('blockquote').count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'result-desktop.png'), fullPage: true });
    await context.close();
  });

  it('runs no script from a review, and the CSP blocks inline script', async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${server.url}/`);
    expect(await submit(page, SCRIPT_REVIEW)).toBe(200);
    await page.waitForSelector('#result');
    expect(await page.evaluate(() => document.body.dataset.pwned)).toBeUndefined();
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('textarea#text').inputValue()).toBe(SCRIPT_REVIEW);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    // Readable on a phone: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'result-phone.png'), fullPage: true });
    await context.close();
  });

  it('draws the word-by-word chart and the tinted words with JavaScript off, and saves screenshots', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1024, height: 900 } });
    const page = await context.newPage();
    const blocked: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) blocked.push(message.text());
    });
    await page.goto(`${server.url}/`);
    await submit(page, MIXED);
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
    // The negated word shows as the user wrote it, with a mark drawn by the stylesheet and said in its title.
    const negated = page.locator('.trace-words .w.neg');
    expect(await negated.textContent()).toBe('good');
    expect(await negated.getAttribute('title')).toMatch(/^good \(read as negated: not_good\)/);
    expect(await negated.evaluate((el) => getComputedStyle(el, '::before').content)).toMatch(/^"¬"/);
    expect(await chart.locator('text.word-label.neg').textContent()).toBe('¬good');
    expect(blocked).toEqual([]);
    await chart.screenshot({ path: join(SCREENSHOTS, 'trace-chart.png') });
    await page.locator('#trace').screenshot({ path: join(SCREENSHOTS, 'trace-desktop.png') });
    await context.close();
  });

  it('keeps the form on the first screen of a phone after a 1,000-word review; chart, words readable', async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    const blocked: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) blocked.push(message.text());
    });
    await page.goto(`${server.url}/`);
    await submit(page, THOUSAND_WORDS);
    await page.waitForSelector('#trace');
    // The text box, holding the review, starts within the first screen: edit and send again without scrolling.
    const form = await page.evaluate(() => ({
      textareaTop: document.querySelector('textarea#text')!.getBoundingClientRect().top + window.scrollY,
      buttonBottom: document.querySelector('form[aria-label] button')!.getBoundingClientRect().bottom + window.scrollY,
      screen: window.innerHeight,
    }));
    measured.push(`390 x 844, 1,000 words: text box top ${form.textareaTop} px, button bottom ${form.buttonBottom} px`);
    expect(form.textareaTop).toBeLessThanOrEqual(844);
    expect(form.screen).toBe(844);
    expect(await page.locator('textarea#text').inputValue()).toBe(THOUSAND_WORDS);
    // The review is on the page at most twice: in the text box, and word by word; never echoed whole again.
    expect(await page.locator('blockquote').count()).toBe(0);
    const elsewhere = await page.evaluate(() => {
      const main = document.querySelector('main')!.cloneNode(true) as HTMLElement;
      main.querySelectorAll('textarea, .trace-words').forEach((e) => e.remove());
      return main.textContent!.toLowerCase().includes('scene 50 was good');
    });
    expect(elsewhere).toBe(false);
    const chart = page.locator('svg.trace-chart');
    const words = Number(await chart.getAttribute('data-words'));
    const drawn = Number(await chart.getAttribute('data-points'));
    expect(words).toBeGreaterThan(0);
    expect(drawn).toBeLessThanOrEqual(Math.min(words, 200));
    const points = (await chart.locator('polyline.trace-line').getAttribute('points'))!.trim().split(/\s+/);
    expect(points).toHaveLength(drawn);
    const text = await page.evaluate(chartTextPx);
    measured.push(`390 px, 1,000 words: chart text ${text.min.toFixed(1)} px (scale ${text.scale.toFixed(3)})`);
    expect(text.min).toBeGreaterThanOrEqual(MIN_CHART_TEXT_PX);
    expect(text.axisHeight).toBeGreaterThanOrEqual(MIN_CHART_TEXT_PX);
    // Nothing wider than the screen; the words scroll inside their box instead of making the page 1,000 words long.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    const scroller = await page.locator('.trace-words').evaluate((el) => ({
      scroll: el.scrollHeight,
      client: el.clientHeight,
      overflow: getComputedStyle(el).overflowY,
    }));
    expect(scroller.overflow).toBe('auto');
    expect(scroller.scroll).toBeGreaterThan(scroller.client);
    expect(await page.locator('.trace-words .w').count()).toBe(words);
    // The stylesheet (the only styles the CSP allows) styles the SVG and the tints.
    const line = await chart.locator('polyline.trace-line').evaluate((el) => ({
      fill: getComputedStyle(el).fill,
      width: getComputedStyle(el).strokeWidth,
    }));
    expect(line.fill).toBe('none');
    expect(line.width).toBe('2.5px');
    const tinted = page.locator('.trace-words .w[class*="up"], .trace-words .w[class*="down"]').first();
    expect(await tinted.evaluate((el) => getComputedStyle(el).backgroundColor)).not.toBe('rgba(0, 0, 0, 0)');
    expect(blocked).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'result-phone-1000-words.png') });
    await page.locator('#trace').screenshot({ path: join(SCREENSHOTS, 'trace-phone-1000-words.png') });
    await context.close();
  });

  it('gives a result a link that shows it again, also after a reload', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, ...DESKTOP });
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await submit(page, MIXED);
    const score = await page.locator('meter#probability').getAttribute('value');
    const label = await page.locator('#result [data-label]').getAttribute('data-label');
    await Promise.all([page.waitForURL(/\/\?text=/), page.getByRole('link', { name: 'Link to this result' }).click()]);
    expect(new URL(page.url()).searchParams.get('text')).toBe(MIXED);
    for (const step of ['followed', 'reloaded']) {
      if (step === 'reloaded') expect((await page.reload())!.status()).toBe(200);
      expect(await page.locator('meter#probability').getAttribute('value'), step).toBe(score);
      expect(await page.locator('#result [data-label]').getAttribute('data-label'), step).toBe(label);
      expect(await page.locator('textarea#text').inputValue(), step).toBe(MIXED);
      expect(await page.locator('svg.trace-chart').count(), step).toBe(1);
    }
    await context.close();
  });

  it('keeps the text in the box after an error, with a message for a person', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, ...PHONE });
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    expect(await submit(page, '!!! ???')).toBe(400);
    const alert = page.getByRole('alert');
    expect(await alert.textContent()).toBe(
      "We couldn't find any words in that text. Paste a review written in English.",
    );
    const textbox = page.getByLabel('Your movie review');
    expect(await textbox.inputValue()).toBe('!!! ???');
    expect(await textbox.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#result').count()).toBe(0);
    // Fixed and sent again from the same box.
    expect(await submit(page, '!!! Great film ???')).toBe(200);
    expect(await page.locator('#result').count()).toBe(1);
    expect(await page.getByRole('alert').count()).toBe(0);
    await context.close();
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`has enough contrast in ${scheme} mode (texts 4.5:1, chart lines 3:1), chart text readable`, async () => {
      const context = await browser.newContext({ javaScriptEnabled: false, ...PHONE });
      const page = await context.newPage();
      await page.emulateMedia({ colorScheme: scheme });
      const pages = [
        { name: 'mixed result', path: `/?text=${encodeURIComponent(MIXED)}`, status: 200 },
        { name: 'negative result', path: `/?text=${encodeURIComponent(EXAMPLE_REVIEWS[1]!)}`, status: 200 },
        { name: 'unreliable result', path: `/?text=${encodeURIComponent(FRENCH)}`, status: 200 },
        { name: 'error', path: `/?text=${encodeURIComponent('!!! ???')}`, status: 400 },
      ];
      const worst = { text: Infinity, stroke: Infinity };
      for (const { name, path, status } of pages) {
        expect((await page.goto(`${server.url}${path}`))!.status(), name).toBe(status);
        // The scheme is really applied: the page's background is dark in dark mode and light in light mode.
        const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        expect(bg, name).toBe(scheme === 'dark' ? 'rgb(22, 25, 30)' : 'rgb(255, 255, 255)');
        const { texts, strokes } = await page.evaluate(measureContrast);
        expect(texts.length, name).toBeGreaterThan(10);
        for (const { what, ratio } of texts) {
          expect(ratio, `${scheme} ${name}: ${what}`).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST);
        }
        for (const { what, ratio } of strokes) {
          expect(ratio, `${scheme} ${name}: ${what}`).toBeGreaterThanOrEqual(MIN_GRAPHIC_CONTRAST);
        }
        worst.text = Math.min(worst.text, ...texts.map((t) => t.ratio));
        worst.stroke = Math.min(worst.stroke, ...strokes.map((t) => t.ratio));
        if (name === 'mixed result') {
          const measured = strokes.map((s) => s.what);
          const lines = ['svg polyline.trace-line', 'svg line.mid', 'svg line.axis-line'];
          expect(measured).toEqual(expect.arrayContaining(lines));
          const label = await page.locator('#result .label').evaluate((el) => getComputedStyle(el).color);
          const text = await page.evaluate(chartTextPx);
          measured.push(`${scheme}, 390 px, 16 words: chart text ${text.min.toFixed(1)} px; label colour ${label}`);
          expect(text.min).toBeGreaterThanOrEqual(MIN_CHART_TEXT_PX);
        }
        if (name.endsWith('result')) {
          // The bar is filled in the verdict's colour (not amber for every negative), grey when unreliable.
          const colours = await page.evaluate(() => ({
            label: getComputedStyle(document.querySelector('#result .label')!).color,
            body: getComputedStyle(document.body).color,
            // The neutral colour, resolved by giving it to an element's color.
            neutral: (() => {
              const probe = document.createElement('span');
              probe.style.color = 'var(--neutral)';
              document.body.append(probe);
              const colour = getComputedStyle(probe).color;
              probe.remove();
              return colour;
            })(),
          }));
          const fill = await meterFill(page);
          if (name === 'unreliable result') {
            // No verdict colour: the label is in the text colour, the bar neutral.
            expect(colours.label).toBe(colours.body);
            expect(await page.locator('meter#probability').getAttribute('class')).toBe('unreliable');
            expect(fill, `${scheme} ${name}: bar`).toBe(colours.neutral);
          } else {
            expect(fill, `${scheme} ${name}: bar`).toBe(colours.label);
          }
        }
      }
      const lowest = `text ${worst.text.toFixed(2)}:1, chart lines ${worst.stroke.toFixed(2)}:1`;
      measured.push(`${scheme}: lowest contrast: ${lowest}`);
      await context.close();
    });
  }

  /** Runs `check` on a fresh page with no script in each colour scheme, at desktop and phone widths. */
  async function inEachView(check: (page: Page, scheme: 'light' | 'dark', device: string) => Promise<void>) {
    for (const scheme of ['light', 'dark'] as const) {
      for (const [device, options] of [
        ['desktop', DESKTOP],
        ['phone', PHONE],
      ] as const) {
        const context = await browser.newContext({ javaScriptEnabled: false, colorScheme: scheme, ...options });
        try {
          await check(await context.newPage(), scheme, device);
        } finally {
          await context.close();
        }
      }
    }
  }

  it('saves screenshots of a result in light and dark mode, on a desktop and a phone', async () => {
    await inEachView(async (page, scheme, device) => {
      await page.goto(`${server.url}/?text=${encodeURIComponent(MIXED)}`);
      await page.waitForSelector('svg.trace-chart');
      await page.screenshot({ path: join(SCREENSHOTS, `result-${scheme}-${device}.png`), fullPage: true });
    });
  });

  it('analyses an example with one click', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await Promise.all([
      page.waitForURL(`${server.url}/`),
      page.getByRole('button', { name: EXAMPLE_REVIEWS[0] }).click(),
    ]);
    await page.waitForSelector('#result');
    expect(await page.locator('textarea#text').inputValue()).toBe(EXAMPLE_REVIEWS[0]);
    await context.close();
  });

  it('renders /how with no script, at desktop and phone widths, in light and dark, readable', async () => {
    await inEachView(async (page, scheme, device) => {
      const blocked: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy|Refused to/i.test(message.text())) blocked.push(message.text());
      });
      const where = `${scheme} ${device}`;
      expect((await page.goto(`${server.url}/how`))!.status(), where).toBe(200);
      expect(await page.locator('h1').textContent()).toBe('How the network reads');
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(bg, where).toBe(scheme === 'dark' ? 'rgb(22, 25, 30)' : 'rgb(255, 255, 255)');
      // The heatmap: units x words cells, coloured by the stylesheet, in a box that scrolls sideways if need be.
      const heatmap = page.locator('svg.heatmap');
      expect(await heatmap.isVisible(), where).toBe(true);
      const [units, words] = [await heatmap.getAttribute('data-units'), await heatmap.getAttribute('data-words')];
      expect(await heatmap.locator('g.cells rect').count()).toBe(Number(units) * Number(words));
      const fill = await heatmap
        .locator('g.cells rect')
        .first()
        .evaluate((el) => getComputedStyle(el).fill);
      expect(fill, where).toMatch(/^rgb\(/);
      // Nothing wider than the screen: the page does not scroll sideways (the heatmap's own box may).
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), where).toBe(true);
      const { texts } = await page.evaluate(measureContrast);
      const svg = await page.evaluate(measureHowSvg);
      expect(texts.length, where).toBeGreaterThan(50);
      expect(svg.texts.length, where).toBeGreaterThan(10);
      for (const { what, ratio } of [...texts, ...svg.texts]) {
        expect(ratio, `${where}: ${what}`).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST);
      }
      for (const { what, ratio } of svg.strokes) {
        expect(ratio, `${where}: ${what}`).toBeGreaterThanOrEqual(MIN_GRAPHIC_CONTRAST);
      }
      const lowest = Math.min(...texts.map((t) => t.ratio), ...svg.texts.map((t) => t.ratio));
      measured.push(`/how, ${where}: lowest text contrast ${lowest.toFixed(2)}:1`);
      expect(blocked, where).toEqual([]);
      await page.screenshot({ path: join(SCREENSHOTS, `how-${scheme}-${device}.png`), fullPage: true });
    });
  });

  it("answers /how's two forms with JavaScript turned off", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, ...PHONE });
    const page = await context.newPage();
    await page.goto(`${server.url}/how`);
    await page.locator('input#word').fill('Boring');
    await Promise.all([
      page.waitForURL(/\/how\?word=Boring/),
      page.getByRole('button', { name: 'Show its neighbours' }).click(),
    ]);
    expect(await page.locator('.neighbors.visitor').getAttribute('data-word')).toBe('boring');
    expect(await page.locator('.neighbors.visitor td.nb-word').count()).toBe(10);
    await page.locator('textarea#text').fill('Not bad at all. I loved it.');
    await Promise.all([page.waitForURL(/text=Not/), page.getByRole('button', { name: 'Show its memory' }).click()]);
    // The word travels with the text's form, so both results show.
    expect(new URL(page.url()).searchParams.get('word')).toBe('Boring');
    expect(await page.locator('svg.heatmap').getAttribute('data-words')).toBe('7');
    expect(await page.locator('.neighbors.visitor').count()).toBe(1);
    await page.locator('#memory').screenshot({ path: join(SCREENSHOTS, 'how-memory-phone.png') });
    await context.close();
  });
});
