/** Turns the measurements into bench/RESULTS.md (tables, chart links) and the SVG charts. */
import type { AccuracyResult } from './accuracy.ts';
import type { ColdStartResult } from './cold-start.ts';
import type { LatencyResult } from './latency.ts';
import { type LimitsResult, renderLimits } from './limits.ts';
import type { LoadResult } from './load.ts';
import { type MachineInfo, machineBlock, machineLine } from './machine.ts';
import type { SizeResult } from './size.ts';
import { WORKER_SIZE_LIMIT_BYTES } from './size.ts';
import { int, kib, median, mib, ms, ratio, seconds, table } from './stats.ts';
import { barChart } from './svg.ts';
import type { TraceCostResult } from './trace-cost.ts';
import type { TrainingRow } from './training.ts';

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

const f4 = (x: number) => x.toFixed(4);
const msFormat = (v: number) =>
  v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v >= 0.01 ? v.toFixed(2) : v.toPrecision(1);

function accuracySection(a: AccuracyResult, footer: string, charts: Record<string, string>): string[] {
  const rows = a.rows.map((r) =>
    r.metrics
      ? [
          r.scorer,
          f4(r.metrics.accuracy),
          f4(r.metrics.precision),
          f4(r.metrics.recall),
          f4(r.metrics.f1),
          f4(r.metrics.rocAuc),
          r.metrics.msPerReview.toFixed(3),
        ]
      : [r.scorer, r.note ?? 'n/a', '', '', '', '', ''],
  );
  const measured = a.rows.filter((r) => r.metrics);
  charts['accuracy.svg'] = barChart({
    title: `Accuracy on the IMDB test split (${int(a.reviews)} reviews)`,
    unit: 'fraction',
    groups: measured.map((r) =>
      r.scorer.replace(' (served)', '').replace(' (sentiment)', '').replace(' (vader-sentiment)', ''),
    ),
    series: [
      { name: 'accuracy', values: measured.map((r) => r.metrics!.accuracy) },
      { name: 'ROC AUC', values: measured.map((r) => r.metrics!.rocAuc) },
    ],
    format: (v) => v.toFixed(3),
    max: 1,
    footer,
  });
  return [
    '## Accuracy',
    '',
    `${a.split}, ${int(a.reviews)} reviews, every scorer in this run (${seconds(a.seconds)}). The models predict positive at score >= 0.5, ` +
      'the lexicons at polarity >= 0 (AFINN: comparative score, VADER: compound); ROC AUC uses the raw scores. ms/review is the ' +
      'scoring time over the whole split divided by its size (models: in batches of 64; lexicons: one by one).',
    '',
    table(['scorer', 'accuracy', 'precision', 'recall', 'F1', 'ROC AUC', 'ms/review'], rows),
    '',
    a.floatParity
      ? `Float ONNX vs float tfjs on ${a.floatParity.reviews} reviews: max |difference| ${a.floatParity.maxAbsDiff.toExponential(2)}.\n`
      : '',
    '![Accuracy](charts/accuracy.svg)',
    '',
  ];
}

