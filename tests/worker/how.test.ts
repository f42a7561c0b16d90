/**
 * GET /how and GET /api/neighbors in workerd: the page (no script, its five sections, linked from the main
 * page), the heatmap's units x words cells, the parameter table, the neighbours' order and determinism, the
 * word-order pairs against the API's scores, the errors (page and JSON) and the rate limit. The HTML is read with
 * HTMLRewriter (tests/worker/html.ts).
 */
import { describe, expect, it } from 'vitest';
import metadataJson from '../../model/metadata.json';
import type { ModelMetadata } from '../../src/model/metadata.ts';
import { countParameters } from '../../src/model/parameters.ts';
import { readWords } from '../../src/tokenizer/index.ts';
import { DEFAULT_WORDS } from '../../src/worker/how/embedding-section.ts';
import { MEMORY_WORDS } from '../../src/worker/how/memory.ts';
import { ORDER_PAIRS } from '../../src/worker/how/order.ts';
import { EXAMPLE_TEXT } from '../../src/worker/how/parts.ts';
import { call, expectError, HAS_TRACE, needsTrace, postJson, type SentimentJson } from './helpers.ts';
import { select, selectOne } from './html.ts';

const metadata = metadataJson as unknown as ModelMetadata;
const HTML = { Accept: 'text/html,application/xhtml+xml' };
const SECTIONS = ['architecture', 'embedding', 'memory', 'gradient', 'order'];

interface NeighborsJson {
  word: string;
  neighbors: Array<{ word: string; similarity: number }>;
  model: string;
}

const how = (query = '', headers: Record<string, string> = HTML) => call(`/how${query}`, { headers });
const page = async (query = '') => {
  const response = await how(query);
  return { status: response.status, html: await response.text() };
};
const wordsOf = (text: string) => readWords(text, { markNegation: metadata.tokenizer.markNegation }).length;

/** The heatmap's size as drawn: its units, its words and its cells (each with a colour class h0..h8). */
async function heatmapOf(html: string) {
  const svg = await selectOne(html, 'svg.heatmap');
  const cells = await select(html, 'svg.heatmap g.cells rect');
  return { units: Number(svg.attrs['data-units']), words: Number(svg.attrs['data-words']), cells };
}

