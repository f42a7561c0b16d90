/**
 * The HTML page: GET / (the form, and with ?text= a result that can be linked to), POST / (a form post that
 * works without JavaScript), escaping, CSP, errors in words for a person with the text kept. The HTML is read
 * with HTMLRewriter (tests/worker/html.ts).
 */
import { describe, expect, it } from 'vitest';
import metadataJson from '../../model/metadata.json';
import type { ModelMetadata } from '../../src/model/metadata.ts';
import { createApp } from '../../src/worker/app.ts';
import { Errors } from '../../src/worker/contract/errors.ts';
import { LINK_MAX_CHARS } from '../../src/worker/page/result-section.ts';
import { SCRIPT_REVIEW } from '../fixtures/reviews.ts';
import { call, expectError, ORIGIN, postForm, postJson, type SentimentJson } from './helpers.ts';
import { select, selectOne } from './html.ts';

const metadata = metadataJson as unknown as ModelMetadata;
const HTML = { Accept: 'text/html,application/xhtml+xml' };
/** The review form (the examples are small forms too). */
const FORM = 'form[aria-label="Analyse a review"]';
/** A review this model cannot read: French, mostly outside its English vocabulary. */
const FRENCH = 'Ceci est un film magnifique, les acteurs sont formidables et l’histoire est touchante.';

const getPage = (text: string, headers: Record<string, string> = HTML) =>
  call(`/?text=${encodeURIComponent(text)}`, { headers });

async function apiResult(text: string): Promise<SentimentJson> {
  return (await (await postJson('/api/sentiment', { text })).json()) as SentimentJson;
}

/** What a result page shows: its label, score, meter, coverage, link, the text box and the error, if any. */
async function shown(page: string) {
  const [label] = await select(page, '#result [data-label]');
  const [meter] = await select(page, '#result meter#probability');
  const [coverage] = await select(page, '#result .coverage');
  const [link] = await select(page, '#result a[data-share]');
  const [error] = await select(page, `${FORM} .error[role="alert"]`);
  const textbox = await selectOne(page, `${FORM} textarea#text`);
  return { label, meter, coverage, link, error, textbox };
}

describe('GET /', () => {
  it('serves the form, examples and the model, with no script and nothing from elsewhere', async () => {
    const response = await call('/', { headers: HTML });
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/html/);
    const page = await response.text();
    const form = await selectOne(page, FORM);
    expect([form.attrs.method, form.attrs.action]).toEqual(['post', '/']);
    const textbox = await selectOne(page, `${FORM} textarea#text`);
    expect(textbox.attrs.name).toBe('text');
    expect(textbox.attrs).toHaveProperty('required');
    expect((await selectOne(page, `${FORM} label[for="text"]`)).text).toMatch(/review/i);
    expect((await selectOne(page, 'meta[name="viewport"]')).attrs.content).toContain('width=device-width');
    expect((await selectOne(page, 'html')).attrs.lang).toBe('en');
    const main = (await selectOne(page, 'main')).text;
    expect(main).toContain(metadata.name);
    const accuracy = metadata.metrics?.results.onnxInt8?.accuracy;
    expect(main).toContain(accuracy === undefined ? 'accuracy not measured yet' : `${(accuracy * 100).toFixed(1)}%`);
    expect((await select(page, 'input[type="hidden"][name="text"]')).length).toBeGreaterThanOrEqual(3);
    expect(await select(page, '#result')).toEqual([]);
    expect(await select(page, 'script')).toEqual([]);
    expect(await select(page, 'style')).toEqual([]);
    expect(page).not.toMatch(/<script/i);
    for (const element of await select(page, '*')) {
      for (const [name, value] of Object.entries(element.attrs)) {
        const where = `<${element.tag} ${name}>`;
        expect(name, where).not.toBe('style');
        expect(name, where).not.toMatch(/^on/);
        if (['src', 'href', 'action'].includes(name)) expect(value, where).not.toMatch(/^(?:[a-z]+:)?\/\//i);
      }
    }
  });

  it('serves its stylesheet from the same origin, with a light and a dark palette', async () => {
    const response = await call('/style.css');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/css/);
    const css = await response.text();
    expect(css).not.toMatch(/@import|url\(/);
    expect(css).toMatch(/color-scheme: light dark/);
    expect(css).toMatch(/@media \(prefers-color-scheme: dark\) \{\s*:root \{[^}]*--bg:[^}]*--fg:/);
  });

  it('shows an unknown path to a browser as the page with a sentence, status 404', async () => {
    const response = await call('/no-such-page', { headers: HTML });
    expect(response.status).toBe(404);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/html/);
    const error = await selectOne(await response.text(), '.error[role="alert"]');
    expect(error.attrs['data-error']).toBe('not_found');
    expect(error.text).toMatch(/^There's nothing at this address\./);
  });

  it('allows no inline script in its Content-Security-Policy', async () => {
    const csp = (await call('/')).headers.get('Content-Security-Policy') ?? '';
    expect(csp).toMatch(/script-src 'none'/);
    expect(csp).toMatch(/form-action 'self'/);
  });
});

