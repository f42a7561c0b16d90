import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findVariants, readModelDir } from '../../bench/models.ts';
import { buildReport, type Results } from '../../bench/report.ts';
import { percentile } from '../../bench/stats.ts';
import { barChart } from '../../bench/svg.ts';
import { textsOfWords } from '../../bench/texts.ts';
import { splitWords } from '../../src/tokenizer/index.ts';
import type { Review } from '../../train/data.ts';

/** The fields of a bench run's results that the report tests do not look at. */
function resultsOf(
  command: string,
): Pick<Results, 'command' | 'quick' | 'startedAt' | 'seconds' | 'machine' | 'loadAtEnd' | 'servedModel'> {
  return {
    command,
    quick: command.includes('--quick'),
    startedAt: new Date().toISOString(),
    seconds: 1,
    machine: {
      cpuModel: 'cpu',
      cores: 2,
      memoryBytes: 2 ** 33,
      os: 'linux',
      node: 'v22',
      packages: {},
      commit: 'abc',
      loadAtStart: 0,
    },
    loadAtEnd: 0,
    servedModel: 'm',
  };
}

/** A model folder holding only the metadata fields the variant search reads. */
function modelFolder(dir: string, cell: string, sha256: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'metadata.json'),
    JSON.stringify({ architecture: { cell, bidirectional: false }, onnx: { scoring: { sha256 } } }),
  );
  return dir;
}

describe('bench helpers', () => {
  it('finds variants of other cells by itself, but scores a candidate of the served cell only when named', () => {
    const root = mkdtempSync(join(tmpdir(), 'bench-variants-'));
    const served = readModelDir(modelFolder(join(root, 'model'), 'simplernn', 'served'), true);
    modelFolder(join(root, 'runs', 'gru-a', 'model'), 'gru', 'g');
    modelFolder(join(root, 'runs', 'candidate', 'model'), 'simplernn', 'c');
    modelFolder(join(root, 'runs', 'copy', 'model'), 'simplernn', 'served');
    modelFolder(join(root, 'runs', 'quick', 'model'), 'lstm', 'q');
    const logged: string[] = [];
    const found = findVariants(served, [], (line) => logged.push(line), root);
    expect(found.map((v) => v.label)).toEqual(['GRU']);
    expect(logged).toEqual([expect.stringContaining('skipped runs/candidate/model')]);
    expect(findVariants(served, ['runs/candidate/model'], () => {}, root).map((v) => v.label)).toEqual(['SimpleRNN']);
    expect(() => findVariants(served, ['runs/none'], () => {}, root)).toThrow(/no metadata.json/);
  });

  it('percentile is nearest-rank: always a measured value', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 99)).toBe(99);
    expect(percentile([3], 99)).toBe(3);
    expect(percentile([], 50)).toBeNaN();
  });

  it('cuts and concatenates reviews to exactly N words as the tokenizer counts them', () => {
    const reviews: Review[] = [
      { id: 'a', label: 1, text: 'A <br />fine, well-made film; don’t miss it!' },
      { id: 'b', label: 0, text: 'Dull. Really   dull... 2/10 &amp; no more' },
      { id: 'c', label: 1, text: 'Café société — naïve but charming. '.repeat(20) },
    ];
    for (const words of [1, 5, 12, 60]) {
      const texts = textsOfWords(reviews, words, 3);
      expect(texts).toHaveLength(3);
      for (const text of texts) expect(splitWords(text)).toHaveLength(words);
    }
    expect(textsOfWords(reviews, 5, 3)[0]).toBe('A fine, well-made film');
  });

  it('draws a bar per value, gaps for missing ones, and escapes text', () => {
    const svg = barChart({
      title: 'A & B',
      unit: 'ms',
      groups: ['x', 'y'],
      series: [
        { name: 's<1>', values: [1, Number.NaN] },
        { name: 't', values: [10, 100] },
      ],
      log: true,
      footer: 'machine',
    });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<rect x=/g)).toHaveLength(3 + 2); // 3 bars + 2 legend boxes
    expect(svg).toContain('A &amp; B');
    expect(svg).toContain('s&lt;1&gt;');
    expect(svg).toContain('n/a');
    expect(svg).not.toContain('NaN');
  });

  it('labels a smoke run as such in RESULTS.md and every chart', () => {
    const results: Results = {
      ...resultsOf('npm run bench -- --quick'),
      training: [
        {
          model: 'SimpleRNN (served)',
          backend: 'wasm',
          backendPackage: 'p',
          epochs: [{ epoch: 1, seconds: 10, valAccuracy: 0.8 }],
          bestEpoch: 1,
          secondsTrained: 10,
          trainExamples: 100,
        },
      ],
      failed: {},
      skipped: ['accuracy'],
      sectionSeconds: { training: 0 },
    };
    const report = buildReport(results);
    expect(report.markdown).toContain('SMOKE RUN');
    expect(report.charts['training.svg']).toContain('SMOKE RUN');
    expect(report.headline).toContain('| Training (served model) | 0.2 min, 1 epoch, backend wasm |');
  });

  it('reports the cost of "trace": true against a plain request, and the trace load runs', () => {
    const timing = (p50: number) => ({ p50, p99: 2 * p50, mean: p50, runs: 100 });
    const run = (kind: 'single' | 'trace' | 'batch', p50: number, rps: number) => ({
      kind,
      connections: 1,
      seconds: 2,
      requestsPerSecond: rps,
      textsPerSecond: rps,
      p50,
      p99: 2 * p50,
      max: 3 * p50,
      requests: 2 * rps,
      errors: 0,
    });
    const results: Results = {
      ...resultsOf('npm run bench'),
      traceCost: {
        model: 'm',
        available: true,
        limit: 0.2,
        budgetMs: 2000,
        cases: [
          {
            name: '230 words',
            words: 230,
            batch: 1,
            ids: 230,
            bytes: { plain: 118, trace: 10_397 },
            plain: timing(1),
            trace: timing(1.05),
            extra: 0.05,
          },
          {
            name: 'batch of 64 × 230 words',
            words: 230,
            batch: 64,
            ids: 230,
            bytes: { plain: 7_662, trace: 666_528 },
            plain: timing(40),
            trace: timing(50),
            extra: 0.25,
          },
        ],
      },
      load: {
        runs: [run('single', 10, 100), run('trace', 11, 90), run('batch', 50, 20)],
        textWords: 230,
        batchSize: 64,
        bodyBytes: { single: 1267, batch: 81_598, trace: 1280 },
      },
      failed: {},
      skipped: [],
      sectionSeconds: {},
    };
    const report = buildReport(results);
    expect(report.markdown).toContain('### `"trace": true` against a plain request');
    expect(report.markdown).toMatch(/\| 230 words \| 230 \| 1\.00 ms \| 1\.05 ms \| \+5\.0 % \| yes \|/);
    expect(report.markdown).toMatch(
      /\| batch of 64 × 230 words \| 230 \| 40\.0 ms \| 50\.0 ms \| \+25\.0 % \| \*\*no\*\* \|/,
    );
    expect(report.markdown).toContain('| single, `"trace": true` | 1 |');
    expect(report.markdown).toContain('1 connection +10.0 %; \u221210.0 %');
    expect(report.headline).toContain('+5.0 % (230 words), +25.0 % (batch of 64 × 230 words)');
    expect(report.charts['trace-cost.svg']).toContain('trace');
    expect(report.charts['load-throughput.svg']).toContain('single, &quot;trace&quot;: true');
  });
});
