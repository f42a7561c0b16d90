import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AccuracyRow } from '../../bench/accuracy.ts';
import type { LatencyResult } from '../../bench/latency.ts';
import { batchWithin } from '../../bench/load.ts';
import { findVariants, readModelDir } from '../../bench/models.ts';
import { buildReport, type Results } from '../../bench/report.ts';
import { percentile } from '../../bench/stats.ts';
import { barChart } from '../../bench/svg.ts';
import { textsOfWords } from '../../bench/texts.ts';
import { splitWords } from '../../src/tokenizer/index.ts';
import { plan } from '../../src/worker/contract/limits.ts';
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
    expect(served).toMatchObject({ id: 'served', label: 'SimpleRNN (served)', short: 'SimpleRNN' });
    expect(found.map((v) => [v.id, v.label])).toEqual([['gru', 'GRU']]);
    expect(logged).toEqual([expect.stringContaining('skipped runs/candidate/model')]);
    // A variant of the served cell is told apart from the served model by its folder.
    expect(findVariants(served, ['runs/candidate/model'], () => {}, root).map((v) => v.label)).toEqual([
      'SimpleRNN (runs/candidate/model)',
    ]);
    expect(() => findVariants(served, ['runs/none'], () => {}, root)).toThrow(/no metadata.json/);
    // Two of one cell: told apart by folder, in the key as in the label.
    modelFolder(join(root, 'runs', 'gru-b', 'model'), 'gru', 'g2');
    const two = findVariants(served, ['runs/gru-a/model', 'runs/gru-b/model'], () => {}, root);
    expect(two.map((v) => [v.id, v.label])).toEqual([
      ['gru@runs/gru-a/model', 'GRU (runs/gru-a/model)'],
      ['gru@runs/gru-b/model', 'GRU (runs/gru-b/model)'],
    ]);
  });

  it("sizes the load section's batch to the plan's budget, at most 64 texts", () => {
    const texts = Array.from({ length: 70 }, () => 'x'.repeat(1000));
    expect(batchWithin(plan('free', 800), texts, 230, 800)).toHaveLength(4); // 1,000 words
    expect(batchWithin(plan('free', 800), texts, 10, 800)).toHaveLength(30); // 30,000 characters
    expect(batchWithin(plan('paid', 800), texts, 230, 800)).toHaveLength(64);
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
          id: 'served',
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
        budgetMs: 2000,
        cases: [
          {
            id: 'words-230',
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
            id: 'batch-64x230',
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
        batchSize: 5,
        plan: plan('free', 800),
        bodyBytes: { single: 1267, batch: 6_375, trace: 1280 },
      },
      failed: {},
      skipped: [],
      sectionSeconds: {},
    };
    const report = buildReport(results);
    expect(report.markdown).toContain('### `"trace": true` against a plain request');
    expect(report.markdown).toMatch(/\| 230 words \| 230 \| 1\.00 ms \| 1\.05 ms \| \+5\.0 % \| 2\.00 ms \|/);
    expect(report.markdown).toMatch(
      /\| batch of 64 × 230 words \| 230 \| 40\.0 ms \| 50\.0 ms \| \+25\.0 % \| 80\.0 ms \|/,
    );
    expect(report.markdown).toContain('| single, `"trace": true` | 1 |');
    expect(report.markdown).toContain('1 connection +10.0 %; \u221210.0 %');
    // A batch as large as the plan's budget takes, and the prose says which.
    expect(report.markdown).toContain(
      'or 5 such reviews ({"texts"}, 6,375 bytes; the most the Worker\'s PLAN "free" takes in one request, up to 64: ' +
        '1,000 words, 30,000 characters)',
    );
    expect(report.headline).toContain('| Throughput, batches of 5 (best: 1 connections) |');
    expect(report.markdown).toContain('Each request comes from another client address (CF-Connecting-IP)');
    expect(report.headline).toContain('+5.0 % (230 words), +25.0 % (batch of 64 × 230 words)');
    expect(report.charts['trace-cost.svg']).toContain('trace');
    expect(report.charts['load-throughput.svg']).toContain('single, &quot;trace&quot;: true');
  });

  it('builds the summary from result keys, whatever the display labels say', () => {
    const metrics = (accuracy: number) => ({
      examples: 100,
      accuracy,
      precision: accuracy,
      recall: accuracy,
      f1: accuracy,
      rocAuc: 0.9,
      confusion: { truePositive: 1, falsePositive: 1, trueNegative: 1, falseNegative: 1 },
      msPerReview: 0.5,
    });
    const row = (id: string, label: string, accuracy: number | null): AccuracyRow => ({
      id,
      label,
      short: `${label} (chart)`,
      metrics: accuracy === null ? null : metrics(accuracy),
      ...(accuracy === null ? { note: 'not trained' } : {}),
    });
    const timing = (p50: number) => ({ p50, p99: 2 * p50, mean: p50, runs: 100 });
    const cases = [
      { id: 'words-230', name: '230 words', words: 230, batch: 1, ids: 230 },
      { id: 'batch-64x230', name: 'batch of 64 × 230 words', words: 230, batch: 64, ids: 230 },
    ] as const;
    const latency: LatencyResult = {
      cases: [...cases],
      scorers: [
        { id: 'served-int8', label: 'Served model', kind: 'served' },
        { id: 'gru-int8', label: 'Other cell', kind: 'variant' },
        { id: 'nbsvm-int8', label: 'Bag of words', kind: 'baseline' },
        { id: 'afinn', label: 'Lexicon A', kind: 'lexicon' },
        { id: 'vader', label: 'Lexicon V', kind: 'lexicon' },
      ],
      timings: {
        'served-int8': [timing(1), timing(40)],
        'gru-int8': [timing(2), timing(50)],
        'nbsvm-int8': [timing(0.3), timing(9)],
        afinn: [timing(0.04), timing(3)],
        vader: [timing(1.5), timing(180)],
      },
      tokenizeP50: [0.05, 5],
      runOnly: { 'served-int8': [timing(0.55), timing(3.5)], 'gru-int8': [timing(0.9), timing(6)] },
      split: { medianWords: 172, meanWords: 228 },
      budgetMs: 2000,
    };
    const training = (id: string, model: string, secondsTrained: number) => ({
      id,
      model,
      backend: 'wasm',
      backendPackage: 'p',
      epochs: [{ epoch: 1, seconds: secondsTrained, valAccuracy: null }],
      bestEpoch: 1,
      secondsTrained,
      trainExamples: 100,
    });
    const results: Results = {
      ...resultsOf('npm run bench'),
      accuracy: {
        reviews: 100,
        split: 'test',
        seconds: 1,
        baseline: { bytes: 2048, trainExamples: 90, seconds: 3 },
        // Out of the usual order, and labelled unlike any earlier run: only the keys tie them to the columns.
        rows: [
          row('vader', 'Lexicon V', 0.61),
          row('gru-int8', 'Other cell, int8', 0.71),
          row('served-float', 'Served model, float', 0.82),
          row('afinn', 'Lexicon A', 0.6),
          row('nbsvm-int8', 'Bag of words, int8', 0.9),
          row('served-int8', 'Served model, int8', 0.81),
          row('lstm', 'LSTM', null),
        ],
      },
      latency,
      size: {
        files: [
          { role: 'scoring', name: 'model/a.onnx', bytes: 3072, gzipBytes: 1024 },
          { role: 'trace', name: 'model/b.onnx', bytes: 1024, gzipBytes: 512 },
          { role: 'vocabulary', name: 'model/v.json', bytes: 10_240, gzipBytes: 2048 },
        ],
        upload: { totalBytes: 2 ** 20, gzipBytes: 2 ** 19, line: 'Total Upload: 1024.00 KiB / gzip: 512.00 KiB' },
        bundle: [{ name: 'index.js', bytes: 1024 }],
        buildSeconds: 1,
      },
      training: [training('gru', 'Other cell', 600), training('served', 'Served model', 120)],
      failed: {},
      skipped: [],
      sectionSeconds: {},
    };
    const { headline, markdown, charts } = buildReport(results);
    expect(headline).toContain('|  | model (m) | NBSVM bigrams (baseline) | AFINN | VADER |');
    expect(headline).toContain(
      '| Accuracy, IMDB test (100 reviews) | int8 0.8100, float 0.8200 | int8 0.9000 | 0.6000 | 0.6100 |',
    );
    // The ONNX graphs (scoring and trace), not the vocabulary.
    expect(headline).toContain('| Model size (int8) | 4.0 KiB | 2.0 KiB | word list | word list |');
    expect(headline).toContain(
      '| Latency p50 / p99, 230 words (Node, 1 thread) | 1.00 ms / 2.00 ms | 0.300 ms / 0.600 ms | ' +
        '0.040 ms / 0.080 ms | 1.50 ms / 3.00 ms |',
    );
    expect(headline).toContain(
      '| Latency p50 / p99, batch of 64 × 230 words (Node, 1 thread) | 40.0 ms / 80.0 ms | 9.00 ms / 18.0 ms | ' +
        '3.00 ms / 6.00 ms | 180 ms / 360 ms |',
    );
    expect(headline).toContain('| Training (served model) | 2.0 min, 1 epoch, backend wasm |');
    expect(headline).toContain(
      '| Scoring run alone (ids → scores), CPU p50 | 0.550 ms (1 × 230 words; target ≤ 0.600 ms), 3.50 ms (8 × 230',
    );
    // The sections show the labels; the lexicon columns and the variant and baseline tables come from the kinds.
    expect(markdown).toContain('| Served model, int8 | 0.8100 |');
    expect(markdown).toContain('| LSTM | not trained |');
    expect(markdown).toContain('| Lexicon A p50 | Lexicon A p99 | Lexicon V p50 | Lexicon V p99 |');
    expect(markdown).toContain('| model ÷ Lexicon A | model ÷ Lexicon V | calls (model / Lexicon A / Lexicon V) |');
    expect(markdown).toContain('| 230 words | 230 | 1.00 ms | 2.00 ms | 0.050 ms | 0.040 ms |');
    expect(markdown).toContain('| run | Served model p50 / p99 | Other cell p50 / p99 | target (p50) |');
    expect(markdown).toContain('| 8 × 230 words | 3.50 ms / 7.00 ms | 6.00 ms / 12.0 ms | ≤ 4.00 ms |');
    expect(markdown).toContain('| texts | Bag of words p50 | Bag of words p99 |\n');
    expect(markdown).toContain('| texts | Other cell p50 | Other cell p99 |\n');
    expect(markdown).toContain('| batch of 64 × 230 words, per text |  | 0.625 ms |  |  | 0.047 ms |  | 2.81 ms |');
    expect(charts['accuracy.svg']).toContain('Served model, int8 (chart)');
    // The baseline is not on the latency charts, the models and lexicons are.
    expect(charts['latency-p50.svg']).toContain('Other cell');
    expect(charts['latency-p50.svg']).not.toContain('Bag of words');
    expect(charts['latency-p50.svg']).toContain('batch of 64');
  });

  it('reports session creation per graph optimisation level in the cold start section', () => {
    const results: Results = {
      ...resultsOf('npm run bench'),
      coldStart: {
        worker: [{ ready: 2000, firstAnswer: 2500, firstRequest: 900, nextRequest: 10 }],
        init: [
          {
            ortVersion: '1.30.0',
            importOrt: 70,
            firstSession: 400,
            firstRun: 18,
            secondSession: 25,
            total: 500,
            processTotal: 1000,
          },
        ],
        sessions: {
          ortVersion: '1.30.0',
          runs: 3,
          files: { scoring: 'sentiment.onnx', trace: 'trace.onnx' },
          served: 'all',
          levels: [
            { level: 'disabled', scoringCpuMs: [9, 8, 30], traceCpuMs: [1, 1.5, 2] },
            { level: 'all', scoringCpuMs: [20, 22, 21], traceCpuMs: [2, 3, 2.5] },
          ],
        },
      },
      failed: {},
      skipped: [],
      sectionSeconds: {},
    };
    const { markdown, headline } = buildReport(results);
    expect(markdown).toContain(
      '| graph optimisation | scoring graph (sentiment.onnx), CPU | trace graph (trace.onnx), CPU |',
    );
    expect(markdown).toContain('| disabled | 9.00 ms | 1.50 ms |');
    expect(markdown).toContain("| all (the Worker's) | 21.0 ms | 2.50 ms |");
    expect(markdown).toContain("The Worker uses 'all' (src/model/runner.ts, SESSION_OPTIONS).");
    expect(markdown).toContain('| fresh Node: first session (wasm compile + instantiate + model) | 400 ms |  |');
    expect(markdown).not.toContain('vocabulary');
    expect(headline).toContain('| onnxruntime-web + model init, fresh Node (median) | 400 ms |');
  });
});
