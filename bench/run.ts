/**
 * `npm run bench -- [options]`: measures accuracy, inference latency, server load, cold start, size, training
 * cost and the Worker against Cloudflare's limits, and writes bench/RESULTS.md, bench/results.json and
 * bench/charts/*.svg. Run with --help for the options.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { ROOT } from '../scripts/dev-server.ts';
import { selectBackend } from '../train/backend.ts';
import { defineCli } from '../train/cli-options.ts';
import { type Dataset, loadSplit } from '../train/data.ts';
import type { NbsvmModel } from '../train/nbsvm/model.ts';
import { measureAccuracy } from './accuracy.ts';
import { measureColdStart } from './cold-start.ts';
import { measureLatency } from './latency.ts';
import { measureLimits } from './limits.ts';
import { batchWithin, measureLoad, servedPlan } from './load.ts';
import { machineInfo } from './machine.ts';
import { findVariants, loadModel, NBSVM, readModelDir } from './models.ts';
import { buildReport, type Results } from './report.ts';
import { measureSize } from './size.ts';
import { textsOfWords } from './texts.ts';
import { measureTraceCost } from './trace-cost.ts';
import { readTraining } from './training.ts';

const SECTIONS = ['accuracy', 'latency', 'load', 'cold', 'size', 'training', 'limits'] as const;
type Section = (typeof SECTIONS)[number];

const CLI = defineCli({
  command: 'npm run bench --',
  intro: `Measures the served model (model/), its GRU/LSTM variants where trained, AFINN and VADER, and the Worker, and
writes RESULTS.md, results.json and charts/*.svg to bench/ (a --quick run: bench/smoke/; a run of some
sections only: bench/partial/, so that it never replaces the full report). The limits section
checks the Worker against Cloudflare's limits (start-up CPU, CPU per request on the free and paid PLAN, memory
per isolate, script size), each row with its limit and a verdict.`,
  options: {
    quick: {
      type: 'boolean',
      help:
        'smoke run: 400 reviews, 0.25 s latency runs, 2 s load runs, 1 cold start, limits: 1 start-up run, ' +
        '1 fresh isolate, 20 CPU runs per request (paid: 2)',
    },
    only: {
      type: 'choice',
      list: true,
      choices: SECTIONS,
      value: 'LIST',
      help: `run only these sections (comma-separated): ${SECTIONS.join(', ')}`,
      defaultHelp: 'all',
    },
    skip: { type: 'choice', list: true, choices: SECTIONS, value: 'LIST', help: 'skip these sections' },
    out: {
      type: 'string',
      value: 'DIR',
      help: 'where to write',
      defaultHelp: 'bench; --quick: bench/smoke; --only or --skip: bench/partial',
    },
    data: { type: 'string', value: 'PATH', help: 'IMDB data folder', defaultHelp: 'as npm run train / npm run eval' },
    'accuracy-limit': {
      type: 'integer',
      min: 1,
      help: 'score N test reviews spread over the split instead of all 25,000',
      defaultHelp: 'all',
    },
    'latency-seconds': {
      type: 'number',
      min: 0,
      value: 'S',
      default: 2,
      help:
        'time per scorer and text size (batches get twice that); the "trace": true vs plain comparison gets twice ' +
        'that per text size (both kinds)',
    },
    duration: { type: 'number', min: 0, value: 'S', default: 20, help: 'seconds per load run' },
    connections: {
      type: 'integer',
      list: true,
      min: 1,
      value: 'LIST',
      default: [1, 16, 64],
      help: 'load-generator connections',
    },
    'cold-runs': { type: 'integer', min: 1, default: 5, help: 'cold starts of each kind' },
    variant: {
      type: 'string',
      multiple: true,
      value: 'DIR',
      help: 'a model folder to compare (repeatable)',
      defaultHelp: 'models/*/ and runs/*/model/ holding another cell than model/, runs/quick excepted',
    },
    'variant-float': {
      type: 'boolean',
      help: "also score the variants' float tfjs models for accuracy (slow: minutes each)",
    },
    readme: {
      type: 'boolean',
      help: "fill README.md's Performance section between its bench markers",
      defaultHelp: 'yes for a full run of every section, no otherwise',
    },
    'no-readme': { type: 'boolean', help: "leave README.md's Performance section as it is" },
  },
  presets: { quick: { 'accuracy-limit': 400, 'latency-seconds': 0.25, duration: 2, 'cold-runs': 1 } },
});

const values = CLI.parseOrExit();
// Zero seconds would time nothing: the helper's bounds are inclusive, so these two are checked here.
for (const name of ['latency-seconds', 'duration'] as const)
  if (!(values[name] > 0)) CLI.exitUsage(`--${name} must be a number > 0, got "${values[name]}"`);
const quick = values.quick;
const latencyMs = values['latency-seconds'] * 1000;
const run = new Set(SECTIONS.filter((s) => (values.only?.includes(s) ?? true) && !values.skip?.includes(s)));
const complete = run.size === SECTIONS.length;
const outDir = resolve(values.out ?? join(ROOT, quick ? 'bench/smoke' : complete ? 'bench' : 'bench/partial'));
const updateReadme = values['no-readme'] ? false : values.readme || (!quick && complete);

const started = performance.now();
const log = (line: string) =>
  process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);
const machine = machineInfo();
if (!existsSync(join(ROOT, 'model', 'metadata.json')))
  CLI.exitUsage('model/metadata.json is missing: train and export the model first (npm run train).');
const served = readModelDir(join(ROOT, 'model'), true);
const variants = findVariants(served, values.variant ?? [], log);
const variantList = variants.map((v) => `${v.label} (${relative(ROOT, v.dir)})`).join(', ');
log(`served model: ${served.metadata.name}; variants: ${variantList || 'none'}`);
if (machine.loadAtStart > 0.5 * machine.cores)
  log(
    `warning: load average ${machine.loadAtStart.toFixed(2)} on ${machine.cores} cores: other work is running, ` +
      'timings will be pessimistic',
  );

const results: Results = {
  command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
  quick,
  startedAt: new Date().toISOString(),
  seconds: 0,
  machine,
  loadAtEnd: 0,
  servedModel: served.metadata.name,
  failed: {},
  skipped: SECTIONS.filter((s) => !run.has(s)),
  sectionSeconds: {},
};

let dataset: Dataset | undefined;
/** The NBSVM baseline trained by the accuracy section, timed by the latency section. */
let nbsvm: NbsvmModel | undefined;
const testSplit = () => (dataset ??= loadSplit('test', values.data));

