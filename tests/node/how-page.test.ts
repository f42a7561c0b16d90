/**
 * GET /how's parts that need no model run: the gradient chart and its sentence from metadata.json's gradientNorms
 * (with a copy of the metadata holding a SimpleRNN's and a GRU's curves, and without any), the heatmap's colour
 * levels, and the word-order pairs' bags of words as the tokenizer reads them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { GradientNorms, ModelMetadata } from '../../src/model/metadata.ts';
import { encode, Vocabulary, type VocabularyFile } from '../../src/tokenizer/index.ts';
import { gradientSection, gradientSentence, scientific } from '../../src/worker/how/gradient-section.ts';
import { HEATMAP_LEVELS, heatmapLevel, levelBounds } from '../../src/worker/how/heatmap.ts';
import { bagOf, ORDER_PAIRS } from '../../src/worker/how/order.ts';
import { readMetadata } from '../../train/artifacts.ts';

const metadata: ModelMetadata = readMetadata('model');
const vocabulary = new Vocabulary(
  JSON.parse(readFileSync(`model/${metadata.tokenizer.vocabFile}`, 'utf8')) as VocabularyFile,
);

/** A curve of `steps` values falling from `first` by `decadesPerStep` orders of magnitude each step. */
function curve(model: string, cell: GradientNorms['cell'], first: number, decadesPerStep: number): GradientNorms {
  const values = Array.from({ length: 201 }, (_, k) => Number((first * 10 ** (-decadesPerStep * k)).toPrecision(6)));
  return { model, cell, steps: 201, reviews: 100, values };
}

/** The served metadata with this model's curve (measured, or a made-up one if it has none) and a GRU's. */
function withCurves(): ModelMetadata {
  const own = metadata.gradientNorms?.[0] ?? curve(metadata.name, 'simplernn', 10, 0.03);
  const gru = curve('imdb-gru-meanmaxpool-int8', 'gru', 0.9, 0.002);
  return { ...structuredClone(metadata), gradientNorms: [own, gru] };
}

const text = (html: unknown) => String(html);

describe('the gradient section', () => {
  it('draws one line per curve on a log scale, with a legend and a sentence computed from the values', () => {
    const fixture = withCurves();
    const [own, gru] = fixture.gradientNorms as [GradientNorms, GradientNorms];
    const section = text(gradientSection(fixture));
    expect(section).toContain('data-curves="2"');
    const lines = [...section.matchAll(/<polyline class="grad-line g(\d)" points="([^"]+)" data-model="([^"]+)">/g)];
    expect(lines.map(([, style, , model]) => [style, model])).toEqual([
      ['0', own.model],
      ['1', gru.model],
    ]);
    // One point per k (0..200) with a positive value.
    expect(lines[0]![2]!.split(' ')).toHaveLength(own.values.filter((v) => v > 0).length);
    expect(section).toMatch(/>10⁰</);
    expect(section).toContain(`${own.model} (SimpleRNN, this model)`);
    expect(section).toContain(`${gru.model} (GRU)`);

    const orders = Math.log10(own.values[0]! / own.values.at(-1)!).toFixed(1);
    const range = Math.log10(Math.max(...gru.values) / Math.min(...gru.values)).toFixed(1);
    const sentence = gradientSentence(fixture.gradientNorms!);
    expect(sentence).toContain(`Over 200 words, the gradient of this SimpleRNN falls by ${orders} orders of magnitude`);
    expect(sentence).toContain(`while the GRU’s stays within ${range} order`);
    expect(section).toContain(sentence);
  });

  it('says that the gradient was not measured, and how to measure it, when the metadata has no curves', () => {
    const { gradientNorms: _, ...without } = structuredClone(metadata);
    const section = text(gradientSection(without));
    expect(section).toContain('data-gradient="missing"');
    expect(section).toContain('It has not been measured for this model');
    expect(section).toContain('npm run train -- --reexport --compare-gradients DIR');
    expect(section).not.toContain('<svg');
  });

  it('writes small and large numbers in powers of ten', () => {
    expect(scientific(12.3241)).toBe('12');
    expect(scientific(2.75852e-5)).toBe('2.8 × 10⁻⁵');
    expect(scientific(0.001)).toBe('10⁻³');
  });
});

describe('the heatmap colour levels', () => {
  it('cut -1..1 into nine equal steps, h4 around 0', () => {
    expect(HEATMAP_LEVELS).toBe(9);
    expect([-1, -0.9, -0.1, 0, 0.1, 0.9, 1].map(heatmapLevel)).toEqual([0, 0, 4, 4, 4, 8, 8]);
    for (let level = 0; level < HEATMAP_LEVELS; level++) {
      const [from, to] = levelBounds(level);
      expect(heatmapLevel((from + to) / 2)).toBe(level);
      expect(to - from).toBeCloseTo(2 / 9, 12);
    }
  });
});

describe('the word-order pairs', () => {
  const bag = (t: string) => bagOf(encode(t, vocabulary, { maxLength: 800, truncation: 'start' }).tokens);

  it('have different bags except the last pair, a pure reordering with identical bags', () => {
    const same = ORDER_PAIRS.map(([a, b]) => JSON.stringify(bag(a)) === JSON.stringify(bag(b)));
    expect(same).toEqual([false, false, true]);
    expect(bag(ORDER_PAIRS[2]![0]).map(([token]) => token)).toEqual(['bad', 'but', 'ends', 'great', 'it', 'starts']);
  });

  it('leave out "not bad, good" against "not good, bad": negation marking makes their bags differ', () => {
    expect(bag('not bad, good')).not.toEqual(bag('not good, bad'));
  });
});
