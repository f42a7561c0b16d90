/**
 * The Worker against Cloudflare's documented limits (developers.cloudflare.com/workers/platform/limits): start-up
 * CPU of the global scope, CPU per request on each plan, memory per isolate and script size. Every row gets the
 * limit and a verdict; the request budgets come from the Worker's own plan() so that they are never copied here.
 */
import { splitWords } from '../src/tokenizer/index.ts';
import { LIMITS, type Plan, type PlanName, plan as planFor } from '../src/worker/contract/limits.ts';
import type { Review } from '../train/data.ts';
import { type IsolateRequest, measureIsolateMemory } from './isolate-memory.ts';
import type { ModelDir } from './models.ts';
import { measurePlainWorkerd, type PlainWorkerdRun } from './plain-workerd.ts';
import { type App, firstRequestCpu, measureRequestCpu, nodeApp, type RequestShape } from './request-cpu.ts';
import { measureSize, type SizeResult, WORKER_SIZE_LIMIT_BYTES } from './size.ts';
import { activeMs, type CpuProfile, measureStartupCpu } from './startup-cpu.ts';
import { int, kib, median, mib, ms, table } from './stats.ts';
import { textsOfWords } from './texts.ts';
import { type RunningWorker, startWorker } from './workerd.ts';

/** Cloudflare's limits as documented (2026). Memory is "128 MB", read as 10^6 bytes: the stricter reading. */
export const CLOUDFLARE = {
  startupCpuMs: 1_000,
  isolateMemoryBytes: 128 * 1000 * 1000,
  scriptBytes: WORKER_SIZE_LIMIT_BYTES,
} as const;

/** The project's own targets, tighter than Cloudflare's limits: shown beside the verdicts, not as verdicts. */
export const TARGETS = {
  startupCpuMs: 400,
  memoryMustBytes: 96 * 2 ** 20,
  memoryAimBytes: 64 * 2 ** 20,
} as const;

/** V8's sampling interval asked of the profiler in workerd, in microseconds. */
const SAMPLING_INTERVAL_US = 50;
/** Words of the review used for the single-text rows (about the test split's median review). */
const REVIEW_WORDS = 230;

export type Verdict = 'within' | 'OVER';

/** The request kinds measured; with `trace` and the plan, a row's key in results.json. */
export type ShapeName =
  | 'single-230'
  | 'small-batch'
  | 'long-review'
  | 'words-budget'
  | 'chars-budget'
  | 'over-words'
  | 'over-words-max-chars'
  | 'max-batch';

export interface ShapeSpec {
  shape: ShapeName;
  plan: PlanName;
  trace: boolean;
  label: string;
  texts: string[];
  /** Words the model reads: each text's words, cut to maxLength, summed. */
  wordsRead: number;
  chars: number;
  expectStatus: 200 | 413;
}

export interface RequestCpuRow {
  shape: ShapeName;
  plan: PlanName;
  trace: boolean;
  label: string;
  texts: number;
  chars: number;
  wordsRead: number;
  bodyBytes: number;
  status: number;
  runs: number;
  medianMs: number;
  p99Ms: number;
  maxMs: number;
}

/** A GET of the page or of the how-it-reads API on the free plan, timed as the POSTs are. */
export interface PageCpuRow {
  id: string;
  label: string;
  path: string;
  /** Words the model reads (0 for a request that runs no text). */
  wordsRead: number;
  status: number;
  runs: number;
  medianMs: number;
  p99Ms: number;
  maxMs: number;
}

/** Requests (one, or several in a row) as V8's profiler saw them in workerd, under one profile. */
export interface ProfiledRequest {
  /** How many requests the profile covers (0: a window with none). */
  requests: number;
  /** Their HTTP status: the first that was not 200, else 200 (0 when there was no request). */
  status: number;
  /** Between Profiler.start and Profiler.stop, as the profile records it. */
  wallMs: number;
  /** Samples not "(idle)". */
  samples: number;
  /** Sum of the non-idle samples' time deltas, the rule of bench/startup-cpu.ts (and wrangler's "Active"). */
  rawMs: number;
  /** The same with each delta capped at twice the sampling cadence (see profileCpu): the CPU estimate. */
  cpuMs: number;
  /** The cadence the samples came at (µs), as profileCpu estimates it. */
  cadenceUs: number;
}

export interface WorkerdIsolateRun {
  /** 200 ms with no request, right after connecting: start-up must be over, so this should be ~0. */
  idle: ProfiledRequest;
  /** The first request the fresh isolate serves. */
  first: ProfiledRequest;
  /**
   * Later requests, per kind (shape, plain or trace): a run of them under one profile. One profile per warm
   * request is not usable: V8's sampler thread misses its ticks on a busy machine and a ~2 ms request then gets
   * no sample at all, so the mean over a run is what is reported.
   */
  later: { shape: ShapeName; trace: boolean; profile: ProfiledRequest }[];
}

export interface WorkerdRequests {
  samplingIntervalUs: number;
  /** The kinds of request sent, the first one also as the first request. */
  shapes: { shape: ShapeName; label: string; words: number }[];
  isolates: WorkerdIsolateRun[];
  /**
   * Checks that the profiles show the requests and nothing else; the trace check is on the heaviest kind, whose
   * trace costs a few milliseconds more (on a 230-word review the difference is within the sampling noise).
   */
  verified: { firstHasSamples: boolean; idleIsQuiet: boolean; traceCostsMore: boolean };
}

export type MemoryState = 'start' | ShapeName;

export interface MemoryRow {
  plan: PlanName;
  state: MemoryState;
  trace: boolean;
  label: string;
  status: number;
  totalBytes: number;
  wasmBytes: number;
}

export type LimitKind = 'startup-cpu' | 'request-cpu' | 'memory' | 'script-size';