function latencySection(l: LatencyResult, footer: string, charts: Record<string, string>): string[] {
  const [served, ...variants] = l.models;
  const t = l.timings;
  const rows = l.cases.map((c, i) => {
    const m = t[served!]![i]!;
    const af = t.AFINN![i]!;
    const va = t.VADER![i]!;
    return [
      c.name,
      int(c.ids),
      ms(m.p50),
      ms(m.p99),
      ms(l.tokenizeP50[i]!),
      ms(af.p50),
      ms(af.p99),
      ms(va.p50),
      ms(va.p99),
      ratio(m.p50 / af.p50),
      ratio(m.p50 / va.p50),
      `${int(m.runs)} / ${int(af.runs)} / ${int(va.runs)}`,
    ];
  });
  const perText = l.cases
    .map((c, i) =>
      c.batch > 1
        ? [
            `${c.name}, per text`,
            '',
            ms(t[served!]![i]!.p50 / c.batch),
            '',
            '',
            ms(t.AFINN![i]!.p50 / c.batch),
            '',
            ms(t.VADER![i]!.p50 / c.batch),
            '',
            '',
            '',
            '',
          ]
        : null,
    )
    .filter((r) => r !== null);
  const lines = [
    '## Inference latency (Node, onnxruntime-web, one thread)',
    '',
    `Milliseconds per call in this Node process: the served model tokenizes and runs through onnxruntime-web's wasm on one thread ` +
      `(what the Worker does per request, without HTTP); AFINN and VADER score the same texts. Texts are real IMDB test reviews cut ` +
      `(or concatenated) to exactly N words as the tokenizer counts them; the model reads at most its maximum length (the "ids" column). ` +
      `The test split's median review has ${int(l.split.medianWords)} words and its mean ${int(l.split.meanWords)}. A batch is one call with 64 texts ` +
      `(the model: one padded [64, time] tensor; the lexicons: a loop). Each figure is ~${(l.budgetMs / 1000).toFixed(1)} s of back-to-back calls ` +
      `(batches twice that) after a warm-up, cycling through 64 different texts (4 different batches). The ratios are model p50 ÷ lexicon p50 ` +
      `(above 1×: the model is slower).`,
    '',
    table(
      [
        'texts',
        'ids',
        'model p50',
        'model p99',
        'of which tokenize (p50)',
        'AFINN p50',
        'AFINN p99',
        'VADER p50',
        'VADER p99',
        'model ÷ AFINN',
        'model ÷ VADER',
        'calls (model / AFINN / VADER)',
      ],
      [...rows, ...perText],
    ),
    '',
  ];
  const others = Object.keys(t).filter((name) => !l.models.includes(name) && !l.lexicons.includes(name));
  if (others.length > 0) {
    lines.push(
      'The baseline on the same texts, one call each (p50 / p99; features included):',
      '',
      table(
        ['texts', ...others.flatMap((o) => [`${o} p50`, `${o} p99`])],
        l.cases.map((c, i) => [c.name, ...others.flatMap((o) => [ms(t[o]![i]!.p50), ms(t[o]![i]!.p99)])]),
      ),
      '',
    );
  }
  if (variants.length > 0) {
    lines.push(
      'The variants on the same texts (model p50 / p99):',
      '',
      table(
        ['texts', ...variants.flatMap((v) => [`${v} p50`, `${v} p99`])],
        l.cases.map((c, i) => [c.name, ...variants.flatMap((v) => [ms(t[v]![i]!.p50), ms(t[v]![i]!.p99)])]),
      ),
      '',
    );
  }
  for (const q of ['p50', 'p99'] as const) {
    charts[`latency-${q}.svg`] = barChart({
      title: `Latency ${q} per call, Node + onnxruntime-web (1 thread) vs lexicons`,
      unit: 'ms',
      groups: l.cases.map((c) => c.name.replace(' × 230 words', '')),
      series: [...l.models, ...l.lexicons].map((name) => ({ name, values: t[name]!.map((x) => x[q]) })),
      log: true,
      format: msFormat,
      footer,
    });
  }
  lines.push('![Latency p50](charts/latency-p50.svg)', '', '![Latency p99](charts/latency-p99.svg)', '');
  return lines;
}

const signedPercent = (x: number) =>
  Number.isFinite(x) ? `${x >= 0 ? '+' : '\u2212'}${Math.abs(100 * x).toFixed(1)} %` : 'n/a';

