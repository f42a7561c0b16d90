import { describe, expect, it } from 'vitest';
import {
  CLOUDFLARE,
  type LimitsResult,
  limitChecks,
  type ProfiledRequest,
  profileCpu,
  type RequestCpuRow,
  renderLimits,
  TARGETS,
  verdict,
  wordSplit,
} from '../../bench/limits.ts';
import { plan } from '../../src/worker/contract/limits.ts';

const MAX_LENGTH = 800;
const MiB = 2 ** 20;

function profiled(cpuMs: number, requests = 1): ProfiledRequest {
  return { requests, status: requests ? 200 : 0, wallMs: 20, samples: 40, rawMs: cpuMs + 5, cpuMs, cadenceUs: 120 };
}

function cpuRow(over: Partial<RequestCpuRow>): RequestCpuRow {
  return {
    shape: 'single-230',
    plan: 'free',
    trace: false,
    label: '1 × 230 words',
    texts: 1,
    chars: 1300,
    wordsRead: 230,
    bodyBytes: 1320,
    status: 200,
    runs: 200,
    medianMs: 1.2,
    p99Ms: 2,
    maxMs: 3,
    ...over,
  };
}

/** Fixed measurements: one row of each kind, some within and some over. */
function results(): LimitsResult {
  const measurements: Omit<LimitsResult, 'checks'> = {
    cloudflare: CLOUDFLARE,
    targets: TARGETS,
    maxLength: MAX_LENGTH,
    plans: { free: plan('free', MAX_LENGTH), paid: plan('paid', MAX_LENGTH) },
    startupCpu: { runsMs: [300, 350, 500], medianMs: 350 },
    workerdAlone: {
      label: '1 × 230 words',
      words: 230,
      runs: [
        { firstMs: 6, laterMs: [2, 3], backgroundMs: [0.5, 0, 4], status: 200, idleMs: 0, startupMs: 1400 },
        { firstMs: 12, laterMs: [2.5], backgroundMs: [1, 0.2], status: 200, idleMs: 0, startupMs: 1500 },
      ],
    },
    workerd: {
      samplingIntervalUs: 50,
      shapes: [{ shape: 'single-230', label: '1 × 230 words', words: 230 }],
      isolates: [
        {
          idle: profiled(0, 0),
          first: profiled(45),
          later: [
            { shape: 'single-230', trace: false, profile: profiled(20, 10) },
            { shape: 'single-230', trace: true, profile: profiled(30, 10) },
          ],
        },
      ],
      verified: { firstHasSamples: true, idleIsQuiet: true, traceCostsMore: true },
    },
    nodeFirstRequest: { runsMs: [20, 22], status: 200 },
    requestCpu: [
      cpuRow({}),
      cpuRow({ shape: 'words-budget', trace: true, label: 'the word budget, trace', wordsRead: 2000, p99Ms: 10.5 }),
      cpuRow({ shape: 'over-words', label: 'over budget', wordsRead: 2001, status: 413, p99Ms: 1.5 }),
      cpuRow({ shape: 'max-batch', plan: 'paid', label: '64 × 800 words', wordsRead: 51_200, p99Ms: 190, maxMs: 190 }),
    ],
    pageCpu: [
      {
        id: 'how-text',
        label: 'GET /how?text=',
        path: '/how?text=x',
        wordsRead: 230,
        status: 200,
        runs: 200,
        medianMs: 3,
        p99Ms: 11,
        maxMs: 12,
      },
    ],
    requestCpuSettings: { free: { runs: 200, warmUpMs: 3000 }, paid: { runs: 10, warmUpMs: 3000 } },
    memory: [
      { plan: 'free', state: 'start', trace: false, label: 'after start-up', status: 200, totalBytes: 9, wasmBytes: 1 },
      {
        plan: 'paid',
        state: 'max-batch',
        trace: true,
        label: 'after 64 × 800 words, trace',
        status: 200,
        totalBytes: 80 * MiB,
        wasmBytes: 50 * MiB,
      },
    ],
    script: { uploadBytes: 15_000 * 1024, gzipBytes: 5_000 * 1024, line: 'Total Upload: 15000.00 KiB / gzip: 5000.00' },
    errors: {},
  };
  return { ...measurements, checks: limitChecks(measurements) };
}