/** One row of the table: a measurement against its limit (and target, where there is one). */
export interface LimitCheck {
  /**
   * Stable key: "startup-cpu", "workerd-first:<shape>", "workerd-later:<shape>[:trace]", "node-first:<shape>",
   * "node:<plan>:<shape>[:trace]", "memory:<plan>:<state>[:trace]", "script-size".
   */
  id: string;
  limit: LimitKind;
  /** The plan whose limit applies; 'all' where both plans share it. */
  plan: PlanName | 'all';
  /** Where it was measured. */
  where: 'workerd' | 'workerd-alone' | 'node' | 'wrangler';
  what: string;
  /** The figure the verdict is on (ms or bytes, as the limit). */
  value: number;
  /** Which figure `value` is: p99, median, max, total... */
  statistic: string;
  /** Other figures for context (ms or bytes). */
  context: Record<string, number>;
  words?: number;
  status?: number;
  limitValue: number;
  verdict: Verdict;
  targets: { label: string; value: number; met: boolean }[];
}

export interface LimitsResult {
  cloudflare: typeof CLOUDFLARE;
  targets: typeof TARGETS;
  maxLength: number;
  plans: Record<PlanName, Plan>;
  startupCpu: { runsMs: number[]; medianMs: number };
  /** null when the profile could not be taken: see errors.workerd. */
  workerd: WorkerdRequests | null;
  /** The first and later requests in workerd alone (no wrangler dev); null when not measured: errors['workerd-alone']. */
  workerdAlone: { label: string; words: number; runs: PlainWorkerdRun[] } | null;
  nodeFirstRequest: { runsMs: number[]; status: number };
  requestCpu: RequestCpuRow[];
  pageCpu: PageCpuRow[];
  requestCpuSettings: { free: { runs: number; warmUpMs: number }; paid: { runs: number; warmUpMs: number } };
  memory: MemoryRow[];
  script: { uploadBytes: number; gzipBytes: number; line: string };
  /** Parts that failed, with the error. */
  errors: Record<string, string>;
  checks: LimitCheck[];
}

export const verdict = (value: number, limit: number): Verdict => (value <= limit ? 'within' : 'OVER');

const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;

// ---------------------------------------------------------------------------------------------------------
// Request texts

/** Words the model reads of `texts`: each cut to `maxLength` (the tokenizer counts as splitWords does). */
export function wordsRead(texts: readonly string[], maxLength: number): number {
  return texts.reduce((sum, text) => sum + Math.min(splitWords(text).length, maxLength), 0);
}

/** `total` words as texts of `maxLength` words and one with the rest. */
export function wordSplit(total: number, maxLength: number): number[] {
  const parts = Array.from({ length: Math.floor(total / maxLength) }, () => maxLength);
  return total % maxLength > 0 ? [...parts, total % maxLength] : parts;
}

/** `count` real review texts of exactly `chars` UTF-16 units (cut mid-word if need be, never mid-pair). */
function textsOfChars(reviews: readonly Review[], chars: number, count: number): string[] {
  for (let words = Math.ceil(chars / 4); ; words = Math.ceil(words * 1.5)) {
    const texts = textsOfWords(reviews, words, count);
    if (texts.every((t) => t.length >= chars)) {
      // A high surrogate as the last unit would leave half a character: a space takes its place.
      const lastIsHigh = (t: string) => /[\uD800-\uDBFF]/.test(t[chars - 1]!);
      return texts.map((t) => (lastIsHigh(t) ? `${t.slice(0, chars - 1)} ` : t.slice(0, chars)));
    }
  }
}

/** The requests measured, both kinds (plain, trace) of each; texts are real IMDB test reviews. */
function requestShapes(reviews: readonly Review[], maxLength: number): ShapeSpec[] {
  const free = planFor('free', maxLength);
  const words = (n: number, i = 0) => textsOfWords(reviews.slice(i), n, 1)[0]!;
  // Different reviews for the parts of one request, so that a batch is not one text repeated.
  const split = (total: number) => wordSplit(total, maxLength).map((n, i) => words(n, 97 * (i + 1)));
  const overWords = free.wordsPerRequest + 1;
  // Over the word budget with as much text as the character budget lets through: the costliest 413, as the
  // Worker tokenizes every text before it can count the words read.
  const overTexts = Math.ceil(overWords / maxLength);
  const overChars = textsOfChars(reviews, Math.floor(free.charsPerRequest / overTexts), overTexts);
  const charTexts = textsOfChars(reviews, LIMITS.maxTextChars, Math.floor(free.charsPerRequest / LIMITS.maxTextChars));
  const ok = { plan: 'free', expectStatus: 200 } as const;
  // A few typical reviews in one request: 8, or as many as the free word budget takes.
  const small = Math.min(8, Math.floor(free.wordsPerRequest / REVIEW_WORDS));
  const shapes: Omit<ShapeSpec, 'trace' | 'wordsRead' | 'chars'>[] = [
    { ...ok, shape: 'single-230', label: `1 × ${REVIEW_WORDS} words`, texts: [words(REVIEW_WORDS)] },
    {
      ...ok,
      shape: 'small-batch',
      label: `${small} × ${REVIEW_WORDS} words`,
      texts: textsOfWords(reviews, REVIEW_WORDS, small),
    },
    { ...ok, shape: 'long-review', label: `1 review of 3,000 words (read: ${int(maxLength)})`, texts: [words(3_000)] },
    {
      shape: 'words-budget',
      plan: 'free',
      label: `the word budget: ${wordSplit(free.wordsPerRequest, maxLength).join(' + ')} words`,
      texts: split(free.wordsPerRequest),
      expectStatus: 200,
    },
    {
      shape: 'chars-budget',
      plan: 'free',
      label: `the character budget: ${charTexts.length} × ${int(LIMITS.maxTextChars)} characters`,
      texts: charTexts,
      expectStatus: 200,
    },
    {
      shape: 'over-words',
      plan: 'free',
      label: `over budget: ${wordSplit(overWords, maxLength).join(' + ')} words`,
      texts: split(overWords),
      expectStatus: 413,
    },
    {
      shape: 'over-words-max-chars',
      plan: 'free',
      label: `over budget, most text: ${overTexts} × ${int(overChars[0]!.length)} characters`,
      texts: overChars,
      expectStatus: 413,
    },
    {
      shape: 'max-batch',
      plan: 'paid',
      label: `${LIMITS.maxTexts} × ${int(maxLength)} words`,
      texts: textsOfWords(reviews, maxLength, LIMITS.maxTexts),
      expectStatus: 200,
    },
  ];
  const specs = shapes.flatMap((s) =>
    // A 413 is decided before any inference: the trace kind would measure the same thing again.
    (s.expectStatus === 413 ? [false] : [false, true]).map((trace) => ({
      ...s,
      trace,
      label: trace ? `${s.label}, trace` : s.label,
      wordsRead: wordsRead(s.texts, maxLength),
      chars: s.texts.reduce((sum, t) => sum + t.length, 0),
    })),
  );
  for (const s of specs) {
    const p = planFor(s.plan, maxLength);
    if (s.texts.some((t) => t.length > LIMITS.maxTextChars)) {
      throw new Error(`${s.label}: a text is over ${LIMITS.maxTextChars} characters`);
    }
    const fits = s.wordsRead <= p.wordsPerRequest && s.chars <= p.charsPerRequest;
    if (fits !== (s.expectStatus === 200)) {
      throw new Error(`${s.label}: ${s.wordsRead} words, ${s.chars} characters: not a ${s.expectStatus} on ${s.plan}`);
    }
  }
  return specs;
}

