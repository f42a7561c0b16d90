/**
 * Measures what the README reports about serving, from outside the Worker (workerd's clocks do not advance
 * during a request):
 *
 *   npm run measure -- node    onnxruntime-web in Node (same wasm kernels as the Worker): wasm flavours,
 *                              session creation per graph optimisation level, time per review
 *   npm run measure -- cold    process start of `wrangler dev` to the first successful POST /api/sentiment
 *   npm run measure -- load    autocannon latency against `wrangler dev` (or, with --url URL, against a
 *                              server already running, e.g. `npm start` at http://127.0.0.1:8787)
 *
 * The review used is the IMDB test review of median length when ../shared/data/imdb is there, otherwise a
 * fixed ~230-word review.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import * as ort from 'onnxruntime-web';
import type { ModelMetadata } from '../src/model/metadata.ts';
import { encode, splitWords, Vocabulary, type VocabularyFile } from '../src/tokenizer/index.ts';
import { loadSplit } from '../train/data.ts';
import { PARITY_REVIEWS } from '../tests/fixtures/reviews.ts';
import { ROOT, spawnDevServer, waitFor } from './dev-server.ts';

const args = process.argv.slice(2);
const stringOption = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const sections = args.filter((a) => ['node', 'cold', 'load'].includes(a));
const run = new Set(sections.length > 0 ? sections : ['node', 'cold', 'load']);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 0)} ms`;

/** The review the numbers are for: an IMDB test review of about 230 words (the "median review"). */
function typicalReview(target = 230): { text: string; words: number; source: string } {
  try {
    const { reviews } = loadSplit('test');
    const sized = reviews.map((r) => ({ text: r.text, words: splitWords(r.text).length }));
    const lengths = sized.map((r) => r.words);
    const closest = sized.reduce((best, r) => (Math.abs(r.words - target) < Math.abs(best.words - target) ? r : best));
    return { ...closest, source: `IMDB test review of ${closest.words} words (median test review: ${median(lengths)} words)` };
  } catch {
    const words = splitWords(Array.from({ length: 3 }, () => PARITY_REVIEWS.at(-1)!).join(' ')).slice(0, target);
    return { text: words.join(' '), words: words.length, source: `fixed ${words.length}-word review (no IMDB data found)` };
  }
}

async function measureNode(review: string) {
  const metadata = JSON.parse(readFileSync(join(ROOT, 'model/metadata.json'), 'utf8')) as ModelMetadata;
  const vocabulary = new Vocabulary(JSON.parse(readFileSync(join(ROOT, 'model', metadata.tokenizer.vocabFile), 'utf8')) as VocabularyFile);
  const modelBytes = readFileSync(join(ROOT, 'model', metadata.onnx.file));
  console.log(`\n## onnxruntime-web ${ort.env.versions.web} in Node ${process.version} (single thread)`);

  console.log('\n| wasm flavour | bytes | WebAssembly.compile |\n| --- | ---: | ---: |');
  for (const flavour of ['ort-wasm-simd-threaded', 'ort-wasm-simd-threaded.jspi', 'ort-wasm-simd-threaded.asyncify', 'ort-wasm-simd-threaded.jsep']) {
    const file = join(ROOT, 'node_modules/onnxruntime-web/dist', `${flavour}.wasm`);
    const bytes = readFileSync(file);
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      await WebAssembly.compile(bytes);
      times.push(performance.now() - t);
    }
    console.log(`| ${flavour}.wasm | ${statSync(file).size.toLocaleString('en-US')} | ${ms(median(times))} |`);
  }

  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
  const { maxLength, truncation } = metadata.tokenizer;
  const ids = encode(review, vocabulary, { maxLength, truncation }).ids;
  const feeds = () => ({ [metadata.onnx.input]: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]) });
  const outputs = [metadata.onnx.outputs.score];

  console.log(`\nmodel ${metadata.onnx.file}: ${modelBytes.length.toLocaleString('en-US')} bytes; review: ${ids.length} ids`);
  const create = (level: 'disabled' | 'basic' | 'extended' | 'all') =>
    ort.InferenceSession.create(modelBytes, { executionProviders: ['wasm'], graphOptimizationLevel: level });
  const t0 = performance.now();
  await (await create('all')).release();
  console.log(`first session (starts the runtime: instantiate wasm + session): ${ms(performance.now() - t0)}`);

  console.log('\n| graph optimisation | session create (median of 5) | run (median of 200) |\n| --- | ---: | ---: |');
  for (const level of ['disabled', 'basic', 'extended', 'all'] as const) {
    const creates: number[] = [];
    let session: ort.InferenceSession | undefined;
    for (let i = 0; i < 5; i++) {
      await session?.release();
      const t = performance.now();
      session = await create(level);
      creates.push(performance.now() - t);
    }
    for (let i = 0; i < 20; i++) await session!.run(feeds(), outputs);
    const runs: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      await session!.run(feeds(), outputs);
      runs.push(performance.now() - t);
    }
    console.log(`| ${level} | ${ms(median(creates))} | ${ms(median(runs))} |`);
    await session!.release();
  }

  const encodes: number[] = [];
  for (let i = 0; i < 500; i++) {
    const t = performance.now();
    encode(review, vocabulary, { maxLength, truncation });
    encodes.push(performance.now() - t);
  }
  console.log(`\ntokenize the review: ${ms(median(encodes))} (median of 500)`);
  const t = performance.now();
  new Vocabulary(JSON.parse(readFileSync(join(ROOT, 'model', metadata.tokenizer.vocabFile), 'utf8')) as VocabularyFile);
  console.log(`parse vocab.json + build the vocabulary: ${ms(performance.now() - t)}`);
}