function traceCostSection(t: TraceCostResult, footer: string, charts: Record<string, string>): string[] {
  const heading = '### `"trace": true` against a plain request';
  if (!t.available)
    return [heading, '', `The served model (${t.model}) has no trace output (bidirectional): nothing to measure.`, ''];
  const limit = `+${(100 * t.limit).toFixed(0)} %`;
  const rows = t.cases.map((c) => [
    c.name,
    int(c.ids),
    ms(c.plain.p50),
    ms(c.trace.p50),
    signedPercent(c.extra),
    c.extra <= t.limit ? 'yes' : '**no**',
    ms(c.plain.p99),
    ms(c.trace.p99),
    `${int(c.bytes.plain)} → ${int(c.bytes.trace)}`,
    int(c.plain.runs),
  ]);
  charts['trace-cost.svg'] = barChart({
    title: 'Time per request: plain vs "trace": true (Worker code in Node, p50)',
    unit: 'ms',
    groups: t.cases.map((c) => c.name.replace(' × 230 words', '')),
    series: [
      { name: 'plain', values: t.cases.map((c) => c.plain.p50) },
      { name: '"trace": true', values: t.cases.map((c) => c.trace.p50) },
    ],
    log: true,
    format: msFormat,
    footer,
  });
  return [
    heading,
    '',
    "The Worker's own request code in this Node process (src/worker: SentimentModel on onnxruntime-web's wasm build, one thread, and " +
      'analyse(): tokenize, one run, the results, then JSON.stringify as the route does), without HTTP: a plain request and the same ' +
      'request with `"trace": true` alternate (ABBA order) on the texts above; p50 and p99 per kind. onnxruntime-web computes every node ' +
      "whatever is fetched, so the trace's arithmetic is paid by both; the extra is copying it out and building and serialising the " +
      `longer answer. The issue's limit is ${limit} time per request (p50).`,
    '',
    table(
      [
        'texts',
        'ids',
        'plain p50',
        'trace p50',
        'extra',
        `within ${limit}`,
        'plain p99',
        'trace p99',
        'answer bytes (plain → trace)',
        'pairs',
      ],
      rows,
    ),
    '',
    '![Trace cost](charts/trace-cost.svg)',
    '',
  ];
}