describe('GET /?text= (a link to a result)', () => {
  it('shows the same result as the form, with the review in the text box and a link that shows it again', async () => {
    const text = 'A wonderful film with a great cast & a "clever" script.';
    const api = await apiResult(text);
    const response = await getPage(text);
    expect(response.status).toBe(200);
    const page = await response.text();
    const fromLink = await shown(page);
    const fromForm = await shown(await (await postForm({ text }, HTML)).text());
    expect(fromLink.label!.attrs['data-label']).toBe(api.label);
    expect(fromLink.meter!.attrs.value).toBe(String(api.score));
    expect(fromLink.textbox.text).toBe(text);
    expect(fromLink.error).toBeUndefined();
    for (const part of ['label', 'meter', 'coverage', 'link', 'textbox'] as const) {
      expect(fromLink[part], part).toEqual(fromForm[part]);
    }
    // The link is this page: following it shows the same result again.
    const href = fromLink.link!.attrs.href!;
    expect(href.startsWith('/?')).toBe(true);
    expect(new URLSearchParams(href.slice(2)).get('text')).toBe(text);
    const again = await shown(await (await call(href, { headers: HTML })).text());
    expect(again.meter!.attrs.value).toBe(String(api.score));
    expect(again.textbox.text).toBe(text);
    const verdict = api.label === 'positive' ? 'Positive' : 'Negative';
    expect((await selectOne(page, 'head > title')).text).toBe(`${verdict} – Movie review sentiment`);
  });

  it('shows the plain page without a text, and a sentence for an empty one', async () => {
    const plain = await call('/?utm_source=x', { headers: HTML });
    expect(plain.status).toBe(200);
    const page = await plain.text();
    expect(await select(page, '#result')).toEqual([]);
    expect(await select(page, '.error')).toEqual([]);
    const empty = await getPage('');
    expect(empty.status).toBe(400);
    const { error, textbox, label } = await shown(await empty.text());
    expect([error?.attrs['data-error'], error?.text]).toEqual(['empty_text', 'Paste a review first.']);
    expect(textbox.text).toBe('');
    expect(label).toBeUndefined();
    // Not a browser: the JSON error, as for the form.
    await expectError(await getPage('', {}), 400, 'empty_text');
  });

  it('checks a linked text as the form does: no words, too long', async () => {
    const noWords = await getPage('!!! ???');
    expect(noWords.status).toBe(400);
    const a = await shown(await noWords.text());
    expect(a.error?.text).toBe("We couldn't find any words in that text. Paste a review written in English.");
    expect(a.textbox.text).toBe('!!! ???');
    const long = 'x'.repeat(20_001);
    const tooLong = await getPage(long);
    expect(tooLong.status).toBe(413);
    const b = await shown(await tooLong.text());
    expect(b.error?.attrs['data-error']).toBe('text_too_long');
    expect(b.error?.text).toBe(
      'That review is 20,001 characters long; the limit is 20,000. Shorten it and send it again.',
    );
    expect(b.textbox.text).toBe(long);
  });

  it('escapes a review that comes in a link', async () => {
    const page = await (await getPage(SCRIPT_REVIEW)).text();
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/<img/i);
    expect(await select(page, 'script, img')).toEqual([]);
    expect((await shown(page)).textbox.text).toBe(SCRIPT_REVIEW);
  });

  it(`links to results of reviews up to ${LINK_MAX_CHARS} characters, and says why not beyond`, async () => {
    const words = (n: number) => 'Good film. '.repeat(Math.ceil(n / 11)).slice(0, n);
    const fits = await (await postForm({ text: words(LINK_MAX_CHARS) }, HTML)).text();
    expect(new URLSearchParams((await shown(fits)).link!.attrs.href!.slice(2)).get('text')).toBe(words(LINK_MAX_CHARS));
    const over = await (await postForm({ text: words(LINK_MAX_CHARS + 1) }, HTML)).text();
    expect((await shown(over)).link).toBeUndefined();
    expect((await selectOne(over, '#result [data-share-unavailable]')).text).toBe(
      'No link to this result: links hold reviews of up to 2,000 characters, and this one has 2,001.',
    );
  });
});