/** The GET requests measured: the pages and the how-it-reads API, with a typical review where they take text. */
function pageRequests(
  reviews: readonly Review[],
): Omit<PageCpuRow, 'status' | 'runs' | 'medianMs' | 'p99Ms' | 'maxMs'>[] {
  const review = encodeURIComponent(textsOfWords(reviews, REVIEW_WORDS, 1)[0]!);
  const rows = [
    { id: 'page', label: 'GET / (the form)', path: '/', wordsRead: 0 },
    {
      id: 'page-text',
      label: `GET /?text= (${REVIEW_WORDS} words, traced)`,
      path: `/?text=${review}`,
      wordsRead: REVIEW_WORDS,
    },
    { id: 'how', label: 'GET /how (the example)', path: '/how', wordsRead: 0 },
    { id: 'how-word', label: "GET /how?word= (a word's neighbours)", path: '/how?word=boring', wordsRead: 0 },
    {
      id: 'how-text',
      label: `GET /how?text= (${REVIEW_WORDS} words' memory)`,
      path: `/how?text=${review}`,
      wordsRead: REVIEW_WORDS,
    },
    { id: 'neighbors', label: 'GET /api/neighbors', path: '/api/neighbors?word=great', wordsRead: 0 },
    { id: 'model', label: 'GET /api/model', path: '/api/model', wordsRead: 0 },
  ];
  return rows;
}

const requestBody = (s: { texts: readonly string[]; trace: boolean }) =>
  JSON.stringify(s.texts.length === 1 ? { text: s.texts[0], trace: s.trace } : { texts: s.texts, trace: s.trace });