function loadSection(r: LoadResult, footer: string, charts: Record<string, string>): string[] {
  const anyErrors = r.runs.some((x) => x.errors > 0);
  const kindName = (kind: string) =>
    kind === 'single' ? 'single' : kind === 'trace' ? 'single, `"trace": true`' : `batch of ${r.batchSize}`;
  const hasTrace = r.runs.some((x) => x.kind === 'trace');
  const rows = r.runs.map((x) => [
    kindName(x.kind),
    String(x.connections),
    seconds(x.seconds),
    int(x.requestsPerSecond),
    int(x.textsPerSecond),
    `${x.p50} ms`,
    `${x.p99} ms`,
    int(x.requests),
    x.errors === 0 ? '0' : `**${x.errors}**`,
  ]);
  const connections = [...new Set(r.runs.map((x) => x.connections))];
  const groups = connections.map((c) => `${c} connection${c === 1 ? '' : 's'}`);
  const pick = (kind: string, key: 'textsPerSecond' | 'p50' | 'p99') =>
    connections.map((c) => r.runs.find((x) => x.kind === kind && x.connections === c)?.[key] ?? Number.NaN);
  charts['load-throughput.svg'] = barChart({
    title: 'Reviews scored per second, wrangler dev (workerd) on 127.0.0.1',
    unit: 'reviews/s',
    groups,
    series: [
      { name: 'single requests', values: pick('single', 'textsPerSecond') },
      ...(hasTrace ? [{ name: 'single, "trace": true', values: pick('trace', 'textsPerSecond') }] : []),
      { name: `batches of ${r.batchSize}`, values: pick('batch', 'textsPerSecond') },
    ],
    footer,
  });
  charts['load-latency.svg'] = barChart({
    title: 'Request latency under load, wrangler dev (workerd)',
    unit: 'ms',
    groups,
    series: [
      { name: 'single p50', values: pick('single', 'p50') },
      { name: 'single p99', values: pick('single', 'p99') },
      ...(hasTrace
        ? [
            { name: 'trace p50', values: pick('trace', 'p50') },
            { name: 'trace p99', values: pick('trace', 'p99') },
          ]
        : []),
      { name: 'batch p50', values: pick('batch', 'p50') },
      { name: 'batch p99', values: pick('batch', 'p99') },
    ],
    log: true,
    format: msFormat,
    footer,
  });
  return [
    '## Server load',
    '',
    `autocannon (in the benchmark's Node process) against the Worker in workerd, started as \`npm start\` starts it (\`wrangler dev\`, ` +
      `offline, 127.0.0.1, a free port), POST /api/sentiment with one review of ${r.textWords} words ({"text"}, ${int(r.bodyBytes.single)} bytes)` +
      `${r.bodyBytes.trace ? `, the same with the per-word trace ({"text", "trace": true}, ${int(r.bodyBytes.trace)} bytes, run right after the plain one),` : ''} ` +
      `or ${r.batchSize} such reviews ({"texts"}, ${int(r.bodyBytes.batch)} bytes), the same body on every request, after a 1 s warm-up. ` +
      'Errors are connection errors + timeouts + non-2xx answers and must be 0. The load generator and the server ' +
      "share the machine's cores. The Worker's memory is measured in its isolate: see Cloudflare limits.",
    '',
    table(['requests', 'connections', 'duration', 'req/s', 'reviews/s', 'p50', 'p99', 'requests done', 'errors'], rows),
    '',
    hasTrace
      ? `\`"trace": true\` against plain single requests (p50 latency; throughput): ${connections
          .map((c) => {
            const [plain, trace] = [
              r.runs.find((x) => x.kind === 'single' && x.connections === c),
              r.runs.find((x) => x.kind === 'trace' && x.connections === c),
            ];
            return plain && trace
              ? `${c} connection${c === 1 ? '' : 's'} ${signedPercent(trace.p50 / plain.p50 - 1)}; ${signedPercent(trace.requestsPerSecond / plain.requestsPerSecond - 1)}`
              : `${c}: n/a`;
          })
          .join(' · ')}.\n`
      : '',
    anyErrors ? '\n**Some runs had errors: the server must answer every request.**' : '',
    '',
    '![Throughput](charts/load-throughput.svg)',
    '',
    '![Latency under load](charts/load-latency.svg)',
    '',
  ];
}

function coldStartSection(c: ColdStartResult, footer: string, charts: Record<string, string>): string[] {
  const med = <T>(rows: readonly T[], pick: (r: T) => number) => median(rows.map(pick));
  const span = <T>(rows: readonly T[], pick: (r: T) => number) => {
    const values = rows.map(pick);
    return values.length > 1 ? `${ms(Math.min(...values))} – ${ms(Math.max(...values))}` : '';
  };
  const items: [string, number, string][] = [];
  const add = <T>(label: string, rows: readonly T[], pick: (r: T) => number) =>
    rows.length && items.push([label, med(rows, pick), span(rows, pick)]);
  add('`wrangler dev` spawned → first 200 from POST /api/sentiment', c.worker, (r) => r.firstAnswer);
  add('`wrangler dev` spawned → "Ready on" printed', c.worker, (r) => r.ready);
  add('the request that got the first 200', c.worker, (r) => r.firstRequest);
  add('the next request (warm)', c.worker, (r) => r.nextRequest);
  add('fresh Node: import onnxruntime-web', c.init, (r) => r.importOrt);
  add('fresh Node: first session (wasm compile + instantiate + model)', c.init, (r) => r.firstSession);
  add('fresh Node: vocabulary (parse + index)', c.init, (r) => r.vocabulary);
  add('fresh Node: first inference', c.init, (r) => r.firstRun);
  add('second session in the same process (the model alone)', c.init, (r) => r.secondSession);
  add('fresh Node: import → first score', c.init, (r) => r.total);
  add('fresh Node: process spawn → first score (Node + tsx start-up included)', c.init, (r) => r.processTotal);
  charts['cold-start.svg'] = barChart({
    title: 'Cold start (median)',
    unit: 'ms',
    groups: ['wrangler dev → 1st 200', 'ORT import', 'first session', 'model alone', 'import → 1st score'],
    series: [
      {
        name: 'median',
        values: [
          med(c.worker, (r) => r.firstAnswer),
          med(c.init, (r) => r.importOrt),
          med(c.init, (r) => r.firstSession),
          med(c.init, (r) => r.secondSession),
          med(c.init, (r) => r.total),
        ],
      },
    ],
    log: true,
    format: msFormat,
    footer,
  });
  return [
    '## Cold start',
    '',
    `The Worker: \`wrangler dev\` (workerd) spawned ${c.worker.length} time(s); POST /api/sentiment every 25 ms until one answers 200 ` +
      `(the Worker starts loading the model at isolate start-up). onnxruntime-web and the model alone: a fresh Node process ` +
      `(bench/init-probe.ts) ${c.init.length} time(s), timing the import, the first InferenceSession (which compiles and instantiates ` +
      'the wasm runtime, then loads the model), the vocabulary, the first inference, and a second session (the model alone). Median, with the range.',
    '',
    table(
      ['step', 'median', 'range'],
      items.map(([label, value, range]) => [label, ms(value), range]),
    ),
    '',
    '![Cold start](charts/cold-start.svg)',
    '',
  ];
}