describe('GET /how', () => {
  it('is linked from the main page', async () => {
    const main = await (await call('/', { headers: HTML })).text();
    expect((await selectOne(main, 'footer a[href="/how"]')).text).toBe('How the network reads');
  });

  it('serves five sections with no script, no inline style and nothing from elsewhere', async () => {
    const response = await how();
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(response.headers.get('Content-Security-Policy')).toMatch(/script-src 'none'/);
    const html = await response.text();
    expect((await selectOne(html, 'h1')).text).toBe('How the network reads');
    for (const id of SECTIONS) expect((await select(html, `section#${id} h2`)).length, id).toBe(1);
    expect(await select(html, 'script')).toEqual([]);
    expect(await select(html, 'style')).toEqual([]);
    expect(await select(html, '.error')).toEqual([]);
    for (const element of await select(html, '*')) {
      for (const [name, value] of Object.entries(element.attrs)) {
        expect(name, `<${element.tag} ${name}>`).not.toBe('style');
        expect(name, `<${element.tag} ${name}>`).not.toMatch(/^on/);
        if (['src', 'href', 'action'].includes(name)) expect(value).not.toMatch(/^(?:[a-z]+:)?\/\//i);
      }
    }
    // Both forms are GET forms to this page, so they work without JavaScript and a result is a link.
    for (const form of await select(html, 'form'))
      expect([form.attrs.method, form.attrs.action?.split('#')[0]]).toEqual(['get', '/how']);
    expect((await selectOne(html, 'form input#word')).attrs.name).toBe('word');
    expect((await selectOne(html, 'form textarea#text')).text).toBe(EXAMPLE_TEXT);
  });

  it("shows the architecture's parameter counts, its forward step, and the files' bytes against float32", async () => {
    const { html } = await page();
    const counts = countParameters(metadata.architecture);
    const rows = await select(html, 'table.params tr[data-part]');
    const shown = Object.fromEntries(rows.map((row) => [row.attrs['data-part'], Number(row.attrs['data-count'])]));
    expect(shown).toEqual({
      embedding: counts.embedding,
      input: counts.inputWeights,
      recurrent: counts.recurrentWeights,
      bias: counts.bias,
      classifier: counts.classifier,
      total: counts.total,
    });
    const total = rows.find((row) => row.attrs['data-part'] === 'total')!;
    expect(total.text).toContain(counts.total.toLocaleString('en-US'));
    const { architecture: a } = metadata;
    expect(html).toContain(`h<sub>t</sub> = tanh(W x<sub>t</sub> + U h<sub>t−1</sub> + b)`);
    expect(html).toContain(`W is ${a.units} × ${a.embeddingDim}, U is ${a.units} × ${a.units}`);
    const bytes = metadata.onnx.scoring.bytes + (metadata.onnx.trace?.bytes ?? 0);
    expect((await selectOne(html, 'strong[data-bytes="int8"]')).text).toBe(`${bytes.toLocaleString('en-US')} bytes`);
    expect((await selectOne(html, 'strong[data-bytes="float32"]')).text).toBe(
      `${(4 * counts.total).toLocaleString('en-US')} bytes`,
    );
  });

  it.skipIf(!HAS_TRACE)(needsTrace('draws units x words cells for the example text'), async () => {
    const { html } = await page();
    const { units, words, cells } = await heatmapOf(html);
    expect(units).toBe(metadata.architecture.units);
    expect(words).toBe(Math.min(MEMORY_WORDS, wordsOf(EXAMPLE_TEXT)));
    expect(cells).toHaveLength(units * words);
    for (const cell of cells) expect(cell.classes).toEqual([expect.stringMatching(/^h[0-8]$/)]);
    expect(await select(html, 'svg.heatmap text.word-label')).toHaveLength(words);
  });

  it.skipIf(!HAS_TRACE)(needsTrace("draws the first 60 words of a visitor's longer text"), async () => {
    const text = Array.from({ length: 25 }, (_, i) => `Scene ${i + 1} was dull.`).join(' ');
    expect(wordsOf(text)).toBe(100);
    const { status, html } = await page(`?text=${encodeURIComponent(text)}`);
    expect(status).toBe(200);
    const { units, words, cells } = await heatmapOf(html);
    expect([units, words]).toEqual([metadata.architecture.units, MEMORY_WORDS]);
    expect(cells).toHaveLength(units * MEMORY_WORDS);
    expect((await selectOne(html, '#memory figcaption .help')).text).toMatch(/^The first 60 of the 100 words/);
    expect((await selectOne(html, 'textarea#text')).text).toBe(text);
    expect((await selectOne(html, 'meta[name="robots"]')).attrs.content).toBe('noindex');
  });

  it('shows the default words’ neighbours, and a visitor’s word first', async () => {
    const { html } = await page('?word=Awful');
    const cards = await select(html, '.neighbor-grid .neighbors');
    expect(cards.map((c) => c.attrs['data-word'])).toEqual(['awful', ...DEFAULT_WORDS]);
    expect(cards[0]!.classes).toContain('visitor');
    const api = (await (await call('/api/neighbors?word=awful')).json()) as NeighborsJson;
    const listed = await select(html, '.neighbors.visitor td.nb-word');
    expect(listed.map((w) => w.text)).toEqual(api.neighbors.map((n) => n.word));
    expect((await selectOne(html, 'input#word')).attrs.value).toBe('Awful');
  });

  it('shows the gradient norms from the metadata, or says how to measure them', async () => {
    const { html } = await page();
    const curves = metadata.gradientNorms ?? [];
    if (curves.length === 0) {
      expect((await selectOne(html, '[data-gradient="missing"]')).text).toContain('--compare-gradients DIR');
      return;
    }
    expect((await selectOne(html, 'svg.grad-chart')).attrs['data-curves']).toBe(String(curves.length));
    const lines = await select(html, 'svg.grad-chart polyline.grad-line');
    expect(lines.map((l) => l.attrs['data-model'])).toEqual(curves.map((c) => c.model));
    expect((await selectOne(html, '[data-gradient="sentence"]')).text).toMatch(/orders? of magnitude/);
  });

  it.skipIf(!HAS_TRACE)(needsTrace('shows the word-order pairs with the API’s scores and their bags'), async () => {
    const { html } = await page();
    const pairs = await select(html, '#order .pair');
    expect(pairs).toHaveLength(ORDER_PAIRS.length);
    const verdicts = await select(html, '#order .verdict');
    expect(verdicts.map((v) => v.attrs['data-same-bag'])).toEqual(['false', 'false', 'true']);
    const shown = (await select(html, '#order .pair-text')).map((t) => Number(t.attrs['data-score']));
    const api = (await (await postJson('/api/sentiment', { texts: ORDER_PAIRS.flat() })).json()) as {
      results: SentimentJson[];
    };
    expect(shown).toEqual(api.results.map((r) => r.score));
    // The reordered pair: identical bags, the network's two scores differ.
    expect(shown[4]).not.toBe(shown[5]);
  });
});

describe('GET /how: errors', () => {
  it('answers a word outside the vocabulary with the page and a sentence (404), or the JSON error', async () => {
    const { status, html } = await page('?word=zzqxjv');
    expect(status).toBe(404);
    const alert = await selectOne(html, 'form .error[role="alert"]');
    expect(alert.attrs['data-error']).toBe('unknown_word');
    expect(alert.text).toContain('“zzqxjv” is not one of the words the model knows');
    expect((await selectOne(html, 'input#word')).attrs['aria-invalid']).toBe('true');
    // The rest of the page is there.
    expect((await select(html, '.neighbor-grid .neighbors')).length).toBe(DEFAULT_WORDS.length);
    await expectError(await how('?word=zzqxjv', {}), 404, 'unknown_word');
  });

  it.each([
    ['?word=', 400, 'missing_word'],
    ['?word=%21%21%21', 400, 'missing_word'],
    ['?text=', 400, 'empty_text'],
    ['?text=%21%21%21', 400, 'no_words'],
    [`?text=${'a'.repeat(20_001)}`, 413, 'text_too_long'],
  ])('answers %s with %i %s', async (query, status, code) => {
    const response = await page(query);
    expect(response.status).toBe(status);
    expect((await selectOne(response.html, '.error[role="alert"]')).attrs['data-error']).toBe(code);
    await expectError(await how(query, {}), status, code);
  });
});

describe('GET /api/neighbors', () => {
  const neighbors = async (word: string) => {
    const response = await call(`/api/neighbors?word=${encodeURIComponent(word)}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('*');
    return (await response.json()) as NeighborsJson;
  };

  it('answers the same twice: 10 words, similarity descending, the word and special entries left out', async () => {
    const first = await neighbors('good');
    expect(await neighbors('good')).toEqual(first);
    expect(Object.keys(first)).toEqual(['word', 'neighbors', 'model']);
    expect(first).toMatchObject({ word: 'good', model: metadata.name });
    expect(first.neighbors).toHaveLength(10);
    const similarities = first.neighbors.map((n) => n.similarity);
    expect(similarities).toEqual([...similarities].sort((a, b) => b - a));
    for (const s of similarities) expect(Math.abs(s)).toBeLessThanOrEqual(1);
    for (const word of ['good', '<pad>', '<unk>']) expect(first.neighbors.map((n) => n.word)).not.toContain(word);
  });

  it('reads the word as the tokenizer does', async () => {
    expect((await neighbors('Good')).word).toBe('good');
    expect((await neighbors('not good')).word).toBe('not_good');
  });

  it('answers 404 unknown_word for a word outside the vocabulary, 400 missing_word without a word', async () => {
    const message = await expectError(await call('/api/neighbors?word=zzqxjv'), 404, 'unknown_word');
    expect(message).toMatch(/^"zzqxjv" is not in the model's vocabulary .*send another single word/);
    await expectError(await call('/api/neighbors?word=two%20words'), 404, 'unknown_word');
    await expectError(await call('/api/neighbors'), 400, 'missing_word');
    await expectError(await call('/api/neighbors?word='), 400, 'missing_word');
    await expectError(await call('/api/neighbors?word=%20%20'), 400, 'missing_word');
    await expectError(await call('/api/neighbors?word=%3F%21'), 400, 'missing_word');
    const post = await call('/api/neighbors?word=good', { method: 'POST' });
    await expectError(post, 405, 'method_not_allowed');
    expect(post.headers.get('Allow')).toMatch(/GET/);
  });
});

describe('the rate limit on /how and /api/neighbors', () => {
  it('limits neighbour queries and a visitor’s word, not the page with its examples', async () => {
    const from = { 'CF-Connecting-IP': '203.0.113.61' };
    let limited: Response | undefined;
    for (let i = 0; i < 5_000 && !limited; i++) {
      const response = await call('/api/neighbors?word=good', { headers: from });
      if (response.status === 429) limited = response;
      else await response.arrayBuffer();
    }
    expect(limited, 'no 429 after 5,000 requests').toBeDefined();
    await expectError(limited!, 429, 'rate_limited');
    const refused = await call('/how?word=good', { headers: { ...HTML, ...from } });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('Retry-After')).toBeTruthy();
    expect((await selectOne(await refused.text(), '.error[role="alert"]')).attrs['data-error']).toBe('rate_limited');
    expect((await call('/how', { headers: { ...HTML, ...from } })).status).toBe(200);
  });
});