const body = (text: string) => JSON.stringify({ text });
const post = (url: string, text: string) =>
  fetch(`${url}/api/sentiment`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: body(text) });

async function measureCold(review: string, times: number) {
  console.log(`\n## Cold start: spawn \`wrangler dev\` -> first 200 from POST /api/sentiment (${times} runs)`);
  console.log('\n| run | wrangler "Ready" | first 200 | that request | next request |\n| ---: | ---: | ---: | ---: | ---: |');
  const firsts: number[] = [];
  for (let i = 1; i <= times; i++) {
    const server = await spawnDevServer();
    try {
      let ready = NaN;
      await waitFor(
        async () => {
          if (Number.isNaN(ready) && server.output().includes('Ready on')) ready = performance.now() - server.startedAt;
          return server.output().includes('Ready on') || false;
        },
        60_000,
        'Ready',
        server.output,
      );
      let request = NaN;
      await waitFor(
        async () => {
          const t = performance.now();
          const ok = (await post(server.url, review)).status === 200;
          request = performance.now() - t;
          return ok;
        },
        60_000,
        'a 200',
        server.output,
      );
      const first = performance.now() - server.startedAt;
      const t = performance.now();
      await (await post(server.url, review)).text();
      const next = performance.now() - t;
      firsts.push(first);
      console.log(`| ${i} | ${ms(ready)} | ${ms(first)} | ${ms(request)} | ${ms(next)} |`);
    } finally {
      await server.stop();
    }
  }
  console.log(`\nmedian process start -> first 200: ${ms(median(firsts))}`);
}

async function measureLoad(review: string, seconds: number, url?: string) {
  const server = url ? { url, output: () => '', stop: async () => undefined } : await spawnDevServer();
  try {
    await waitFor(async () => (await post(server.url, review)).status === 200, 60_000, 'a 200', server.output);
    console.log(`\n## autocannon against \`wrangler dev\` (${seconds} s each)`);
    console.log('\n| request | connections | req/s | p50 | p90 | p99 | max | errors / non-2xx |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    const cases = [
      { name: 'GET /healthz (no inference: the baseline)', path: '/healthz', method: 'GET', connections: 1 },
      { name: 'POST /api/sentiment', path: '/api/sentiment', method: 'POST', connections: 1 },
      { name: 'POST /api/sentiment', path: '/api/sentiment', method: 'POST', connections: 8 },
    ];
    for (const c of cases) {
      const result = await autocannon({
        url: `${server.url}${c.path}`,
        method: c.method,
        ...(c.method === 'POST' ? { headers: { 'Content-Type': 'application/json' }, body: body(review) } : {}),
        connections: c.connections,
        duration: seconds,
      });
      const l = result.latency;
      console.log(
        `| ${c.name} | ${c.connections} | ${result.requests.average.toFixed(0)} | ${l.p50} ms | ${l.p90} ms | ${l.p99} ms | ${l.max} ms | ${result.errors + result.timeouts} / ${result.non2xx} |`,
      );
    }
  } finally {
    await server.stop();
  }
}

const review = typicalReview();
console.log(`Review: ${review.source}.`);
if (run.has('node')) await measureNode(review.text);
if (run.has('cold')) await measureCold(review.text, option('runs', 5));
if (run.has('load')) await measureLoad(review.text, option('seconds', 10), stringOption('url'));
