/**
 * Assembles bench/RESULTS.md: the header, the machine, the summary table (also the README's), then each section as
 * its own module renders it, in order, and the time per section. The SVG charts come from the same renderers.
 */
import { type AccuracyResult, renderAccuracy } from './accuracy.ts';
import { type ColdStartResult, renderColdStart } from './cold-start.ts';
import { type LatencyResult, RUN_CASES, renderLatency } from './latency.ts';
import { type LimitsResult, renderLimits } from './limits.ts';
import { type LoadResult, renderLoad } from './load.ts';
import { type MachineInfo, machineBlock, machineLine } from './machine.ts';
import { LEXICON_NAMES, NBSVM } from './models.ts';
import { graphBytes, renderSize, type SizeResult } from './size.ts';
import { int, kib, median, mib, ms, seconds, signedPercent, table } from './stats.ts';
import { renderTraceCost, type TraceCostResult } from './trace-cost.ts';
import { renderTraining, type TrainingRow } from './training.ts';

export interface Results {
  command: string;
  quick: boolean;
  startedAt: string;
  seconds: number;
  machine: MachineInfo;
  loadAtEnd: number;
  servedModel: string;
  accuracy?: AccuracyResult;
  latency?: LatencyResult;
  /** "trace": true vs a plain request through the Worker's code (measured in the latency section). */
  traceCost?: TraceCostResult;
  load?: LoadResult;
  coldStart?: ColdStartResult;
  size?: SizeResult;
  training?: TrainingRow[];
  /** The Worker against Cloudflare's limits. */
  limits?: LimitsResult;
  /** Sections that failed, with the error. */
  failed: Record<string, string>;
  /** Sections skipped by flags. */
  skipped: string[];
  sectionSeconds: Record<string, number>;
}

export interface Report {
  markdown: string;
  /** File name (in charts/) -> SVG. */
  charts: Record<string, string>;
  /** The headline table, for the README. */
  headline: string;
}

/** The summary's scorer columns: the served model, the baseline, the lexicons (scorer ids as in results.json). */
const COLUMNS = { served: 'served-int8', float: 'served-float', nbsvm: NBSVM.id, lexicons: ['afinn', 'vader'] };

/** The model against the other scorers: accuracy, size, latency. */
function scorerRows(r: Results): string[][] {
  const rows: string[][] = [];
  const f4 = (x: number) => x.toFixed(4);
  if (r.accuracy) {
    const acc = (id: string) => r.accuracy!.rows.find((x) => x.id === id)?.metrics;
    const [int8, float, nbsvm] = [acc(COLUMNS.served), acc(COLUMNS.float), acc(COLUMNS.nbsvm)];
    rows.push([
      `Accuracy, IMDB test (${int(r.accuracy.reviews)} reviews)`,
      [int8 && `int8 ${f4(int8.accuracy)}`, float && `float ${f4(float.accuracy)}`].filter(Boolean).join(', ') || 'n/a',
      nbsvm ? `int8 ${f4(nbsvm.accuracy)}` : 'n/a',
      ...COLUMNS.lexicons.map((id) => {
        const m = acc(id);
        return m ? f4(m.accuracy) : 'n/a';
      }),
    ]);
    const baseline = r.accuracy.baseline;
    rows.push([
      'Model size (int8)',
      r.size ? kib(graphBytes(r.size)) : 'n/a',
      baseline ? kib(baseline.bytes) : 'n/a',
      ...COLUMNS.lexicons.map(() => 'word list'),
    ]);
    rows.push([
      'Reads word by word (score after each word)',
      'yes (`"trace": true`)',
      'no: a bag of unigrams and bigrams',
      ...COLUMNS.lexicons.map(() => 'no'),
    ]);
  }
  if (r.latency) {
    const l = r.latency;
    for (const caseId of ['words-230', 'batch-64x230']) {
      const i = l.cases.findIndex((c) => c.id === caseId);
      if (i < 0) continue;
      const cell = (id: string) => {
        const t = l.timings[id]?.[i];
        return t ? `${ms(t.p50)} / ${ms(t.p99)}` : 'n/a';
      };
      rows.push([
        `Latency p50 / p99, ${l.cases[i]!.name} (Node, 1 thread)`,
        cell(COLUMNS.served),
        cell(COLUMNS.nbsvm),
        ...COLUMNS.lexicons.map(cell),
      ]);
    }
  }
  return rows;
}

