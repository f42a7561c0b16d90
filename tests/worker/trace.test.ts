/**
 * The word-by-word trace: POST /api/sentiment with "trace": true (single and batch), its validation, a model
 * without a trace graph, and the page's chart and tinted words. Every expectation about the model is read from
 * model/metadata.json and model/vocab.json, or compared with the model's own answers: no score is hard-coded.
 * What the trained model says about a particular text (that a negation pulls a score down, say) is a property of
 * the training, checked where the model is evaluated (npm run eval), not part of the Worker's contract.
 */
import { describe, expect, it } from 'vitest';
import metadataJson from '../../model/metadata.json';
import vocabularyJson from '../../model/vocab.json';
import type { ModelMetadata } from '../../src/model/metadata.ts';
import { readWords, splitWords, tokenOf, truncateWords } from '../../src/tokenizer/index.ts';
import { createApp } from '../../src/worker/app.ts';
import { bundledModelFiles } from '../../src/worker/model/bundled.ts';
import { CHART_MAX_POINTS } from '../../src/worker/page/score-chart.ts';
import { tintClass } from '../../src/worker/page/tinted-words.ts';
import { PARITY_REVIEWS, SCRIPT_REVIEW } from '../fixtures/reviews.ts';
import {
  call,
  expectError,
  HAS_TRACE,
  loadModel,
  needsTrace,
  ORIGIN,
  postForm,
  postJson,
  type SentimentJson,
} from './helpers.ts';
import { select, selectOne } from './html.ts';

const metadata = metadataJson as unknown as ModelMetadata;
const vocabulary = new Set(vocabularyJson.words);
const { maxLength, truncation, markNegation } = metadata.tokenizer;
const LONG_REVIEW = PARITY_REVIEWS.at(-1)!;
const HTML = { Accept: 'text/html,application/xhtml+xml' };
type Trace = NonNullable<SentimentJson['trace']>;

/** The words the model reads, as the text has them, each with the token the model reads for it. */
const wordsRead = (text: string) => truncateWords(readWords(text, { markNegation }), { maxLength, truncation });

async function traced(text: string): Promise<SentimentJson> {
  const response = await postJson('/api/sentiment', { text, trace: true });
  const body = await response.text();
  expect(response.status, body).toBe(200);
  return JSON.parse(body) as SentimentJson;
}

/**
 * One item per word read, in order, with the text's own word; a word in a negation scope marked with the token the
 * model read; exactly the out-of-vocabulary tokens marked.
 */
function expectTrace(result: SentimentJson, text: string): Trace {
  const trace = result.trace!;
  expect(Array.isArray(trace)).toBe(true);
  const words = wordsRead(text);
  expect(trace).toHaveLength(result.tokens);
  expect(trace.map((step) => step.word)).toEqual(words.map((w) => w.word));
  for (const [t, step] of trace.entries()) {
    const token = tokenOf(words[t]!);
    const unknown = !vocabulary.has(token);
    const keys = ['score', 'word', ...(words[t]!.negated ? ['negated', 'token'] : []), ...(unknown ? ['unknown'] : [])];
    expect(Object.keys(step).sort()).toEqual(keys.sort());
    if (words[t]!.negated) expect([step.negated, step.token]).toEqual([true, token]);
    if (unknown) expect(step.unknown).toBe(true);
  }
  // The last trace score is the score (same run; float rounding only).
  expect(
    Math.abs(trace.at(-1)!.score - result.score),
    `last trace score ${trace.at(-1)!.score} vs score ${result.score}`,
  ).toBeLessThanOrEqual(1e-6);
  return trace;
}

