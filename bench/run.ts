/**
 * `npm run bench -- [options]`: measures accuracy, inference latency, server load, cold start, size, training
 * cost and the Worker against Cloudflare's limits, and writes bench/RESULTS.md, bench/results.json and
 * bench/charts/*.svg. Run with --help for the options.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from '../scripts/dev-server.ts';
import { selectBackend } from '../train/backend.ts';
import { type Dataset, loadSplit } from '../train/data.ts';
import type { NbsvmModel } from '../train/nbsvm/model.ts';
import { measureAccuracy } from './accuracy.ts';
import { measureColdStart } from './cold-start.ts';
import { measureLatency } from './latency.ts';
import { measureLimits } from './limits.ts';
import { measureLoad } from './load.ts';
import { machineInfo } from './machine.ts';
import { findVariants, loadModel, readModelDir } from './models.ts';
import { buildReport, type Results } from './report.ts';
import { measureSize } from './size.ts';
import { textsOfWords } from './texts.ts';
import { measureTraceCost } from './trace-cost.ts';
import { readTraining } from './training.ts';

const SECTIONS = ['accuracy', 'latency', 'load', 'cold', 'size', 'training', 'limits'] as const;
type Section = (typeof SECTIONS)[number];

const HELP = `Usage: npm run bench -- [options]

Measures the served model (model/), its GRU/LSTM variants where trained, AFINN and VADER, and the Worker, and
writes RESULTS.md, results.json and charts/*.svg to bench/ (a --quick run: bench/smoke/). The limits section
checks the Worker against Cloudflare's limits (start-up CPU, CPU per request on the free and paid PLAN, memory
per isolate, script size), each row with its limit and a verdict.

  --quick                  smoke run: 400 reviews, 0.25 s latency runs, 2 s load runs, 1 cold start,
                           limits: 1 start-up run, 1 fresh isolate, 20 CPU runs per request (paid: 2)
  --only LIST              run only these sections (comma-separated): ${SECTIONS.join(', ')}
  --skip LIST              skip these sections
  --out DIR                where to write (default bench, or bench/smoke with --quick)
  --data PATH              IMDB data folder (default: as npm run train / npm run eval)
  --accuracy-limit N       score N test reviews spread over the split instead of all 25,000
  --latency-seconds S      time per scorer and text size (default 2; batches get twice that); the
                           "trace": true vs plain comparison gets twice that per text size (both kinds)
  --duration S             seconds per load run (default 20)
  --connections LIST       load-generator connections (default 1,16,64)
  --cold-runs N            cold starts of each kind (default 5)
  --variant DIR            a model folder to compare (repeatable; default: models/*/ and runs/*/model/
                           holding another cell than model/, runs/quick excepted)
  --variant-float          also score the variants' float tfjs models for accuracy (slow: minutes each)
  --readme / --no-readme   fill README.md's Performance section between its bench markers (default:
                           yes for a full run of every section, no otherwise)
`;

const { values } = parseArgs({
  options: {
    help: { type: 'boolean' },
    quick: { type: 'boolean' },
    only: { type: 'string' },
    skip: { type: 'string' },
    out: { type: 'string' },
    data: { type: 'string' },
    'accuracy-limit': { type: 'string' },
    'latency-seconds': { type: 'string' },
    duration: { type: 'string' },
    connections: { type: 'string' },
    'cold-runs': { type: 'string' },
    variant: { type: 'string', multiple: true },
    'variant-float': { type: 'boolean' },
    readme: { type: 'boolean' },
    'no-readme': { type: 'boolean' },
  },
  strict: true,
});

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n(npm run bench -- --help lists the options)\n`);
  process.exit(2);
}
function number(name: keyof typeof values, fallback: number, integer = false): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!(n > 0) || (integer && !Number.isInteger(n)))
    fail(`--${name} must be a positive ${integer ? 'integer' : 'number'}, got "${String(raw)}"`);
  return n;
}
function sectionList(raw: string | undefined): Section[] | undefined {
  if (raw === undefined) return undefined;
  const list = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const s of list)
    if (!SECTIONS.includes(s as Section)) fail(`unknown section "${s}" (sections: ${SECTIONS.join(', ')})`);
  return list as Section[];
}

if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
const quick = Boolean(values.quick);
const only = sectionList(values.only);
const skip = sectionList(values.skip) ?? [];
const run = new Set(SECTIONS.filter((s) => (only ? only.includes(s) : true) && !skip.includes(s)));
const settings = {
  accuracyLimit: values['accuracy-limit'] !== undefined ? number('accuracy-limit', 0, true) : quick ? 400 : undefined,
  latencyMs: number('latency-seconds', quick ? 0.25 : 2) * 1000,
  duration: number('duration', quick ? 2 : 20),
  connections: (values.connections ?? '1,16,64').split(',').map((c) => {
    const n = Number(c);
    if (!Number.isInteger(n) || n < 1) fail(`--connections must be positive integers, got "${values.connections}"`);
    return n;
  }),
  coldRuns: number('cold-runs', quick ? 1 : 5, true),
};
const outDir = resolve(values.out ?? join(ROOT, quick ? 'bench/smoke' : 'bench'));
const updateReadme = values['no-readme'] ? false : (values.readme ?? (!quick && run.size === SECTIONS.length));

const started = performance.now();
const log = (line: string) =>
  process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);
const machine = machineInfo();
if (!existsSync(join(ROOT, 'model', 'metadata.json')))
  fail('model/metadata.json is missing: train and export the model first (npm run train).');
const served = readModelDir(join(ROOT, 'model'), true);
const variants = findVariants(served, values.variant ?? [], log);
log(
  `served model: ${served.metadata.name}; variants: ${variants.map((v) => `${v.label} (${relative(ROOT, v.dir)})`).join(', ') || 'none'}`,
);
if (machine.loadAtStart > 0.5 * machine.cores)
  log(
    `warning: load average ${machine.loadAtStart.toFixed(2)} on ${machine.cores} cores: other work is running, timings will be pessimistic`,
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
  const limit = settings.accuracyLimit;
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
    Boolean(values['variant-float']),
    log,
  );
  results.accuracy = measured.result;
  nbsvm = measured.nbsvm;
});
await section('latency', async () => {
  const models = [];
  for (const m of [served, ...variants]) models.push(await loadModel(m));
  const baseline = nbsvm
    ? [{ name: 'NBSVM bigrams (baseline)', score: (texts: readonly string[]) => nbsvm!.score(texts) }]
    : [];
  results.latency = await measureLatency(models, testSplit().reviews, settings.latencyMs, log, baseline);
  for (const m of models) await m.model.runner.release();
  // "trace": true against a plain request, through the Worker's own model and request code.
  results.traceCost = await measureTraceCost(served.dir, testSplit().reviews, settings.latencyMs, log);
});
await section('cold', async () => {
  const [text] = textsOfWords(testSplit().reviews, 230, 1);
  results.coldStart = await measureColdStart(served.dir, text!, settings.coldRuns, log);
});
await section('limits', async () => {
  results.limits = await measureLimits({ served, reviews: testSplit().reviews, quick, size: results.size, log });
});
await section('load', async () => {
  const batch = textsOfWords(testSplit().reviews, 230, 64);
  const trace = served.metadata.onnx.trace !== undefined;
  results.load = await measureLoad(
    { single: batch[0]!, batch, words: 230, trace },
    settings.connections,
    settings.duration,
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
log(
  `wrote ${relative(ROOT, join(outDir, 'RESULTS.md'))}, results.json and ${Object.keys(report.charts).length} charts in ${results.seconds.toFixed(0)} s`,
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
    writeFileSync(
      readme,
      `${text.slice(0, a + start.length)}\n${report.headline}\n\nAll figures, charts and how each is measured: [${link}](${link}).\n${text.slice(b)}`,
    );
    log('README.md: Performance section updated');
  } else {
    log(`README.md has no ${start} … ${end} markers: its Performance section was not updated`);
  }
}

const loadErrors = results.load?.runs.reduce((a, r) => a + r.errors, 0) ?? 0;
if (loadErrors > 0) log(`FAIL: ${loadErrors} errors under load (must be 0)`);
if (Object.keys(results.failed).length > 0) log(`FAIL: sections failed: ${Object.keys(results.failed).join(', ')}`);
process.exit(loadErrors > 0 || Object.keys(results.failed).length > 0 ? 1 : 0);