/** One figure per line: the Worker under load, its start, size and limits, training. */
function serverRows(r: Results): string[][] {
  const rows: string[][] = [];
  if (r.traceCost?.available) {
    const t = r.traceCost;
    const cells = t.cases
      .filter((c) => c.id === 'words-230' || c.batch > 1)
      .map((c) => `${signedPercent(c.extra)} (${c.name})`);
    rows.push(['`"trace": true` vs plain request, p50', cells.join(', ')]);
  }
  const runs = r.latency?.runOnly[COLUMNS.served];
  if (runs) {
    rows.push([
      'Scoring run alone (ids → scores), CPU p50',
      RUN_CASES.map((c, i) => `${ms(runs[i]!.p50)} (${c.name}; target ≤ ${ms(c.targetMs)})`).join(', '),
    ]);
  }
  if (r.load) {
    for (const kind of ['single', 'batch'] as const) {
      const best = r.load.runs.filter((x) => x.kind === kind).sort((a, b) => b.textsPerSecond - a.textsPerSecond)[0];
      if (best)
        rows.push([
          `Throughput, ${kind === 'single' ? 'single requests' : `batches of ${r.load.batchSize}`} ` +
            `(best: ${best.connections} connections)`,
          `${int(best.requestsPerSecond)} req/s (${int(best.textsPerSecond)} reviews/s), p99 ${best.p99} ms`,
        ]);
    }
    rows.push(['Errors under load', String(r.load.runs.reduce((a, x) => a + x.errors, 0))]);
  }
  if (r.coldStart?.worker.length)
    rows.push([
      'Cold start: `wrangler dev` → first answer (median)',
      ms(median(r.coldStart.worker.map((x) => x.firstAnswer))),
    ]);
  if (r.coldStart?.init.length)
    rows.push([
      'onnxruntime-web + model init, fresh Node (median)',
      ms(median(r.coldStart.init.map((x) => x.firstSession))),
    ]);
  if (r.size)
    rows.push([
      'Worker upload (total / gzip) vs 64 MiB limit',
      `${kib(r.size.upload.totalBytes)} / ${kib(r.size.upload.gzipBytes)}`,
    ]);
  if (r.limits) {
    const { checks, memory } = r.limits;
    const over = checks.filter((c) => c.verdict === 'OVER').length;
    const peak = Math.max(...memory.map((m) => m.totalBytes));
    rows.push([
      'Cloudflare limits (start-up CPU, CPU per request, isolate memory, script size)',
      `${checks.length - over} of ${checks.length} rows within${over ? `, **${over} OVER**` : ''}` +
        `${memory.length ? `; isolate memory at most ${mib(peak)} (limit 128 MB)` : ''}`,
    ]);
  }
  const t = r.training?.find((x) => x.id === 'served');
  if (t) {
    const minutes = t.secondsTrained === null ? 'n/a' : `${(t.secondsTrained / 60).toFixed(1)} min`;
    const epochs = `${t.epochs.length} epoch${t.epochs.length === 1 ? '' : 's'}`;
    rows.push(['Training (served model)', `${minutes}, ${epochs}, backend ${t.backend}`]);
  }
  return rows;
}

function headlineTable(r: Results): string {
  const parts: string[] = [];
  const scorers = scorerRows(r);
  const lexicons = COLUMNS.lexicons.map((id) => LEXICON_NAMES[id]?.label ?? id);
  if (scorers.length) parts.push(table(['', `model (${r.servedModel})`, NBSVM.label, ...lexicons], scorers));
  const server = serverRows(r);
  if (server.length) parts.push(table(['', 'value'], server));
  parts.push(`Machine: ${machineLine(r.machine)}.`);
  return parts.join('\n\n');
}

export function buildReport(r: Results): Report {
  const charts: Record<string, string> = {};
  const footer = `${r.quick ? 'SMOKE RUN (not results) · ' : ''}${machineLine(r.machine)}`;
  const headline = headlineTable(r);
  const lines: string[] = ['# Benchmark results', ''];
  if (r.quick) {
    lines.push(
      '> **SMOKE RUN (`--quick`)**: a few hundred reviews and seconds-long runs, to check that the suite works. ' +
        'These are not results.',
      '',
    );
  }
  lines.push(
    `Written by \`${r.command}\` (bench/run.ts) on ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC in ` +
      `${seconds(r.seconds)}; re-run it to refresh every figure. Served model: ${r.servedModel}. ` +
      'Raw numbers: [results.json](results.json).',
    '',
    '## Machine',
    '',
    machineBlock(r.machine, r.loadAtEnd),
    '',
    '## Summary',
    '',
    headline,
    '',
  );
  if (r.skipped.length) lines.push(`Skipped (flags): ${r.skipped.join(', ')}.`, '');
  for (const [section, error] of Object.entries(r.failed))
    lines.push(`**${section} failed:** \`${error.split('\n')[0]}\``, '');
  if (r.accuracy) lines.push(...renderAccuracy(r.accuracy, footer, charts));
  if (r.latency) lines.push(...renderLatency(r.latency, footer, charts));
  if (r.traceCost) lines.push(...renderTraceCost(r.traceCost, footer, charts));
  if (r.load) lines.push(...renderLoad(r.load, footer, charts));
  if (r.coldStart) lines.push(...renderColdStart(r.coldStart, footer, charts));
  if (r.size) lines.push(...renderSize(r.size, footer, charts));
  if (r.limits) lines.push(...renderLimits(r.limits));
  if (r.training) lines.push(...renderTraining(r.training, footer, charts));
  lines.push(
    '## Time per section',
    '',
    table(
      ['section', 'seconds'],
      Object.entries(r.sectionSeconds).map(([s, t]) => [s, seconds(t)]),
    ),
    '',
  );
  return { markdown: `${lines.join('\n').replace(/\n{3,}/g, '\n\n')}\n`, charts, headline };
}