/** Sends each shape once and checks its status and, for a 200, the words the answer says were read. */
async function checkShapes(app: App, specs: readonly ShapeSpec[]): Promise<void> {
  for (const s of specs) {
    const init = { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: requestBody(s) };
    const response = await app.request('http://bench/api/sentiment', init, { PLAN: s.plan });
    const answer = (await response.json()) as { tokens?: number; results?: { tokens: number }[]; error?: unknown };
    if (response.status !== s.expectStatus) {
      const said = JSON.stringify(answer).slice(0, 300);
      throw new Error(`${s.plan}, ${s.label}: HTTP ${response.status}, expected ${s.expectStatus}: ${said}`);
    }
    const tokens = answer.results ? answer.results.reduce((sum, r) => sum + r.tokens, 0) : answer.tokens;
    if (s.expectStatus === 200 && tokens !== s.wordsRead) {
      throw new Error(`${s.plan}, ${s.label}: the answer read ${tokens} words, expected ${s.wordsRead}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// CPU of a request in workerd, from V8's sampling profiler

/**
 * A request's CPU from a profile taken in workerd. V8 samples the isolate only while it runs, so the first sample
 * after a wait (the request travelling through wrangler's proxy, the body arriving) carries the whole wait in its
 * time delta: the plain sum (rawMs) counts waits as CPU. cpuMs caps each delta at twice the cadence the samples
 * actually came at (their median delta, at least the interval asked for, at most 10 times it).
 */
export function profileCpu(profile: CpuProfile, intervalUs: number): Omit<ProfiledRequest, 'status' | 'requests'> {
  const names = new Map(profile.nodes.map((node) => [node.id, node.callFrame.functionName]));
  const deltas = profile.samples.flatMap((sample, i) =>
    names.get(sample) === '(idle)' ? [] : [profile.timeDeltas[i] ?? 0],
  );
  const cadence = Math.min(10 * intervalUs, Math.max(intervalUs, deltas.length ? median(deltas) : 0));
  const cpuUs = deltas.reduce((sum, d) => sum + Math.min(d, 2 * cadence), 0);
  return {
    wallMs: (profile.endTime - profile.startTime) / 1000,
    samples: deltas.length,
    rawMs: activeMs(profile),
    cpuMs: cpuUs / 1000,
    cadenceUs: cadence,
  };
}

const reloaded = (worker: RunningWorker) => /reloading/i.test(worker.output());

/** `requests` POSTs one after the other under one profile (none: a 200 ms window with no request). */
async function profiled(worker: RunningWorker, body: object, requests: number): Promise<ProfiledRequest> {
  await worker.inspector.send('Profiler.start');
  let status = requests ? 200 : 0;
  if (!requests) await new Promise((resolve) => setTimeout(resolve, 200));
  for (let i = 0; i < requests; i++) {
    const answer = await worker.post('/api/sentiment', body);
    if (status === 200) status = answer.status;
  }
  const stopped = await worker.inspector.send<{ profile?: CpuProfile } | undefined>('Profiler.stop');
  // Seen once while source files were being edited: wrangler reloads the Worker and the profile is gone.
  if (!stopped?.profile) {
    throw new Error(`Profiler.stop gave no profile${reloaded(worker) ? ' (the Worker reloaded)' : ''}`);
  }
  return { requests, status, ...profileCpu(stopped.profile, SAMPLING_INTERVAL_US) };
}

/** CPU per request of a profile of several. */
const perRequestMs = (p: ProfiledRequest) => (p.requests > 0 ? p.cpuMs / p.requests : Number.NaN);

/**
 * In `isolates` fresh isolates (wrangler dev, PLAN free): the first request (the first of `specs`, plain) under
 * the profiler, then a run of `warmRuns` requests of each spec, plain and trace. Nothing reaches the isolate
 * before the first request: startWorker waits for "Ready on", not for /healthz.
 */
async function measureWorkerdRequests(
  specs: readonly ShapeSpec[],
  isolates: number,
  warmRuns: number,
  log: (line: string) => void,
): Promise<WorkerdRequests> {
  const runs: WorkerdIsolateRun[] = [];
  const body = (s: ShapeSpec) => JSON.parse(requestBody(s)) as object;
  for (let i = 0; i < isolates; i++) {
    const worker = await startWorker({ plan: 'free' });
    try {
      await worker.inspector.send('Profiler.enable');
      await worker.inspector.send('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
      const idle = await profiled(worker, {}, 0);
      const first = await profiled(worker, body(specs.find((s) => !s.trace)!), 1);
      const later = [];
      for (const s of specs) {
        later.push({ shape: s.shape, trace: s.trace, profile: await profiled(worker, body(s), warmRuns) });
      }
      // A source file changed meanwhile: the rows would mix two isolates, and the first request is no longer first.
      if (reloaded(worker)) throw new Error('the Worker reloaded during the measurement (a source file changed)');
      runs.push({ idle, first, later });
      const means = later.map((l, k) => `${specs[k]!.label} ${ms(perRequestMs(l.profile))}`).join(', ');
      log(
        `limits: workerd isolate ${i + 1}/${isolates}: idle ${ms(idle.cpuMs)}; first request HTTP ${first.status} ` +
          `${ms(first.cpuMs)} (${first.samples} samples, raw sum ${ms(first.rawMs)}); ` +
          `later, mean of ${warmRuns}: ${means}`,
      );
    } finally {
      await worker.stop();
    }
  }
  const heaviest = specs.reduce((a, b) => (b.wordsRead > a.wordsRead ? b : a)).shape;
  const mean = (trace: boolean) =>
    median(runs.map((r) => perRequestMs(r.later.find((l) => l.shape === heaviest && l.trace === trace)!.profile)));
  return {
    samplingIntervalUs: SAMPLING_INTERVAL_US,
    shapes: specs.filter((s) => !s.trace).map((s) => ({ shape: s.shape, label: s.label, words: s.wordsRead })),
    isolates: runs,
    verified: {
      firstHasSamples: runs.every((r) => r.first.samples > 0 && r.first.status === 200),
      // Start-up is over before the first request: an idle window costs (almost) nothing.
      idleIsQuiet: runs.every((r) => r.idle.cpuMs < 1),
      traceCostsMore: mean(true) > mean(false),
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// The checks (table rows) from the measurements: pure, so the verdict logic is tested on fixed input

type Measurements = Omit<LimitsResult, 'checks'>;

type CheckInput = Omit<LimitCheck, 'verdict' | 'targets' | 'context'> & {
  context?: Record<string, number>;
  targets?: { label: string; value: number }[];
};

function check(row: CheckInput): LimitCheck {
  return {
    ...row,
    context: row.context ?? {},
    verdict: verdict(row.value, row.limitValue),
    targets: (row.targets ?? []).map((t) => ({ ...t, met: row.value <= t.value })),
  };
}

export function limitChecks(m: Measurements): LimitCheck[] {
  const checks: LimitCheck[] = [];
  const free = m.plans.free;
  if (m.startupCpu.runsMs.length) {
    checks.push(
      check({
        id: 'startup-cpu',
        limit: 'startup-cpu',
        plan: 'all',
        where: 'wrangler',
        what: `global scope (${plural(m.startupCpu.runsMs.length, 'run')} of \`wrangler check startup\`)`,
        value: m.startupCpu.medianMs,
        statistic: 'median',
        context: { max: Math.max(...m.startupCpu.runsMs) },
        limitValue: m.cloudflare.startupCpuMs,
        targets: [{ label: 'target', value: m.targets.startupCpuMs }],
      }),
    );
  }
  if (m.workerdAlone?.runs.length) {
    // The first request: one per isolate, the highest decides. It is measured in workerd alone: under wrangler
    // dev the inspector makes it cost some 50 ms more (see the method text), which production does not have.
    const { runs, label, words } = m.workerdAlone;
    const status = runs.find((r) => r.status !== 200)?.status ?? 200;
    // The isolate's own CPU decides; V8's background threads during the same requests are shown beside it.
    const row = (kind: 'first' | 'later', what: string, cpu: number[], background: number[]) =>
      check({
        id: `workerd-alone-${kind}:single-230`,
        limit: 'request-cpu',
        plan: 'free',
        where: 'workerd-alone',
        what: `${what}, ${label}`,
        value: Math.max(...cpu),
        statistic: 'max',
        context: { median: median(cpu), requests: cpu.length, background: Math.max(...background) },
        words,
        status,
        limitValue: free.cpuMsPerRequest,
      });
    checks.push(
      row(
        'first',
        'first request in a fresh isolate',
        runs.map((r) => r.firstMs),
        runs.map((r) => r.backgroundMs[0] ?? 0),
      ),
      row(
        'later',
        'later requests',
        runs.flatMap((r) => r.laterMs),
        runs.flatMap((r) => r.backgroundMs.slice(1)),
      ),
    );
  }
  if (m.workerd) {
    const w = m.workerd;
    // Later requests: the mean of a run per isolate, the highest of those decides. The first request under the
    // profiler is reported in the method text only (wrangler dev's inspector inflates it).
    const rows: [string, string, number, 'mean', ProfiledRequest[]][] = [];
    for (const s of w.shapes) {
      for (const trace of [false, true]) {
        const profiles = w.isolates.flatMap((r) => r.later.filter((l) => l.shape === s.shape && l.trace === trace));
        const id = `workerd-later:${s.shape}${trace ? ':trace' : ''}`;
        const what = `later requests, ${s.label}${trace ? ', trace' : ''}`;
        rows.push([id, what, s.words, 'mean', profiles.map((l) => l.profile)]);
      }
    }
    for (const [id, what, words, statistic, profiles] of rows) {
      if (!profiles.length) continue;
      const cpu = profiles.map(perRequestMs);
      checks.push(
        check({
          id,
          limit: 'request-cpu',
          plan: 'free',
          where: 'workerd',
          what,
          value: Math.max(...cpu),
          statistic,
          context: {
            median: median(cpu),
            requests: profiles.reduce((sum, p) => sum + p.requests, 0),
            isolates: profiles.length,
          },
          words,
          status: profiles.find((p) => p.status !== 200)?.status ?? 200,
          limitValue: free.cpuMsPerRequest,
        }),
      );
    }
  }
  if (m.nodeFirstRequest.runsMs.length) {
    const runs = m.nodeFirstRequest.runsMs;
    checks.push(
      check({
        id: 'node-first:single-230',
        limit: 'request-cpu',
        plan: 'free',
        where: 'node',
        what: `first request in a fresh Node process, 1 × ${REVIEW_WORDS} words`,
        value: Math.max(...runs),
        statistic: 'max',
        context: { median: median(runs), requests: runs.length },
        words: REVIEW_WORDS,
        status: m.nodeFirstRequest.status,
        limitValue: free.cpuMsPerRequest,
      }),
    );
  }
  // POSTs per plan, then the GET routes on the free plan: each row's p99 against its plan's limit.
  const timedRows = [
    ...m.requestCpu.map((r) => ({ ...r, id: `node:${r.plan}:${r.shape}${r.trace ? ':trace' : ''}` })),
    ...m.pageCpu.map((r) => ({ ...r, id: `node:free:get:${r.id}`, plan: 'free' as const })),
  ];
  for (const r of timedRows) {
    checks.push(
      check({
        id: r.id,
        limit: 'request-cpu',
        plan: r.plan,
        where: 'node',
        what: r.label,
        value: r.p99Ms,
        statistic: 'p99',
        context: { median: r.medianMs, max: r.maxMs, requests: r.runs },
        words: r.wordsRead,
        status: r.status,
        limitValue: m.plans[r.plan].cpuMsPerRequest,
      }),
    );
  }
  for (const r of m.memory) {
    checks.push(
      check({
        id: `memory:${r.plan}:${r.state}${r.trace ? ':trace' : ''}`,
        limit: 'memory',
        plan: r.plan,
        where: 'workerd',
        what: r.label,
        value: r.totalBytes,
        statistic: 'total',
        context: { wasm: r.wasmBytes },
        status: r.status,
        limitValue: m.cloudflare.isolateMemoryBytes,
        targets: [
          { label: 'must', value: m.targets.memoryMustBytes },
          { label: 'aim', value: m.targets.memoryAimBytes },
        ],
      }),
    );
  }
  if (m.script.uploadBytes > 0) {
    checks.push(
      check({
        id: 'script-size',
        limit: 'script-size',
        plan: 'all',
        where: 'wrangler',
        what: 'upload, uncompressed (`wrangler deploy --dry-run`)',
        value: m.script.uploadBytes,
        statistic: 'total',
        context: { gzip: m.script.gzipBytes },
        limitValue: m.cloudflare.scriptBytes,
      }),
    );
  }
  return checks;
}

