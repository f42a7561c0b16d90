/**
 * The HTML page: GET / and POST / (a form post that works without JavaScript), escaping, CSP, errors.
 */
import { describe, expect, it } from 'vitest';
import metadataJson from '../../model/metadata.json';
import type { ModelMetadata } from '../../src/model/metadata.ts';
import { SCRIPT_REVIEW } from '../fixtures/reviews.ts';
import { call, expectError, postForm, postJson, type SentimentJson } from './helpers.ts';

const metadata = metadataJson as unknown as ModelMetadata;
const HTML = { Accept: 'text/html,application/xhtml+xml' };

describe('GET /', () => {
  it('serves the form, examples and the model, with no script and nothing from elsewhere', async () => {
    const response = await call('/', { headers: HTML });
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/html/);
    const page = await response.text();
    expect(page).toContain('<form method="post" action="/">');
    expect(page).toMatch(/<textarea id="text" name="text"/);
    expect(page).toContain('<label for="text">');
    expect(page).toContain('name="viewport"');
    expect(page).toContain('<html lang="en">');
    expect(page).toContain(metadata.name);
    const accuracy = metadata.metrics?.results.onnxInt8?.accuracy;
    expect(page).toContain(accuracy === undefined ? 'accuracy not measured yet' : `${(accuracy * 100).toFixed(1)}%`);
    expect(page.match(/<input type="hidden" name="text"/g)?.length ?? 0).toBeGreaterThanOrEqual(3);
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/\s(?:src|href|action)="(?:https?:)?\/\//i);
    expect(page).not.toMatch(/\sstyle="/i);
    expect(page).not.toMatch(/\son\w+="/i);
  });

  it('serves its stylesheet from the same origin', async () => {
    const response = await call('/style.css');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/css/);
    expect(await response.text()).not.toMatch(/@import|url\(/);
  });

  it('shows an unknown path to a browser as the page with the message, status 404', async () => {
    const response = await call('/no-such-page', { headers: HTML });
    expect(response.status).toBe(404);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(await response.text()).toContain('data-error="not_found"');
  });

  it('allows no inline script in its Content-Security-Policy', async () => {
    const csp = (await call('/')).headers.get('Content-Security-Policy') ?? '';
    expect(csp).toMatch(/script-src 'none'/);
    expect(csp).toMatch(/form-action 'self'/);
  });
});

describe('POST / (form)', () => {
  it('shows the label, the probability as a bar and the review, with the API score', async () => {
    const text = 'A wonderful film with a great cast.';
    const response = await postForm({ text }, HTML);
    expect(response.status).toBe(200);
    const page = await response.text();
    const api = (await (await postJson('/api/sentiment', { text })).json()) as SentimentJson;
    expect(page).toContain(`data-label="${api.label}"`);
    expect(page).toMatch(new RegExp(`<meter id="probability" min="0" max="1"[^>]* value="${api.score}"`));
    expect(page).toContain(`<blockquote data-echo>${text}</blockquote>`);
    expect(page).toContain('<form method="post" action="/">');
  });

  it('echoes the review HTML-escaped, in the result and the text box', async () => {
    const page = await (await postForm({ text: SCRIPT_REVIEW })).text();
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/<img/i);
    expect(page).toContain('&lt;script&gt;document.body.dataset.pwned = &quot;yes&quot;&lt;/script&gt;');
    expect(page).toContain('&lt;img src=x onerror=&quot;document.body.dataset.pwned=1&quot;&gt;');
    expect(page.match(/&lt;script&gt;/g)).toHaveLength(2);
  });

  it('answers bad input with the page and the message for a browser, JSON otherwise', async () => {
    const html = await postForm({ text: '' }, HTML);
    expect(html.status).toBe(400);
    expect(html.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(await html.text()).toMatch(/<p class="error" role="alert" data-error="empty_text">/);
    await expectError(await postForm({ text: '' }), 400, 'empty_text');
    await expectError(await postForm({}), 400, 'missing_text');
    await expectError(await postForm({ text: '!!! ???' }), 400, 'no_words');
  });

  it('413 for a text over 20,000 characters or a body over 256 KiB', async () => {
    await expectError(await postForm({ text: 'x'.repeat(20_001) }), 413, 'text_too_long');
    await expectError(await postForm({ text: 'x'.repeat(10), padding: 'y'.repeat(300 * 1024) }), 413, 'body_too_large');
  });

  it('415 for another content type', async () => {
    await expectError(await postJson('/', { text: 'good' }), 415, 'unsupported_media_type');
    const multipart = new FormData();
    multipart.set('text', 'good');
    await expectError(await call('/', { method: 'POST', body: multipart }), 415, 'unsupported_media_type');
  });
});