function sizeSection(s: SizeResult, footer: string, charts: Record<string, string>): string[] {
  const limit = WORKER_SIZE_LIMIT_BYTES;
  const rows = [
    ...s.files.map((f) => [f.name, kib(f.bytes), kib(f.gzipBytes), '']),
    [
      'Worker upload (`wrangler deploy --dry-run`)',
      kib(s.upload.totalBytes),
      kib(s.upload.gzipBytes),
      `${((s.upload.totalBytes / limit) * 100).toFixed(1)} % / ${((s.upload.gzipBytes / limit) * 100).toFixed(1)} %`,
    ],
  ];
  charts['size.svg'] = barChart({
    title: 'Size vs the 64 MiB Worker limit',
    unit: 'KiB',
    groups: [...s.files.map((f) => f.name.replace('model/', '')), 'Worker upload'],
    series: [
      { name: 'raw', values: [...s.files.map((f) => f.bytes / 1024), s.upload.totalBytes / 1024] },
      { name: 'gzip', values: [...s.files.map((f) => f.gzipBytes / 1024), s.upload.gzipBytes / 1024] },
    ],
    log: true,
    line: { value: limit / 1024, label: '64 MiB limit' },
    footer,
  });
  return [
    '## Size',
    '',
    `The model's files (gzip: level 9, here), and the upload as the dry run prints it: \`${s.upload.line}\` (build ${seconds(s.buildSeconds)}). ` +
      `The limit is Cloudflare's Worker size limit of ${mib(limit)} (https://developers.cloudflare.com/workers/platform/limits/).`,
    '',
    table(['what', 'size', 'gzip', 'of the limit'], rows),
    '',
    `What the bundle holds: ${s.bundle.map((b) => `${b.name} ${kib(b.bytes)}`).join(', ')}.`,
    '',
    '![Size](charts/size.svg)',
    '',
  ];
}