describe('bench limits', () => {
  it('a figure at the limit is within, above it OVER', () => {
    expect(verdict(10, 10)).toBe('within');
    expect(verdict(10.01, 10)).toBe('OVER');
  });

  it("checks each row against its plan's limit, on p99 for requests, with targets where there are some", () => {
    const checks = results().checks;
    const find = (what: string) => checks.find((c) => c.what === what)!;
    const startup = checks.find((c) => c.limit === 'startup-cpu')!;
    expect(startup).toMatchObject({ value: 350, limitValue: 1000, verdict: 'within' });
    expect(startup.targets).toEqual([{ label: 'target', value: 400, met: true }]);
    const first = find('first request in a fresh isolate, 1 × 230 words');
    expect(first).toMatchObject({ where: 'workerd-alone', value: 12, statistic: 'max', verdict: 'OVER' });
    // V8's background threads are context, not the request's CPU.
    expect(first.context).toEqual({ median: 6, requests: 2, background: 1 });
    expect(checks.find((c) => c.id === 'workerd-alone-later:single-230')).toMatchObject({
      value: 3,
      verdict: 'within',
      context: { median: 2.5, requests: 3, background: 4 },
    });
    // Under wrangler dev's inspector the first request is not a row: the inspector inflates it.
    expect(checks.some((c) => c.id.startsWith('workerd-first'))).toBe(false);
    const later = find('later requests, 1 × 230 words, trace');
    expect(later).toMatchObject({ value: 3, statistic: 'mean', verdict: 'within', context: { requests: 10 } });
    expect(find('first request in a fresh Node process, 1 × 230 words')).toMatchObject({ value: 22, verdict: 'OVER' });
    const budget = find('the word budget, trace');
    expect(budget).toMatchObject({ plan: 'free', value: 10.5, limitValue: 10, verdict: 'OVER', words: 2000 });
    expect(find('over budget')).toMatchObject({ status: 413, verdict: 'within' });
    expect(find('64 × 800 words')).toMatchObject({ plan: 'paid', limitValue: 30_000, verdict: 'within' });
    expect(find('after 64 × 800 words, trace')).toMatchObject({
      limit: 'memory',
      limitValue: 128e6,
      verdict: 'within',
      targets: [
        { label: 'must', met: true },
        { label: 'aim', met: false },
      ],
    });
    expect(checks.find((c) => c.limit === 'script-size')).toMatchObject({ value: 15_000 * 1024, verdict: 'within' });
    expect(find('GET /how?text=')).toMatchObject({
      plan: 'free',
      value: 11,
      limitValue: 10,
      words: 230,
      verdict: 'OVER',
    });
    expect(checks.filter((c) => c.verdict === 'OVER')).toHaveLength(4);
  });

  it('gives every row a stable key: what was measured, where, on which plan', () => {
    const checks = results().checks;
    expect(checks.map((c) => c.id)).toEqual([
      'startup-cpu',
      'workerd-alone-first:single-230',
      'workerd-alone-later:single-230',
      'workerd-later:single-230',
      'workerd-later:single-230:trace',
      'node-first:single-230',
      'node:free:single-230',
      'node:free:words-budget:trace',
      'node:free:over-words',
      'node:paid:max-batch',
      'node:free:get:how-text',
      'memory:free:start',
      'memory:paid:max-batch:trace',
      'script-size',
    ]);
    expect(checks.find((c) => c.id === 'node:free:words-budget:trace')).toMatchObject({
      what: 'the word budget, trace',
      verdict: 'OVER',
    });
  });

  it('renders one table with a verdict per row, and says how each figure was measured', () => {
    const md = renderLimits(results()).join('\n');
    expect(md).toContain('## Cloudflare limits');
    expect(md).toContain('| limit | plan | where | what | words read | HTTP | measured | limit | verdict | target |');
    const tableRows = md.match(/^\| (start-up CPU|CPU per request|memory per isolate|script size) \|/gm);
    expect(tableRows).toHaveLength(results().checks.length);
    expect(md).toContain(
      '| CPU per request | free | Node | the word budget, trace | 2,000 | 200 | ' +
        'p99 **10.50 ms** (median 1.20 ms, max 3.00 ms; 200 requests) | 10.0 ms | **OVER** |  |',
    );
    expect(md).toContain('| start-up CPU | all | wrangler |');
    expect(md).toContain('median **350 ms** (max 500 ms) | 1 s | within | target ≤ 400 ms: met |');
    expect(md).toContain(
      '**80.0 MiB** (wasm memory 50.0 MiB) | 128 MB (122.1 MiB) | within | ' +
        'must ≤ 96.0 MiB: met; aim ≤ 64.0 MiB: **missed** |',
    );
    expect(md).toContain('| 64 × 800 words | 51,200 | 200 | p99 **190 ms**');
    expect(md).toContain('**4 rows are OVER.**');
    expect(md).toContain(
      '| later requests, 1 × 230 words | 230 | 200 | ' +
        'mean **2.00 ms** (highest of 1 isolate; median 2.00 ms; 10 requests) |',
    );
    expect(md).toContain('`wrangler check startup`');
    expect(md).toContain('`Profiler.setSamplingInterval` 50 µs');
    expect(md).toContain(
      '| CPU per request | free | workerd alone | first request in a fresh isolate, 1 × 230 words |',
    );
    expect(md).toContain('First requests: 6.00 ms, 12.0 ms; V8 background threads during all requests: max 4.00 ms.');
    expect(md).toContain('The first request of each isolate measured 45.0 ms under the profiler');
  });

  it('says so when the profile in workerd could not be taken', () => {
    const r = results();
    const md = renderLimits({ ...r, workerd: null, errors: { workerd: 'no inspector target' } }).join('\n');
    expect(md).toContain('CPU per request in workerd: **not measured**: no inspector target.');
  });

  it("estimates a request's CPU from a profile without counting the wait before its first sample", () => {
    const nodes = [
      { id: 1, callFrame: { functionName: '(idle)' } },
      { id: 2, callFrame: { functionName: 'run' } },
      { id: 3, callFrame: { functionName: '(program)' } },
    ];
    // Idle, then a 12 ms wait carried by the first running sample, then samples every 120 µs.
    const samples = [1, 2, 2, 2, 3, 2];
    const timeDeltas = [5_000, 12_000, 120, 120, 120, 120];
    const p = profileCpu({ nodes, samples, timeDeltas, startTime: 0, endTime: 20_000 }, 50);
    expect(p.samples).toBe(5);
    expect(p.rawMs).toBeCloseTo(12.48);
    expect(p.cadenceUs).toBe(120);
    expect(p.cpuMs).toBeCloseTo((240 + 4 * 120) / 1000);
    expect(p.wallMs).toBe(20);
  });

  it("splits a word budget into texts of the model's maximum length and the rest", () => {
    expect(wordSplit(2000, 800)).toEqual([800, 800, 400]);
    expect(wordSplit(1600, 800)).toEqual([800, 800]);
    expect(wordSplit(2001, 800)).toEqual([800, 800, 401]);
  });
});