describe('POST /api/sentiment with "trace": true', () => {
  it.skipIf(!HAS_TRACE)(needsTrace('gives one item per word read, the last one equal to the score'), async () => {
    for (const text of [
      'Great film!',
      'A wonderful film with a great cast.',
      'The food is not good',
      PARITY_REVIEWS[8]!,
      PARITY_REVIEWS[18]!,
    ]) {
      const result = await traced(text);
      expect(Object.keys(result).sort()).toEqual([
        'coverage',
        'label',
        'model',
        'reliable',
        'score',
        'tokens',
        'trace',
        'truncated',
      ]);
      expectTrace(result, text);
      // The same score as a plain request.
      const plain = (await (await postJson('/api/sentiment', { text })).json()) as SentimentJson;
      expect(Math.abs(plain.score - result.score)).toBeLessThanOrEqual(1e-6);
      expect(plain.label).toBe(result.label);
    }
  });

  it.skipIf(!HAS_TRACE)(
    needsTrace('gives after each word the score of the text up to that word, as a plain request does'),
    async () => {
      // Texts without punctuation, so the words read up to word t, sent as a text, are read as the same tokens
      // (negation scope included: "good" after "not" is read as not_good in the prefix too).
      for (const text of ['A wonderful film with a great cast', 'The food is not good', 'Zzyzx was GREAT']) {
        const trace = expectTrace(await traced(text), text);
        const prefixes = trace.map((_, t) =>
          trace
            .slice(0, t + 1)
            .map((s) => s.word)
            .join(' '),
        );
        const response = await postJson('/api/sentiment', { texts: prefixes });
        expect(response.status).toBe(200);
        const { results } = (await response.json()) as { results: SentimentJson[] };
        expect(results.map((r) => r.tokens)).toEqual(prefixes.map((_, t) => t + 1));
        trace.forEach((step, t) =>
          expect(Math.abs(step.score - results[t]!.score), `after "${prefixes[t]}"`).toBeLessThanOrEqual(1e-6),
        );
      }
    },
  );

  it.skipIf(!HAS_TRACE)(needsTrace('reads at most maxLength words of a long review'), async () => {
    const result = await traced(LONG_REVIEW);
    expect(result.truncated).toBe(true);
    expect(expectTrace(result, LONG_REVIEW)).toHaveLength(maxLength);
  });

  it.skipIf(!HAS_TRACE)(needsTrace('marks out-of-vocabulary words, as the tokenizer saw them'), async () => {
    const text = 'Zzyzx was GREAT';
    expect(vocabulary.has('zzyzx')).toBe(false);
    const trace = expectTrace(await traced(text), text);
    expect(trace[0]).toEqual({ word: 'zzyzx', score: trace[0]!.score, unknown: true });
    expect(trace[2]!.word).toBe('great');
  });

  it.skipIf(!HAS_TRACE)(needsTrace('gives each text of a batch its own trace, as when sent alone'), async () => {
    const texts = PARITY_REVIEWS.slice(0, 6);
    const response = await postJson('/api/sentiment', { texts, trace: true });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { results: SentimentJson[]; model: string };
    expect(Object.keys(body).sort()).toEqual(['model', 'results']);
    expect(body.results).toHaveLength(texts.length);
    for (const [i, text] of texts.entries()) {
      const trace = expectTrace(body.results[i]!, text);
      const alone = (await traced(text)).trace!;
      expect(trace.map((s) => s.word)).toEqual(alone.map((s) => s.word));
      trace.forEach((step, t) => expect(Math.abs(step.score - alone[t]!.score)).toBeLessThanOrEqual(1e-6));
    }
  });
});

describe('the trace field', () => {
  it('leaves the answer as it was without "trace" or with "trace": false', async () => {
    const text = 'A wonderful film with a great cast.';
    for (const body of [{ text }, { text, trace: false }]) {
      const result = (await (await postJson('/api/sentiment', body)).json()) as SentimentJson;
      expect(Object.keys(result)).toEqual(['label', 'score', 'tokens', 'truncated', 'coverage', 'reliable', 'model']);
    }
    const batch = (await (await postJson('/api/sentiment', { texts: [text, 'dull'], trace: false })).json()) as {
      results: SentimentJson[];
    };
    for (const result of batch.results)
      expect(Object.keys(result)).toEqual(['label', 'score', 'tokens', 'truncated', 'coverage', 'reliable', 'model']);
  });

  it('400 invalid_trace for a trace that is not a boolean', async () => {
    for (const trace of ['true', 1, 0, null, [], {}]) {
      const message = await expectError(
        await postJson('/api/sentiment', { text: 'good', trace }),
        400,
        'invalid_trace',
      );
      expect(message).toContain('"trace"');
    }
    await expectError(await postJson('/api/sentiment', { texts: ['good'], trace: 'yes' }), 400, 'invalid_trace');
  });

  it('GET /api/model says whether the model has a trace', async () => {
    const body = (await (await call('/api/model')).json()) as { trace: boolean };
    expect(body.trace).toBe(HAS_TRACE);
  });
});