function trainingSection(rows: TrainingRow[], footer: string, charts: Record<string, string>): string[] {
  const maxEpochs = Math.max(0, ...rows.map((r) => r.epochs.length));
  const lines = [
    '## Training',
    '',
    "From each model's metadata.json, as training recorded it on the machine that trained it (the machine block above is the " +
      "benchmark's; train on the same machine for comparable numbers). Total is training time as the run recorded it (all epochs, " +
      'validation included).',
    '',
    table(
      ['model', 'backend', 'epochs', 'best epoch', 'seconds per epoch (mean)', 'total', 'train examples'],
      rows.map((r) => {
        const per = r.epochs.map((e) => e.seconds).filter(Number.isFinite);
        return [
          r.model,
          `${r.backend} (${r.backendPackage})`,
          String(r.epochs.length),
          r.bestEpoch === null ? 'n/a' : String(r.bestEpoch),
          per.length ? seconds(per.reduce((a, b) => a + b, 0) / per.length) : 'n/a',
          r.secondsTrained === null
            ? 'n/a'
            : `${seconds(r.secondsTrained)} (${(r.secondsTrained / 60).toFixed(1)} min)`,
          r.trainExamples === null ? 'n/a' : int(r.trainExamples),
        ];
      }),
    ),
    '',
  ];
  if (maxEpochs > 0) {
    lines.push(
      table(
        ['epoch', ...rows.map((r) => `${r.model}: seconds (val accuracy)`)],
        Array.from({ length: maxEpochs }, (_, i) => [
          String(i + 1),
          ...rows.map((r) =>
            r.epochs[i]
              ? `${seconds(r.epochs[i].seconds)}${r.epochs[i].valAccuracy === null ? '' : ` (${r.epochs[i].valAccuracy!.toFixed(4)})`}`
              : '',
          ),
        ]),
      ),
      '',
    );
    charts['training.svg'] = barChart({
      title: 'Training: seconds per epoch',
      unit: 's',
      groups: Array.from({ length: maxEpochs }, (_, i) => `epoch ${i + 1}`),
      series: rows.map((r) => ({
        name: r.model,
        values: Array.from({ length: maxEpochs }, (_, i) => r.epochs[i]?.seconds ?? Number.NaN),
      })),
      footer,
    });
    lines.push('![Training](charts/training.svg)', '');
  }
  return lines;
}

