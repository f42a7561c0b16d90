/**
 * Loading the model: once per isolate, 503 with a clear error when it fails and a retry on the next request,
 * and refusal of model files that do not belong together.
 */
import { describe, expect, it } from 'vitest';
import type { ModelMetadata } from '../../src/model/metadata.ts';
import { TokenizerVersionError } from '../../src/tokenizer/index.ts';
import type { Scorer } from '../../src/worker/api/analyse.ts';
import { createApp } from '../../src/worker/index.ts';
import { bundledModelFiles } from '../../src/worker/model/bundled.ts';
import { Lazy } from '../../src/worker/model/lazy.ts';
import { SerialQueue } from '../../src/worker/model/queue.ts';
import { ModelMismatchError, SentimentModel, type ModelFiles } from '../../src/worker/model/sentiment-model.ts';
import { expectError, ORIGIN } from './helpers.ts';

const files = bundledModelFiles();

/** The bundled files with parts of the metadata or vocabulary replaced. */
function altered(change: (metadata: ModelMetadata, vocabulary: ModelFiles['vocabulary']) => void): ModelFiles {
  const copy = structuredClone({ metadata: files.metadata, vocabulary: files.vocabulary });
  change(copy.metadata, copy.vocabulary);
  return { ...files, ...copy };
}

function request(app: ReturnType<typeof createApp>, path: string, init?: RequestInit) {
  return app.request(`${ORIGIN}${path}`, init);
}

describe('model loading', () => {
  it('answers 503 with a clear error while loading fails, and retries on the next request', async () => {
    let attempts = 0;
    const real = await SentimentModel.load(files);
    const app = createApp({
      metadata: files.metadata,
      loadModel: async () => {
        attempts++;
        if (attempts <= 2) throw new Error('simulated start-up failure');
        return real;
      },
    });
    const message = await expectError(await request(app, '/healthz'), 503, 'model_unavailable');
    expect(message).toContain('simulated start-up failure');
    const post = () => request(app, '/api/sentiment', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"text":"good"}' });
    await expectError(await post(), 503, 'model_unavailable');
    expect(attempts).toBe(2);
    const ok = await request(app, '/healthz');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: 'ok' });
    expect((await post()).status).toBe(200);
    await request(app, '/healthz');
    expect(attempts).toBe(3);
  });

  it('loads once however many requests arrive while it loads', async () => {
    let loads = 0;
    const real = await SentimentModel.load(files);
    const app = createApp({
      metadata: files.metadata,
      loadModel: async () => {
        loads++;
        await new Promise((resolve) => setTimeout(resolve, 20));
        return real;
      },
    });
    const responses = await Promise.all(Array.from({ length: 10 }, () => request(app, '/healthz')));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(loads).toBe(1);
  });

  it('still serves the page and /api/model while the model is unavailable', async () => {
    const app = createApp({ metadata: files.metadata, loadModel: () => Promise.reject(new Error('down')) });
    expect((await request(app, '/')).status).toBe(200);
    expect((await request(app, '/api/model')).status).toBe(200);
  });
});

describe('refusing model files that do not match', () => {
  const cases: Array<[string, (m: ModelMetadata, v: ModelFiles['vocabulary']) => void, RegExp]> = [
    ['another tokenizer version in the metadata', (m) => (m.tokenizer.version = 'imdb-words-v0'), /tokenizer "imdb-words-v0"/],
    ['a vocabulary built by another tokenizer', (m, v) => (v.tokenizerVersion = m.tokenizer.version + '-old'), /vocab\.json was built by tokenizer/],
    ['a vocabulary of another size', (_m, v) => v.words.push('extra-word'), /vocabSize/],
    ['an embedding of another size', (m) => (m.architecture.vocabSize += 1), /embedding has/],
    ['model bytes of another size', (m) => (m.onnx.bytes += 1), /bytes/],
    ['another input name', (m) => (m.onnx.input = 'tokens'), /does not have the input "tokens"/],
    ['a trace output the graph does not have', (m) => (m.onnx.outputs.trace = 'steps'), /outputs "score" and "steps"/],
  ];

  it.each(cases)('refuses %s at start, with a clear error', async (_name, change, pattern) => {
    const error = await SentimentModel.load(altered(change)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect([ModelMismatchError, TokenizerVersionError].some((type) => error instanceof type)).toBe(true);
    expect((error as Error).message).toMatch(pattern);
  });

  it('answers 503 naming the mismatch when the Worker is given such files', async () => {
    const app = createApp({ metadata: files.metadata, loadModel: () => SentimentModel.load(altered((_m, v) => v.words.pop())) });
    const message = await expectError(await request(app, '/healthz'), 503, 'model_unavailable');
    expect(message).toMatch(/vocab\.json has \d+ words but model\/metadata\.json says vocabSize \d+/);
  });
});

describe('building blocks', () => {
  it('SerialQueue never runs two jobs at once and keeps going after a failure', async () => {
    const queue = new SerialQueue();
    let running = 0;
    let most = 0;
    const job = (i: number) => async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 1));
      running--;
      if (i === 3) throw new Error('job 3 fails');
      return i;
    };
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => queue.run(job(i))));
    expect(most).toBe(1);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect(queue.size).toBe(0);
  });

  it('Lazy shares one creation and retries after a failure', async () => {
    let calls = 0;
    const lazy = new Lazy<Scorer | number>(async () => {
      calls++;
      if (calls === 1) throw new Error('first fails');
      return calls;
    });
    await expect(lazy.get()).rejects.toThrow('first fails');
    const [a, b] = await Promise.all([lazy.get(), lazy.get()]);
    expect([a, b, calls]).toEqual([2, 2, 2]);
    expect(lazy.peek()).toBe(2);
  });
});