// ---------------------------------------------------------------------------------------------------------
// Measurement

export interface LimitsOptions {
  served: ModelDir;
  reviews: readonly Review[];
  quick: boolean;
  /** The size section's result, when it ran in this benchmark: not measured twice. */
  size?: SizeResult;
  log: (line: string) => void;
}

export async function measureLimits(o: LimitsOptions): Promise<LimitsResult> {
  const { log } = o;
  const maxLength = o.served.metadata.tokenizer.maxLength;
  const plans = { free: planFor('free', maxLength), paid: planFor('paid', maxLength) };
  const errors: Record<string, string> = {};
  const failed = (part: string, error: unknown) => {
    errors[part] = error instanceof Error ? error.message : String(error);
    log(`limits: ${part} failed: ${errors[part]}`);
  };
  const specs = requestShapes(o.reviews, maxLength);
  const single = specs.find((s) => s.shape === 'single-230')!.texts[0]!;
  // In workerd: the 230-word review (also as the first request) and the heaviest request free accepts.
  const inWorkerd = specs.filter((s) => s.shape === 'single-230' || s.shape === 'words-budget');

  const startupRuns = o.quick ? 1 : 3;
  const startup = await measureStartupCpu(startupRuns, log);
  const startupCpu = { runsMs: startup.activeMs, medianMs: median(startup.activeMs) };

  let workerd: WorkerdRequests | null = null;
  try {
    workerd = await measureWorkerdRequests(inWorkerd, o.quick ? 1 : 3, o.quick ? 3 : 10, log);
  } catch (error) {
    failed('workerd', error);
  }
  let workerdAlone: LimitsResult['workerdAlone'] = null;
  const singleSpec = specs.find((s) => s.shape === 'single-230' && !s.trace)!;
  try {
    const runs = await measurePlainWorkerd({
      plan: 'free',
      path: '/api/sentiment',
      body: JSON.parse(requestBody(singleSpec)) as unknown,
      later: o.quick ? 3 : 10,
      isolates: o.quick ? 1 : 3,
      log,
    });
    workerdAlone = { label: singleSpec.label, words: singleSpec.wordsRead, runs };
  } catch (error) {
    failed('workerd-alone', error);
  }
  const nodeFirst = [];
  for (let i = 0; i < (o.quick ? 1 : 3); i++) nodeFirst.push(await firstRequestCpu(o.served.dir, single));
  log(`limits: first request in a fresh Node process: ${nodeFirst.map((r) => ms(r.ms)).join(', ')}`);

  const settings = {
    free: { runs: o.quick ? 20 : 200, warmUpMs: o.quick ? 500 : 3_000 },
    paid: { runs: o.quick ? 2 : 10, warmUpMs: o.quick ? 0 : 3_000 },
  };
  const app = await nodeApp(o.served.dir);
  await checkShapes(app, specs);
  const requestCpu: RequestCpuRow[] = [];
  for (const planName of ['free', 'paid'] as const) {
    const mine = specs.filter((s) => s.plan === planName);
    const shapes = new Map<RequestShape, ShapeSpec>(
      mine.map((s) => [{ label: s.label, texts: s.texts, trace: s.trace }, s]),
    );
    const words = (shape: RequestShape) => shapes.get(shape)!.wordsRead;
    const measured = await measureRequestCpu(app, [...shapes.keys()], planName, { ...settings[planName], words });
    for (const [i, s] of mine.entries()) {
      const r = measured[i]!;
      requestCpu.push({
        shape: s.shape,
        plan: s.plan,
        trace: s.trace,
        label: s.label,
        texts: s.texts.length,
        chars: s.chars,
        wordsRead: s.wordsRead,
        bodyBytes: Buffer.byteLength(requestBody(s)),
        status: r.status,
        runs: r.runs,
        medianMs: r.medianMs,
        p99Ms: r.p99Ms,
        maxMs: r.maxMs,
      });
      log(
        `limits: ${planName}, ${s.label}: HTTP ${r.status}, median ${ms(r.medianMs)}, p99 ${ms(r.p99Ms)}, ` +
          `max ${ms(r.maxMs)}`,
      );
    }
  }
  const pages = pageRequests(o.reviews);
  const pageShapes = pages.map((p) => ({ label: p.label, get: p.path }));
  const pageMeasured = await measureRequestCpu(app, pageShapes, 'free', { ...settings.free, words: () => 0 });
  const pageCpu: PageCpuRow[] = pages.map((p, i) => {
    const r = pageMeasured[i]!;
    if (r.status !== 200) throw new Error(`${p.label}: HTTP ${r.status}, expected 200`);
    log(`limits: free, ${p.label}: HTTP ${r.status}, median ${ms(r.medianMs)}, p99 ${ms(r.p99Ms)}, max ${ms(r.maxMs)}`);
    return { ...p, status: r.status, runs: r.runs, medianMs: r.medianMs, p99Ms: r.p99Ms, maxMs: r.maxMs };
  });

  const memory: MemoryRow[] = [];
  const heaviest: Record<PlanName, ShapeName> = { free: 'words-budget', paid: 'max-batch' };
  for (const planName of ['free', 'paid'] as const) {
    const mine = specs.filter((s) => s.plan === planName && s.shape === heaviest[planName]);
    const requests: IsolateRequest[] = mine.map((s) => ({
      label: s.label,
      path: '/api/sentiment',
      body: JSON.parse(requestBody(s)) as unknown,
    }));
    try {
      const r = await measureIsolateMemory({ plan: planName, requests, log });
      const sizes = (row: { status: number; totalBytes: number; wasmBytes: number }) => ({
        status: row.status,
        totalBytes: row.totalBytes,
        wasmBytes: row.wasmBytes,
      });
      memory.push({ plan: planName, state: 'start', trace: false, label: 'after start-up', ...sizes(r.afterStart) });
      for (const [i, row] of r.afterEach.entries()) {
        const s = mine[i]!;
        memory.push({ plan: planName, state: s.shape, trace: s.trace, label: `after ${s.label}`, ...sizes(row) });
      }
    } catch (error) {
      failed(`memory-${planName}`, error);
    }
  }

  const size = o.size ?? (await measureSize(o.served));
  const measurements: Measurements = {
    cloudflare: CLOUDFLARE,
    targets: TARGETS,
    maxLength,
    plans,
    startupCpu,
    workerd,
    workerdAlone,
    nodeFirstRequest: { runsMs: nodeFirst.map((r) => r.ms), status: nodeFirst[0]?.status ?? Number.NaN },
    requestCpu,
    pageCpu,
    requestCpuSettings: settings,
    memory,
    script: { uploadBytes: size.upload.totalBytes, gzipBytes: size.upload.gzipBytes, line: size.upload.line },
    errors,
  };
  const checks = limitChecks(measurements);
  const over = checks.filter((c) => c.verdict === 'OVER');
  const overList = over.map((c) => `${c.plan} ${c.what}`).join('; ');
  log(`limits: ${checks.length - over.length} of ${checks.length} within${over.length ? `; OVER: ${overList}` : ''}`);
  return { ...measurements, checks };
}