function headlineTable(r: Results): string {
  const rows: string[][] = [];
  const acc = (name: string) => r.accuracy?.rows.find((x) => x.scorer.startsWith(name))?.metrics;
  if (r.accuracy) {
    const int8 = r.accuracy.rows.find((x) => x.scorer.endsWith('(served), int8 ONNX'))?.metrics;
    const float = r.accuracy.rows.find((x) => x.scorer.endsWith('(served), float tfjs'))?.metrics;
    const afinn = acc('AFINN');
    const vader = acc('VADER');
    const nbsvm = acc('NBSVM');
    rows.push([
      `Accuracy, IMDB test (${int(r.accuracy.reviews)} reviews)`,
      [int8 && `int8 ${f4(int8.accuracy)}`, float && `float ${f4(float.accuracy)}`].filter(Boolean).join(', ') || 'n/a',
      nbsvm ? `int8 ${f4(nbsvm.accuracy)}` : 'n/a',
      afinn ? f4(afinn.accuracy) : 'n/a',
      vader ? f4(vader.accuracy) : 'n/a',
    ]);
    const modelBytes = r.size?.files.filter((f) => f.name.endsWith('.onnx')).reduce((sum, f) => sum + f.bytes, 0);
    const baseline = r.accuracy.baseline;
    rows.push([
      'Model size (int8)',
      modelBytes ? kib(modelBytes) : 'n/a',
      baseline ? kib(baseline.bytes) : 'n/a',
      'word list',
      'word list',
    ]);
    rows.push([
      'Reads word by word (score after each word)',
      'yes (`"trace": true`)',
      'no: a bag of unigrams and bigrams',
      'no',
      'no',
    ]);
  }
  if (r.latency) {
    const l = r.latency;
    const served = l.models[0]!;
    for (const i of [1, 3]) {
      const c = l.cases[i];
      if (!c) continue;
      const cell = (name: string) =>
        l.timings[name] ? `${ms(l.timings[name]![i]!.p50)} / ${ms(l.timings[name]![i]!.p99)}` : 'n/a';
      rows.push([
        `Latency p50 / p99, ${c.name} (Node, 1 thread)`,
        cell(served),
        cell('NBSVM bigrams (baseline)'),
        cell('AFINN'),
        cell('VADER'),
      ]);
    }
  }
  const server: string[][] = [];
  if (r.traceCost?.available) {
    const t = r.traceCost;
    const cells = t.cases
      .filter((c) => c.name === '230 words' || c.batch > 1)
      .map((c) => `${signedPercent(c.extra)} (${c.name})`);
    server.push([`\`"trace": true\` vs plain request, p50 (limit +${(100 * t.limit).toFixed(0)} %)`, cells.join(', ')]);
  }
  if (r.load) {
    for (const kind of ['single', 'batch'] as const) {
      const best = [...r.load.runs]
        .filter((x) => x.kind === kind)
        .sort((a, b) => b.textsPerSecond - a.textsPerSecond)[0];
      if (best)
        server.push([
          `Throughput, ${kind === 'single' ? 'single requests' : `batches of ${r.load.batchSize}`} (best: ${best.connections} connections)`,
          `${int(best.requestsPerSecond)} req/s (${int(best.textsPerSecond)} reviews/s), p99 ${best.p99} ms`,
        ]);
    }
    server.push(['Errors under load', String(r.load.runs.reduce((a, x) => a + x.errors, 0))]);
  }
  if (r.coldStart?.worker.length)
    server.push([
      'Cold start: `wrangler dev` → first answer (median)',
      ms(median(r.coldStart.worker.map((x) => x.firstAnswer))),
    ]);
  if (r.coldStart?.init.length)
    server.push([
      'onnxruntime-web + model init, fresh Node (median)',
      ms(median(r.coldStart.init.map((x) => x.firstSession))),
    ]);
  if (r.size)
    server.push([
      'Worker upload (total / gzip) vs 64 MiB limit',
      `${kib(r.size.upload.totalBytes)} / ${kib(r.size.upload.gzipBytes)}`,
    ]);
  if (r.limits) {
    const { checks, memory } = r.limits;
    const over = checks.filter((c) => c.verdict === 'OVER').length;
    const peak = Math.max(...memory.map((m) => m.totalBytes));
    server.push([
      'Cloudflare limits (start-up CPU, CPU per request, isolate memory, script size)',
      `${checks.length - over} of ${checks.length} rows within${over ? `, **${over} OVER**` : ''}` +
        `${memory.length ? `; isolate memory at most ${mib(peak)} (limit 128 MB)` : ''}`,
    ]);
  }
  if (r.training?.[0]) {
    const t = r.training[0];
    server.push([
      'Training (served model)',
      `${t.secondsTrained === null ? 'n/a' : `${(t.secondsTrained / 60).toFixed(1)} min`}, ${t.epochs.length} epoch${t.epochs.length === 1 ? '' : 's'}, backend ${t.backend}`,
    ]);
  }
  const parts: string[] = [];
  if (rows.length)
    parts.push(table(['', `model (${r.servedModel})`, 'NBSVM bigrams (baseline)', 'AFINN', 'VADER'], rows));
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
      '> **SMOKE RUN (`--quick`)**: a few hundred reviews and seconds-long runs, to check that the suite works. These are not results.',
      '',
    );
  }
  lines.push(
    `Written by \`${r.command}\` (bench/run.ts) on ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC in ${seconds(r.seconds)}; re-run it to refresh every figure. ` +
      `Served model: ${r.servedModel}. Raw numbers: [results.json](results.json).`,
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
  if (r.accuracy) lines.push(...accuracySection(r.accuracy, footer, charts));
  if (r.latency) lines.push(...latencySection(r.latency, footer, charts));
  if (r.traceCost) lines.push(...traceCostSection(r.traceCost, footer, charts));
  if (r.load) lines.push(...loadSection(r.load, footer, charts));
  if (r.coldStart) lines.push(...coldStartSection(r.coldStart, footer, charts));
  if (r.size) lines.push(...sizeSection(r.size, footer, charts));
  if (r.limits) lines.push(...renderLimits(r.limits));
  if (r.training) lines.push(...trainingSection(r.training, footer, charts));
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