async function section(name: Section, body: () => Promise<void> | void): Promise<void> {
  if (!run.has(name)) return;
  const start = performance.now();
  log(`--- ${name}`);
  try {
    await body();
  } catch (error) {
    results.failed[name] = error instanceof Error ? (error.stack ?? error.message) : String(error);
    log(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  results.sectionSeconds[name] = (performance.now() - start) / 1000;
}

// Cheap sections first, the one that needs the CPU to itself (load) last.
await section('training', () => {
  results.training = readTraining([served, ...variants]);
});
await section('size', async () => {
  results.size = await measureSize(served);
});
await section('accuracy', async () => {
  const backend = await selectBackend('auto');
  log(`tfjs backend for the float models: ${backend.backend} (${backend.package})`);
  const data = testSplit();
  const limit = values['accuracy-limit'];
  // A limited run takes reviews spread over the split (it is sorted by label), not the first N.
  const reviews =
    limit === undefined
      ? data.reviews
      : data.reviews.filter((_, i) => i % Math.ceil(data.reviews.length / limit) === 0);
  const measured = await measureAccuracy(
    served,
    variants,
    reviews,
    `IMDB test split (${relative(ROOT, data.source) || data.source}, sha256 ${data.sha256.slice(0, 12)}…)`,
    values['variant-float'],
    log,
  );
  results.accuracy = measured.result;
  nbsvm = measured.nbsvm;
});
await section('latency', async () => {
  const models = [];
  for (const m of [served, ...variants]) models.push(await loadModel(m));
  const model = nbsvm;
  const baseline = model ? [{ ...NBSVM, score: (texts: readonly string[]) => model.score(texts) }] : [];
  results.latency = await measureLatency(models, testSplit().reviews, latencyMs, log, baseline);
  for (const m of models) await m.model.runner.release();
  // "trace": true against a plain request, through the Worker's own model and request code.
  results.traceCost = await measureTraceCost(served.dir, testSplit().reviews, latencyMs, log);
});
await section('cold', async () => {
  const [text] = textsOfWords(testSplit().reviews, 230, 1);
  results.coldStart = await measureColdStart(served.dir, text!, values['cold-runs'], log);
});
await section('limits', async () => {
  results.limits = await measureLimits({ served, reviews: testSplit().reviews, quick, size: results.size, log });
});
await section('load', async () => {
  const { maxLength } = served.metadata.tokenizer;
  const plan = servedPlan(maxLength);
  const batch = batchWithin(plan, textsOfWords(testSplit().reviews, 230, 64), 230, maxLength);
  const trace = served.metadata.onnx.trace !== undefined;
  results.load = await measureLoad(
    { single: batch[0]!, batch, words: 230, trace, plan },
    values.connections,
    values.duration,
    log,
  );
});

results.seconds = (performance.now() - started) / 1000;
results.loadAtEnd = loadavg()[0]!;
const report = buildReport(results);
mkdirSync(join(outDir, 'charts'), { recursive: true });
writeFileSync(join(outDir, 'RESULTS.md'), report.markdown);
writeFileSync(join(outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
for (const [name, svg] of Object.entries(report.charts)) writeFileSync(join(outDir, 'charts', name), svg);
const chartCount = Object.keys(report.charts).length;
log(
  `wrote ${relative(ROOT, join(outDir, 'RESULTS.md'))}, results.json and ${chartCount} charts ` +
    `in ${results.seconds.toFixed(0)} s`,
);

if (updateReadme) {
  const readme = join(ROOT, 'README.md');
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  const text = existsSync(readme) ? readFileSync(readme, 'utf8') : '';
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a >= 0 && b > a) {
    const link = relative(ROOT, join(outDir, 'RESULTS.md'));
    const section = `${report.headline}\n\nAll figures, charts and how each is measured: [${link}](${link}).`;
    writeFileSync(readme, `${text.slice(0, a + start.length)}\n${section}\n${text.slice(b)}`);
    log('README.md: Performance section updated');
  } else {
    log(`README.md has no ${start} … ${end} markers: its Performance section was not updated`);
  }
}

const loadErrors = results.load?.runs.reduce((a, r) => a + r.errors, 0) ?? 0;
if (loadErrors > 0) log(`FAIL: ${loadErrors} errors under load (must be 0)`);
if (Object.keys(results.failed).length > 0) log(`FAIL: sections failed: ${Object.keys(results.failed).join(', ')}`);
process.exit(loadErrors > 0 || Object.keys(results.failed).length > 0 ? 1 : 0);