// ---------------------------------------------------------------------------------------------------------
// Rendering

const LIMIT_NAMES: Record<LimitKind, string> = {
  'startup-cpu': 'start-up CPU',
  'request-cpu': 'CPU per request',
  memory: 'memory per isolate',
  'script-size': 'script size',
};

const WHERE: Record<LimitCheck['where'], string> = {
  workerd: 'workerd',
  'workerd-alone': 'workerd alone',
  node: 'Node',
  wrangler: 'wrangler',
};

const bytes = (n: number) => (n >= 2 ** 20 ? mib(n) : kib(n));

/** "128 MB" as Cloudflare writes it; other byte figures in MiB. */
function limitCell(c: Pick<LimitCheck, 'limit' | 'limitValue'>): string {
  if (c.limit === 'memory') return `${(c.limitValue / 1e6).toFixed(0)} MB (${mib(c.limitValue)})`;
  if (c.limit === 'script-size') return mib(c.limitValue);
  return c.limitValue >= 1000 ? `${int(c.limitValue / 1000)} s` : ms(c.limitValue);
}

/** CPU per request with two decimals: a figure next to the 10 ms limit must not round onto it. */
const cpu = (v: number) => (Number.isFinite(v) && v < 100 ? `${v.toFixed(2)} ms` : ms(v));

