/**
 * Starting the model: refusal of model files that do not belong together, and what the app answers when its
 * model could not be started (ONNX Runtime cannot be started twice in one isolate, so it is not retried).
 */
import { describe, expect, it } from 'vitest';
import type { ModelMetadata } from '../../src/model/metadata.ts';
import { type ModelFiles, ModelMismatchError } from '../../src/model/model-files.ts';
import { SerialQueue } from '../../src/model/queue.ts';
import { TokenizerVersionError } from '../../src/tokenizer/index.ts';
import { createApp } from '../../src/worker/app.ts';
import { bundledModelFiles } from '../../src/worker/model/bundled.ts';
import { expectError, loadModel, ORIGIN } from './helpers.ts';

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

const postText = (app: ReturnType<typeof createApp>) =>
  request(app, '/api/sentiment', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: '{"text":"good"}',
  });

describe('a model that could not be started', () => {
  it('answers 503 model_unavailable with the reason and Retry-After to every request that needs it', async () => {
    const app = createApp({
      metadata: files.metadata,
      model: Promise.reject(new Error('simulated start-up failure.')),
    });
    for (const response of [await request(app, '/healthz'), await postText(app), await postText(app)]) {
      expect(response.headers.get('Retry-After')).toBe('1');
      const message = await expectError(response, 503, 'model_unavailable');
      expect(message).toContain('simulated start-up failure');
    }
  });

  it('still serves the page and /api/model', async () => {
    const app = createApp({ metadata: files.metadata, model: Promise.reject(new Error('down')) });
    expect((await request(app, '/')).status).toBe(200);
    expect((await request(app, '/api/model')).status).toBe(200);
  });

  it('answers requests that arrive while the model starts once it has started', async () => {
    let started!: (value: Awaited<ReturnType<typeof loadModel>>) => void;
    const app = createApp({ metadata: files.metadata, model: new Promise((resolve) => (started = resolve)) });
    const pending = Promise.all(Array.from({ length: 5 }, () => postText(app)));
    started(await loadModel(files));
    expect((await pending).map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
  });
});

describe('refusing model files that do not match', () => {
  const cases: Array<[string, (m: ModelMetadata, v: ModelFiles['vocabulary']) => void, RegExp]> = [
    [
      'another tokenizer version in the metadata',
      (m) => (m.tokenizer.version = 'imdb-words-v0'),
      /tokenizer "imdb-words-v0"/,
    ],
    [
      'a vocabulary built by another tokenizer',
      (m, v) => (v.tokenizerVersion = `${m.tokenizer.version}-old`),
      /vocabulary was built by tokenizer/,
    ],
    ['a vocabulary of another size', (_m, v) => v.words.push('extra-word'), /vocabSize/],
    ['an embedding of another size', (m) => (m.architecture.vocabSize += 1), /embedding has/],
    ['a scoring graph of another size', (m) => (m.onnx.scoring.bytes += 1), /sentiment\.onnx has \d+ bytes/],
    ['a trace graph of another size', (m) => (m.onnx.trace!.bytes += 1), /trace\.onnx has \d+ bytes/],
    ['another input name', (m) => (m.onnx.scoring.input = 'tokens'), /does not have the input "tokens"/],
    ['a states output the scoring graph does not have', (m) => (m.onnx.scoring.outputs.states = 'hidden'), /"hidden"/],
    ['a trace output the trace graph does not have', (m) => (m.onnx.trace!.output = 'steps'), /"steps"/],
  ];

  it.each(cases)('refuses %s at start, with a clear error', async (_name, change, pattern) => {
    const error = await loadModel(altered(change)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(
      [ModelMismatchError, TokenizerVersionError].some((type) => error instanceof type),
      String(error),
    ).toBe(true);
    expect((error as Error).message).toMatch(pattern);
  });

  it('answers 503 naming the mismatch when the app is given such files', async () => {
    const app = createApp({ metadata: files.metadata, model: loadModel(altered((_m, v) => v.words.pop())) });
    const message = await expectError(await request(app, '/healthz'), 503, 'model_unavailable');
    expect(message).toMatch(/the vocabulary has \d+ words but metadata\.json says vocabSize \d+/);
  });
});

describe('SerialQueue', () => {
  it('never runs two jobs at once and keeps going after a failure', async () => {
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
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : 'x'))).toEqual([0, 1, 2, 'x', 4, 5, 6, 7]);
  });
});