describe('POST / (form)', () => {
  it('shows the label, bar, coverage and a link, then the form holding the review, then the words', async () => {
    const text = 'A wonderful film with a great cast.';
    const response = await postForm({ text }, HTML);
    expect(response.status).toBe(200);
    const page = await response.text();
    const api = await apiResult(text);
    const { label, meter, coverage, link, textbox } = await shown(page);
    expect(label!.attrs['data-label']).toBe(api.label);
    expect(label!.text).toBe(api.label === 'positive' ? 'Positive' : 'Negative');
    expect(meter!.attrs).toMatchObject({ min: '0', max: '1', value: String(api.score) });
    // The bar's colour follows the label (a class), not the browser's low/optimum colours.
    expect(meter!.classes).toEqual([api.label]);
    for (const name of ['low', 'high', 'optimum']) expect(meter!.attrs).not.toHaveProperty(name);
    expect((await selectOne(page, 'section#result')).classes).toEqual(['result', api.label]);
    expect(coverage!.attrs['data-coverage']).toBe(String(api.coverage));
    // The share and the count the API gives (a share of k in 7 words is never near 0% or 100%, where it rounds inward).
    const known = api.coverage === 1 ? 'All' : `${Math.round(100 * api.coverage)}% of the`;
    expect(coverage!.text).toBe(`${known} ${api.tokens} words the model read are in its vocabulary.`);
    expect(link!.text).toBe('Link to this result');
    expect(textbox.text).toBe(text);
    // The review is in the text box, and nowhere else as a whole (the words view shows it word by word).
    expect(await select(page, 'blockquote')).toEqual([]);
    expect(page.split(text)).toHaveLength(2);
    // The summary, then the form, then the word-by-word view (when the model has one).
    const order = [await selectOne(page, '#result'), await selectOne(page, FORM), ...(await select(page, '#trace'))];
    expect(order.map((e) => e.index)).toEqual(order.map((e) => e.index).sort((a, b) => a - b));
  });

  it('shows a result the model cannot read as unreliable: the warning first, no verdict colour', async () => {
    const api = await apiResult(FRENCH);
    expect(api.reliable, `coverage ${api.coverage}`).toBe(false);
    const page = await (await postForm({ text: FRENCH }, HTML)).text();
    const section = await selectOne(page, 'section#result');
    expect(section.classes).toEqual(['result', 'unreliable']);
    expect(section.attrs['data-reliable']).toBe('false');
    const { label, meter, coverage } = await shown(page);
    expect(label!.text).toBe('Unreliable result');
    expect((await selectOne(page, '#result .warning')).text).toBe(api.warning);
    // The warning comes right after the label, before the score.
    expect((await selectOne(page, '#result .warning')).index).toBeLessThan(meter!.index);
    expect(meter!.classes).toEqual(['unreliable']);
    expect(coverage!.attrs['data-coverage']).toBe(String(api.coverage));
    expect(coverage!.text).toBe(
      `${Math.round(100 * api.coverage)}% of the ${api.tokens} words the model read are in its vocabulary.`,
    );
    expect((await selectOne(page, 'head > title')).text).toBe('Unreliable result – Movie review sentiment');
  });

  it('escapes the review in the text box, and shows its words as words', async () => {
    const page = await (await postForm({ text: SCRIPT_REVIEW }, HTML)).text();
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/<img/i);
    expect(await select(page, 'script, img')).toEqual([]);
    expect(page).toContain('&lt;script&gt;document.body.dataset.pwned = &quot;yes&quot;&lt;/script&gt;');
    expect(page).toContain('&lt;img src=x onerror=&quot;document.body.dataset.pwned=1&quot;&gt;');
    // Once: the text box. The echo of the review is gone; the word-by-word view holds normalised words, no markup.
    expect(page.match(/&lt;script&gt;/g)).toHaveLength(1);
    expect((await shown(page)).textbox.text).toBe(SCRIPT_REVIEW);
  });

  it('answers bad input from a browser with the page: a sentence for a person, the text kept, the status', async () => {
    const cases: Array<{ fields: Record<string, string>; status: number; code: string; message: string }> = [
      { fields: { text: '' }, status: 400, code: 'empty_text', message: 'Paste a review first.' },
      { fields: {}, status: 400, code: 'missing_text', message: 'Paste a review first.' },
      {
        fields: { text: '!!! ???' },
        status: 400,
        code: 'no_words',
        message: "We couldn't find any words in that text. Paste a review written in English.",
      },
      {
        fields: { text: 'y'.repeat(20_001) },
        status: 413,
        code: 'text_too_long',
        message: 'That review is 20,001 characters long; the limit is 20,000. Shorten it and send it again.',
      },
    ];
    for (const { fields, status, code, message } of cases) {
      const response = await postForm(fields, HTML);
      expect(response.status, code).toBe(status);
      expect(response.headers.get('Content-Type')).toMatch(/^text\/html/);
      const page = await response.text();
      const { error, textbox } = await shown(page);
      expect([error?.attrs['data-error'], error?.attrs.id, error?.text]).toEqual([code, 'text-error', message]);
      expect(textbox.text, code).toBe(fields.text ?? '');
      expect(textbox.attrs['aria-invalid']).toBe('true');
      expect(textbox.attrs['aria-describedby']?.split(' ')).toContain('text-error');
      expect(await select(page, '#result')).toEqual([]);
      expect((await selectOne(page, 'head > title')).text).toBe('Error – Movie review sentiment');
    }
  });

  it('keeps the JSON errors and their messages for clients that are not browsers', async () => {
    expect(await expectError(await postForm({ text: '' }), 400, 'empty_text')).toBe(Errors.emptyText().message);
    expect(await expectError(await postForm({}), 400, 'missing_text')).toBe(Errors.missingText().message);
    expect(await expectError(await postForm({ text: '!!! ???' }), 400, 'no_words')).toBe(Errors.noWords().message);
  });

  it('413 for a text over 20,000 characters or a body over 256 KiB', async () => {
    await expectError(await postForm({ text: 'x'.repeat(20_001) }), 413, 'text_too_long');
    await expectError(await postForm({ text: 'x'.repeat(10), padding: 'y'.repeat(300 * 1024) }), 413, 'body_too_large');
    // A browser gets the page, with a sentence (the body was not read: there is no text to keep).
    const page = await postForm({ text: 'x'.repeat(10), padding: 'y'.repeat(300 * 1024) }, HTML);
    expect(page.status).toBe(413);
    const error = await selectOne(await page.text(), '.error[role="alert"]');
    expect(error.attrs['data-error']).toBe('body_too_large');
    expect(error.text).toMatch(/^That was more than this page accepts in one go\./);
  });

  it('415 for another content type', async () => {
    await expectError(await postJson('/', { text: 'good' }), 415, 'unsupported_media_type');
    const multipart = new FormData();
    multipart.set('text', 'good');
    await expectError(await call('/', { method: 'POST', body: multipart }), 415, 'unsupported_media_type');
  });
});

describe('the page when the model could not be started', () => {
  const app = createApp({ metadata, model: Promise.reject(new Error('no runtime')) });

  it('answers 503 with a sentence, Retry-After, and the review kept, from the form and from a link', async () => {
    const text = 'A wonderful film.';
    const requests = [
      new Request(`${ORIGIN}/`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...HTML },
        body: new URLSearchParams({ text }).toString(),
      }),
      new Request(`${ORIGIN}/?text=${encodeURIComponent(text)}`, { headers: HTML }),
    ];
    for (const request of requests) {
      const response = await app.request(request);
      expect(response.status, request.method).toBe(503);
      expect(response.headers.get('Retry-After')).toBe('1');
      const { error, textbox } = await shown(await response.text());
      expect([error?.attrs['data-error'], error?.text]).toEqual([
        'model_unavailable',
        "The model isn't available right now. Try again in a moment.",
      ]);
      expect(textbox.text).toBe(text);
    }
    // The JSON API keeps its message.
    const json = await app.request(`${ORIGIN}/api/sentiment`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ text }),
    });
    expect(await expectError(json, 503, 'model_unavailable')).toMatch(/^The model could not be started: no runtime/);
  });
});