function measuredCell(c: LimitCheck): string {
  const x = c.context;
  switch (c.limit) {
    case 'startup-cpu':
      return `median **${ms(c.value)}** (max ${ms(x.max!)})`;
    case 'request-cpu': {
      const requests = plural(x.requests!, 'request');
      const median = `median ${cpu(x.median!)}`;
      if (c.statistic === 'p99') return `p99 **${cpu(c.value)}** (${median}, max ${cpu(x.max!)}; ${requests})`;
      const isolates = plural(x.isolates ?? 1, 'isolate');
      if (c.statistic === 'mean') return `mean **${cpu(c.value)}** (highest of ${isolates}; ${median}; ${requests})`;
      const background = x.background === undefined ? '' : `; V8 background threads up to ${cpu(x.background)}`;
      return `max **${cpu(c.value)}** (${median}; ${requests}${background})`;
    }
    case 'memory':
      return `**${mib(c.value)}** (wasm memory ${mib(x.wasm!)})`;
    case 'script-size':
      return `**${kib(c.value)}** (gzip ${kib(x.gzip!)})`;
  }
}

function targetCell(c: LimitCheck): string {
  const value = (v: number) => (c.limit === 'memory' ? mib(v) : ms(v));
  return c.targets.map((t) => `${t.label} ≤ ${value(t.value)}: ${t.met ? 'met' : '**missed**'}`).join('; ');
}