describe('a model without a trace graph (bidirectional)', () => {
  const files = bundledModelFiles();
  const withoutTrace = structuredClone(files.metadata);
  delete withoutTrace.onnx.trace;
  const app = createApp({
    metadata: withoutTrace,
    model: loadModel({ ...files, metadata: withoutTrace, graphs: { scoring: files.graphs.scoring } }),
  });
  const post = (body: unknown) =>
    app.request(`${ORIGIN}/api/sentiment`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('answers "trace": true with a 400 saying the model has no trace, and serves plain requests', async () => {
    const message = await expectError(await post({ text: 'good', trace: true }), 400, 'trace_unavailable');
    expect(message).toMatch(/no per-word trace/);
    expect(message).toContain(withoutTrace.name);
    await expectError(await post({ texts: ['good', 'bad'], trace: true }), 400, 'trace_unavailable');
    const plain = await post({ text: 'good', trace: false });
    expect(plain.status).toBe(200);
    expect(Object.keys((await plain.json()) as object)).toEqual([
      'label',
      'score',
      'tokens',
      'truncated',
      'coverage',
      'reliable',
      'model',
    ]);
  });

  it('still shows the result on the page, without the chart', async () => {
    const response = await app.request(`${ORIGIN}/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...HTML },
      body: new URLSearchParams({ text: 'A fine film.' }).toString(),
    });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(await select(page, 'section#result [data-label]')).toHaveLength(1);
    expect((await selectOne(page, 'textarea#text')).text).toBe('A fine film.');
    expect(await select(page, 'svg')).toEqual([]);
    expect(await select(page, '#trace')).toEqual([]);
  });
});

describe.skipIf(!HAS_TRACE)(needsTrace('the page: chart and tinted words'), () => {
  /** The chart, its polyline's points, its texts and word labels, and the word spans of a result page. */
  async function parts(page: string) {
    const svg = await selectOne(page, 'svg.trace-chart');
    const line = await selectOne(page, 'svg.trace-chart polyline.trace-line');
    const points = line.attrs.points!.trim().split(/\s+/);
    const texts = await select(page, 'svg.trace-chart text');
    const labels = await select(page, 'svg.trace-chart text.word-label');
    const spans = (await select(page, 'div.trace-words span.w')).map((span) => ({ ...span, word: span.text }));
    return { svg, line, points, texts, labels, spans };
  }

  it('draws the score after each word, a 50% line, axis labels, title and description; tints the words', async () => {
    const text = 'The food is not good, but the zzyzx service was wonderful.';
    const api = await traced(text);
    const page = await (await postForm({ text }, HTML)).text();
    const { svg, points, texts, spans } = await parts(page);
    expect(svg.attrs).toMatchObject({
      role: 'img',
      'aria-labelledby': 'trace-title trace-desc',
      'data-words': String(api.tokens),
    });
    expect((await selectOne(page, 'svg.trace-chart title#trace-title')).text).toBe('Score after each word');
    // The description gives what the chart shows: how many words were read, and the score after the last one.
    const desc = (await selectOne(page, 'svg.trace-chart desc#trace-desc')).text;
    const last = api.trace!.at(-1)!;
    expect(desc).toContain(`after each of the ${api.tokens} words the model read: `);
    expect(desc).toContain(`${(100 * last.score).toFixed(1)}% after the last, “${last.word}”`);
    expect(points).toHaveLength(api.tokens);
    expect(await select(page, 'svg.trace-chart line.mid')).toHaveLength(1);
    for (const label of ['0%', '50%', '100%', 'probability positive']) {
      expect(texts.map((t) => t.text)).toContain(label);
    }
    // Every point lies inside the view box, and higher scores are drawn higher.
    const [, , width, height] = svg.attrs.viewbox!.split(' ').map(Number);
    const xys = points.map((p) => p.split(',').map(Number));
    for (const [x, y] of xys) expect(0 <= x! && x! <= width! && 0 <= y! && y! <= height!, `${x},${y}`).toBe(true);
    const ys = xys.map(([, y]) => y!);
    const top = ys[api.trace!.findIndex((s) => s.score === Math.max(...api.trace!.map((x) => x.score)))]!;
    expect(Math.min(...ys)).toBe(top);
    // One span per word read, in order; the model's largest moves are tinted; the unknown word is marked.
    expect(spans.map((s) => s.word)).toEqual(api.trace!.map((s) => s.word));
    for (const [i, span] of spans.entries()) {
      if (i === 0) continue; // the first word is measured from the model's empty-review score, not in the API
      const expected = tintClass(api.trace![i]!.score - api.trace![i - 1]!.score);
      expect(span.classes.find((c) => /^(?:up|down)[1-4]$/.test(c)) ?? '', `tint of "${span.word}"`).toBe(expected);
    }
    expect(spans.find((s) => s.word === 'zzyzx')?.classes).toContain('unk');
    expect(await select(page, 'ul.tint-legend')).toHaveLength(1);
    expect(page).not.toMatch(/<style/i);
    for (const element of await select(page, '*')) expect(element.attrs).not.toHaveProperty('style');
  });

  it("shows the text's own words, a negated one marked (title, legend), never the model's token", async () => {
    const text = 'The food is not good, but the zzyzx service was wonderful.';
    const api = await traced(text);
    const negated = api.trace!.filter((s) => s.negated);
    const expected = markNegation ? [['good', 'not_good']] : [];
    expect(negated.map((s) => [s.word, s.token])).toEqual(expected);
    const page = await (await postForm({ text }, HTML)).text();
    const { labels, spans } = await parts(page);
    // The chart's labels: the words, with a "¬" before a negated one and a "?" after an unknown one.
    const expectedLabels = api.trace!.map((s) => `${s.negated ? '¬' : ''}${s.word}${s.unknown ? '?' : ''}`);
    expect(labels.map((l) => l.text)).toEqual(expectedLabels);
    expect(labels.map((l) => l.classes.includes('neg'))).toEqual(api.trace!.map((s) => s.negated === true));
    for (const [i, step] of api.trace!.entries()) {
      expect(spans[i]!.classes.includes('neg'), step.word).toBe(step.negated === true);
      const title = step.negated ? `${step.word} (read as negated: ${step.token})` : step.word;
      expect(spans[i]!.attrs.title!.startsWith(title), spans[i]!.attrs.title).toBe(true);
    }
    const dots = await select(page, 'svg.trace-chart circle.trace-dot title');
    expect(dots.map((d) => d.text.split(':')[0])).toEqual(
      api.trace!.map((s, i) => {
        const note = s.negated ? ' (read as negated' : s.unknown ? ' (not in the vocabulary)' : '';
        return `${i + 1}. ${s.word}${note}`;
      }),
    );
    // The model's tokens appear only where they are explained (titles, the description and the legend's example).
    for (const element of [...labels, ...spans]) expect(element.text).not.toMatch(/not_/);
    if (markNegation) {
      expect((await select(page, 'ul.tint-legend span.w.neg')).map((e) => e.text)).toEqual(['read as negated']);
      const help = (await select(page, '#trace p.help')).map((p) => p.text).join(' ');
      expect(help).toContain('A “¬” marks a word read in a negation scope');
      // The description names the last word, whatever the model makes of it: here the negated one, with its token.
      const endsNegated = await (await postForm({ text: 'The food is not good' }, HTML)).text();
      expect((await selectOne(endsNegated, 'svg.trace-chart desc')).text).toContain(
        'after the last, “good” (read as negated: not_good)',
      );
    }
  });

  it('stays readable for a 1,000-word review: at most the sampled points, the words in a scrolling box', async () => {
    const text = Array.from({ length: 100 }, (_, i) => `Scene ${i} was good and then it got rather dull.`).join(' ');
    const read = Math.min(splitWords(text).length, maxLength);
    // Otherwise every word would be drawn, and the sampling this test is about would not be exercised.
    expect(read, 'maxLength').toBeGreaterThan(CHART_MAX_POINTS);
    const page = await (await postForm({ text }, HTML)).text();
    const { svg, line, points, spans } = await parts(page);
    expect(svg.attrs['data-words']).toBe(String(read));
    expect(points).toHaveLength(Math.min(read, CHART_MAX_POINTS));
    expect(svg.attrs['data-points']).toBe(String(Math.min(read, CHART_MAX_POINTS)));
    expect(line.attrs['data-points']).toBe(String(Math.min(read, CHART_MAX_POINTS)));
    expect(spans).toHaveLength(read);
    const box = await selectOne(page, 'div.trace-words');
    expect(box.attrs).toMatchObject({ role: 'region', 'aria-labelledby': 'trace-words-heading', tabindex: '0' });
    expect((await selectOne(page, `#${box.attrs['aria-labelledby']}`)).text).toBe('How each word moved the score');
  });

  it('escapes the words and the review', async () => {
    const text = `${SCRIPT_REVIEW} I don't know why "critics" & fans <b>loved</b> it.`;
    const page = await (await postForm({ text }, HTML)).text();
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/<img/i);
    expect(page).not.toContain('<b>loved');
    expect(await select(page, 'script, img, b')).toEqual([]);
    // The markup's words are words of the chart and of the word list, as the API reads them, nothing more.
    const api = await traced(text);
    const { spans, points } = await parts(page);
    expect(spans.map((s) => s.word)).toEqual(api.trace!.map((s) => s.word));
    expect(spans.map((s) => s.word)).toContain("don't");
    expect(page).toContain('>don&#39;t</span>');
    expect(points).toHaveLength(api.tokens);
    expect(page).toContain('&lt;script&gt;');
    expect((await selectOne(page, 'textarea#text')).text).toBe(text);
  });
});