/** The paragraph above the table: the limits, the Worker's budgets, the overall verdict. */
function introduction(r: LimitsResult): string {
  const [free, paid] = [r.plans.free, r.plans.paid];
  const over = r.checks.filter((c) => c.verdict === 'OVER').length;
  const missed = r.checks.filter((c) => c.targets.some((t) => !t.met)).length;
  const startup = limitCell({ limit: 'startup-cpu', limitValue: r.cloudflare.startupCpuMs });
  const paidCpu = limitCell({ limit: 'request-cpu', limitValue: paid.cpuMsPerRequest });
  return [
    "Cloudflare's documented limits (https://developers.cloudflare.com/workers/platform/limits/):",
    `${startup} of start-up CPU for the global scope, ${ms(free.cpuMsPerRequest)} of CPU per request on Free and`,
    `${paidCpu} (the default) on Paid, 128 MB of memory per isolate (JS heap and wasm memory; read here as 10^6 bytes,`,
    `the stricter reading), and ${mib(r.cloudflare.scriptBytes)} of script, uncompressed, on every plan.`,
    `The Worker's budgets (its \`plan()\`): free ${int(free.wordsPerRequest)} words read and`,
    `${int(free.charsPerRequest)} characters per request, body up to ${bytes(free.maxBodyBytes)};`,
    `paid ${int(paid.wordsPerRequest)} words (${LIMITS.maxTexts} texts of the model's maximum length,`,
    `${int(r.maxLength)} words), body up to ${bytes(paid.maxBodyBytes)}.`,
    'Verdict: "within" when the figure in bold is at most the limit.',
    over ? `**${plural(over, 'row')} ${over === 1 ? 'is' : 'are'} OVER.**` : 'Every row is within its limit.',
    missed ? `${plural(missed, 'row')} ${missed === 1 ? 'misses' : 'miss'} a target.` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

function workerdAloneMethod(r: LimitsResult): string {
  const a = r.workerdAlone;
  if (!a) return `- CPU per request in workerd alone: **not measured**: ${r.errors['workerd-alone'] ?? 'no result'}.`;
  return [
    '- CPU per request in workerd alone (bench/plain-workerd.ts): the Worker bundled by `wrangler deploy --dry-run',
    "--outdir`, served by wrangler's own workerd binary from a generated configuration (PLAN free, no inspector, no",
    `dev proxy), ${plural(a.runs.length, 'fresh isolate')}. Once workerd listens and its process has used no CPU for`,
    'two half seconds in a row (V8 compiles hot wasm functions in the background for a few seconds after start-up;',
    `start-up took ${a.runs.map((x) => ms(x.startupMs)).join(', ')} of CPU, all threads), one POST`,
    `/api/sentiment (${a.label}), then ${a.runs[0]?.laterMs.length ?? 0} more. CPU is read per thread`,
    "(`/proc/<pid>/task/*/schedstat`) before and after each request. The isolate runs on workerd's main thread: its",
    "CPU (which also holds workerd's HTTP handling) is the request's, the figure in the table. V8's background",
    'threads (concurrent tier-up compilation of hot wasm functions, GC helpers) serve every isolate of the process',
    'and are shown apart: now and then one request sees a few milliseconds of them. First requests:',
    `${a.runs.map((x) => ms(x.firstMs)).join(', ')}; V8 background threads during all requests: max`,
    `${cpu(Math.max(...a.runs.flatMap((x) => x.backgroundMs)))}.`,
  ].join(' ');
}

function workerdMethod(r: LimitsResult): string {
  const w = r.workerd;
  if (!w) return `- CPU per request in workerd: **not measured**: ${r.errors.workerd ?? 'no result'}.`;
  const yes = (ok: boolean) => (ok ? 'yes' : '**no**');
  const firsts = w.isolates.map((x) => x.first);
  return [
    `- CPU per request in workerd: \`wrangler dev --var PLAN:free --inspector-port N\`,`,
    `${plural(w.isolates.length, 'fresh isolate')}. Once wrangler prints "Ready on" (no request has reached the`,
    'isolate, not even /healthz) the inspector connects: `Profiler.enable`,',
    `\`Profiler.setSamplingInterval\` ${w.samplingIntervalUs} µs, \`Profiler.start\`, one POST /api/sentiment`,
    `(${w.shapes[0]?.label ?? ''}), \`Profiler.stop\`. Then, for each kind of request`,
    `(${w.shapes.map((x) => x.label).join('; ')}), ${w.isolates[0]?.later[0]?.profile.requests ?? 0} plain ones`,
    'in a row under one profile and as many with `"trace": true` under another: their CPU per request is the mean',
    "over the run, as one profile per ~2 ms request is not usable (V8's sampler thread misses ticks on a busy",
    'machine, and a request sometimes gets no sample at all). V8 samples only while the isolate runs, so the',
    "first sample after a wait carries the whole wait: each sample's time counts up to twice the cadence the",
    `samples came at (median ${int(median(firsts.map((x) => x.cadenceUs)))} µs in the first requests).`,
    'The plain sum of the non-idle samples (the start-up rule) gave',
    `${firsts.map((x) => ms(x.rawMs)).join(', ')} for the first request(s).`,
    `The first request of each isolate measured ${firsts.map((x) => ms(x.cpuMs)).join(', ')} under the profiler,`,
    'most of it in one ONNX Runtime function that later requests barely reach. With no profiler running it is also',
    'some 15 to 40 ms slower than later ones (wall time) under wrangler dev, and not in workerd alone: something',
    'wrangler dev adds (most likely the inspector it keeps attached to the isolate; not isolated further) slows the',
    "first ONNX Runtime run. Production runs neither, so the table's first-request row is measured in workerd alone",
    '(above).',
    `Checks: the first request's profile has samples (${firsts.map((x) => x.samples).join(', ')}):`,
    `${yes(w.verified.firstHasSamples)}; a 200 ms profile with no request costs < 1 ms (start-up is over):`,
    `${yes(w.verified.idleIsQuiet)}; a trace request costs more than a plain one (${w.shapes.at(-1)?.label},`,
    'medians of the means; on one review the difference is within the sampling noise):',
    `${yes(w.verified.traceCostsMore)}. Sampled figures are approximate.`,
  ].join(' ');
}

export function renderLimits(r: LimitsResult): string[] {
  const rows = r.checks.map((c) => [
    LIMIT_NAMES[c.limit],
    c.plan,
    WHERE[c.where],
    c.what,
    c.words === undefined ? '' : int(c.words),
    c.status === undefined ? '' : String(c.status),
    measuredCell(c),
    limitCell(c),
    c.verdict === 'within' ? 'within' : '**OVER**',
    targetCell(c),
  ]);
  const { free, paid } = r.requestCpuSettings;
  const memoryErrors = [r.errors['memory-free'], r.errors['memory-paid']].filter(Boolean);
  const startupRuns = r.startupCpu.runsMs;
  return [
    '## Cloudflare limits',
    '',
    introduction(r),
    '',
    table(['limit', 'plan', 'where', 'what', 'words read', 'HTTP', 'measured', 'limit', 'verdict', 'target'], rows, [
      'l',
      'l',
      'l',
      'l',
      'r',
      'r',
      'r',
      'r',
      'l',
      'l',
    ]),
    '',
    'How each was measured:',
    '',
    [
      '- Start-up CPU: `wrangler check startup` (bundles the Worker as `wrangler deploy` does and loads it in',
      `workerd under V8's profiler), ${plural(startupRuns.length, 'run')}:`,
      `${startupRuns.map((x) => ms(x)).join(', ')};`,
      'CPU is the profile\'s samples not "(idle)", what wrangler prints as "Active".',
    ].join(' '),
    workerdAloneMethod(r),
    workerdMethod(r),
    [
      '- First request in Node: a fresh Node process (bench/first-request.ts) starts the app as the Worker starts',
      "(model loaded and warmed up), then times one request with the thread's CPU clock;",
      `${plural(r.nodeFirstRequest.runsMs.length, 'process', 'processes')}.`,
    ].join(' '),
    [
      "- CPU per request in Node: the Worker's app (src/worker, started as src/worker/index.ts starts it) on ONNX",
      "Runtime's wasm build, the same kernels as in workerd; requests through `app.request` (routing, body parsing",
      "and validation, tokenizer, inference, JSON answer), each timed with the thread's CPU clock",
      "(CLOCK_THREAD_CPUTIME_ID), as workerd's own clocks stand still during a request.",
      `Free: ${free.runs} runs per row after ${free.warmUpMs / 1000} s of warm-up; paid: ${paid.runs} runs after`,
      `${paid.warmUpMs / 1000} s; the rows interleaved. Texts are real IMDB test reviews; each request is sent once`,
      'beforehand and must answer the status shown (413: over the budget, refused before inference) and read the words',
      'shown. The GET rows (the pages and the how-it-reads API) are timed the same way, on the free plan, and must',
      'answer 200. The verdict is on p99.',
    ].join(' '),
    [
      '- Memory per isolate: `wrangler dev --var PLAN:<plan> --inspector-port N`, a V8 heap snapshot of the isolate',
      '(`HeapProfiler.takeHeapSnapshot`, after a garbage collection) after start-up and after each request in turn.',
      "Total is the sum of every node's self size (JS heap, ArrayBuffers, compiled wasm code); wasm memory is ONNX",
      "Runtime's WebAssembly.Memory, which only grows, so it also holds the peak of the requests before.",
      memoryErrors.length ? `**Failed:** ${memoryErrors.join('; ')}.` : '',
    ]
      .filter(Boolean)
      .join(' '),
    `- Script size: \`${r.script.line}\` from \`wrangler deploy --dry-run\`, against ` +
      `${mib(r.cloudflare.scriptBytes)} uncompressed.`,
    '',
  ];
}
