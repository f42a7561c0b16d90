/**
 * The training pipeline end to end on generated data: `npm run train -- --quick` trains, exports model files,
 * and the exported int8 model loads in onnxruntime-web and scores; an interrupted run resumes exactly.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelMetadata } from '../../src/model/metadata.ts';
import { TOKENIZER_VERSION } from '../../src/tokenizer/index.ts';
import { loadFloatModel } from '../../train/artifacts.ts';
import { selectBackend } from '../../train/backend.ts';
import { checkpointExists } from '../../train/checkpoint.ts';
import { openModelFolder } from '../../train/model-folder.ts';
import { SILENT } from '../../train/progress.ts';
import { loadRun } from '../../train/run-folder.ts';
import { scoreWithTfjs } from '../../train/score-tfjs.ts';
import type { TrainResult, TrainSettings } from '../../train/settings.ts';
import { train } from '../../train/train.ts';
import { writeSyntheticImdb } from './fixtures/synthetic-imdb.ts';

const run = promisify(execFile);
/** A checkpoint's state.json `state`, as JSON (older runs hold keys this code no longer writes). */
// biome-ignore lint/suspicious/noExplicitAny: checkpoints written by older code are edited here as free-form JSON
type SavedState = Record<string, any>;
const data = writeSyntheticImdb();

describe('npm run train -- --quick', () => {
  const out = mkdtempSync(join(tmpdir(), 'quick-run-'));
  const modelDir = join(out, 'model');
  let stderr = '';

  beforeAll(async () => {
    const output = ['--out', join(out, 'run'), '--model-dir', modelDir];
    const args = ['--quick', '--data', data, ...output, '--serve-max-length', '150'];
    const result = await run(process.execPath, ['--import', 'tsx', 'train/cli.ts', ...args], {
      cwd: join(import.meta.dirname, '../..'),
      maxBuffer: 1 << 24,
    });
    stderr = result.stderr;
  }, 180_000);

  it('prints the backend, progress and validation metrics', () => {
    expect(stderr).toMatch(/backend: (wasm|cpu|tensorflow)/);
    expect(stderr).toMatch(/epoch 1\/1 .*val_loss \d\.\d+ val_acc \d\.\d+/);
    expect(existsSync(join(out, 'run', 'train-log.jsonl'))).toBe(true);
  });

  it('writes the model files with the shared constants in metadata', () => {
    const metadata = JSON.parse(readFileSync(join(modelDir, 'metadata.json'), 'utf8')) as ModelMetadata;
    const vocabulary = JSON.parse(readFileSync(join(modelDir, 'vocab.json'), 'utf8'));
    expect(metadata.tokenizer.version).toBe(TOKENIZER_VERSION);
    expect(metadata.tokenizer.vocabSize).toBe(vocabulary.words.length);
    // Trained on at most 100 words (the quick default), exported to read 150.
    expect(metadata.tokenizer.maxLength).toBe(150);
    expect((metadata.training.settings as TrainSettings).maxLength).toBe(100);
    expect(metadata.onnx.scoring.bytes).toBe(readFileSync(join(modelDir, 'sentiment.onnx')).byteLength);
    expect(metadata.onnx.trace!.bytes).toBe(readFileSync(join(modelDir, 'trace.onnx')).byteLength);
    expect(metadata.architecture.cell).toBe('simplernn');
    // The training data is identified by the file it was read from.
    const trainFile = readFileSync(join(data, 'train.jsonl.gz'));
    expect(metadata.training.dataSha256).toBe(createHash('sha256').update(trainFile).digest('hex'));
    expect(checkpointExists(join(modelDir, 'float'))).toBe(true);
  });

  it('exports int8 ONNX graphs that score as the exported float model does, with a trace per word', async () => {
    const model = await openModelFolder(modelDir);
    const texts = ['A wonderful, moving film.', 'Boring and awful, a waste.', 'the plot'];
    const encoded = texts.map((t) => model.encode(t));
    const scores = await model.score(encoded);
    await selectBackend('cpu');
    const float = scoreWithTfjs(
      loadFloatModel(modelDir),
      encoded.map((e) => ({ ids: e.ids, label: 0 })),
    );
    // int8 rounding moves a score by well under 0.01 (tests/node/onnx-export.test.ts); a wrong export by far more.
    expect(Math.max(...scores.map((s, i) => Math.abs(s - float[i]!)))).toBeLessThan(0.01);
    const traced = await model.trace(encoded);
    traced.forEach((t, i) => {
      expect(t.trace).toHaveLength(encoded[i]!.ids.length);
      expect(t.score).toBe(scores[i]);
    });
  });

  it('npm run validate scores the run on its validation split at each serving length', async () => {
    const validate = ['--import', 'tsx', 'train/validate-cli.ts', '--out', join(out, 'run'), '--data', data];
    const cli = (...args: string[]) =>
      run(process.execPath, [...validate, ...args], { cwd: join(import.meta.dirname, '../..') });
    const { stdout } = await cli('--max-lengths', '20,100');
    const rows = stdout.split('\n').filter((line) => line.startsWith(`| ${join(out, 'run')}`));
    const reviewsAndLength = rows.map((row) =>
      row
        .split('|')
        .slice(2, 4)
        .map((cell) => cell.trim()),
    );
    expect(reviewsAndLength).toEqual([
      ['100', '20'],
      ['100', '100'],
    ]);
    const [short, full] = rows.map((row) => row.split('|').slice(4, 6).map(Number) as [number, number]);
    // An accuracy over the 100 reviews held out: a whole number of them.
    for (const [accuracy] of [short!, full!]) expect(100 * accuracy).toBeCloseTo(Math.round(100 * accuracy), 6);
    // At the length it was trained on, the int8 model scores the validation split as training's float model did.
    const { validation } = (JSON.parse(readFileSync(join(modelDir, 'metadata.json'), 'utf8')) as ModelMetadata)
      .training as { validation: { accuracy: number; loss: number } };
    expect(Math.abs(full![0] - validation.accuracy), `${full![0]} vs ${validation.accuracy}`).toBeLessThanOrEqual(0.03);
    expect(Math.abs(full![1] - validation.loss), `${full![1]} vs ${validation.loss}`).toBeLessThan(0.01);
    // The quick run held out 100 reviews: asking for more would score reviews it trained on.
    await expect(cli('--validation-size', '500')).rejects.toThrow(/held out only 100 validation reviews/);
  }, 60_000);
});

describe('interrupt and resume', () => {
  const settings: TrainSettings = {
    architecture: { cell: 'simplernn', embeddingDim: 8, units: 8, bidirectional: false, pooling: 'max' },
    vocabSize: 300,
    maxLength: 40,
    truncation: 'end',
    batchSize: 32,
    epochs: 2,
    learningRate: 0.01,
    clipNorm: 5,
    patience: 2,
    seed: 3,
    validationSize: 64,
    trainLimit: 256,
  };
  const quiet = () => {};
  let whole: TrainResult;

  /** Rewrites the state.json of a run's last/ and best/ checkpoints (the weights stay as they are). */
  const editStates = (runDir: string, edit: (last: SavedState, best: SavedState) => void) => {
    const files = ['last', 'best'].map((name) => join(runDir, name, 'state.json'));
    const [last, best] = files.map((file) => JSON.parse(readFileSync(file, 'utf8')) as { state: SavedState });
    edit(last!.state, best!.state);
    [last, best].forEach((content, i) => writeFileSync(files[i]!, JSON.stringify(content)));
  };
  /** What checkpoints held while training had --dropout and weight averaging (both off, as by default). */
  const asWrittenBeforeRemovals = (runDir: string) =>
    editStates(runDir, (last, best) => {
      last.settings.architecture.dropout = 0;
      last.averaged = 0;
      best.architecture.dropout = 0;
      best.averaged = 0;
    });

  /** A run stopped at epoch 2, batch 3. */
  const interruptedRun = async () => {
    const runDir = mkdtempSync(join(tmpdir(), 'interrupted-'));
    const stop = new AbortController();
    const first = await train(settings, {
      dataDir: data,
      runDir,
      resume: false,
      log: quiet,
      progress: SILENT,
      signal: stop.signal,
      onBatch: (epoch, batch) => epoch === 2 && batch === 3 && stop.abort(),
    });
    expect(first.interrupted).toBe(true);
    expect(first.history).toHaveLength(1);
    return runDir;
  };

  beforeAll(async () => {
    await selectBackend('cpu');
    const runDir = mkdtempSync(join(tmpdir(), 'whole-'));
    whole = await train(settings, { dataDir: data, runDir, resume: false, log: quiet, progress: SILENT });
  }, 60_000);

  it.each([
    ['checkpoints of this code', (_: string) => {}],
    ['checkpoints written before --dropout and weight averaging were removed', asWrittenBeforeRemovals],
  ])(
    'continues an interrupted run from its checkpoint to the weights of an uninterrupted run (%s)',
    async (_, age) => {
      const runDir = await interruptedRun();
      age(runDir);
      const resumed = await train(settings, { dataDir: data, runDir, resume: true, log: quiet, progress: SILENT });
      expect(resumed.interrupted).toBe(false);
      expect(resumed.history).toHaveLength(2);
      expect(resumed.architecture).toEqual({ ...settings.architecture, vocabSize: whole.architecture.vocabSize });

      const a = whole.model.getWeights().map((w) => Array.from(w.dataSync()));
      const b = resumed.model.getWeights().map((w) => Array.from(w.dataSync()));
      expect(b.length).toBe(a.length);
      a.forEach((values, i) => values.forEach((v, k) => expect(b[i]![k]).toBeCloseTo(v, 5)));
      expect(resumed.history[1]!.valLoss).toBeCloseTo(whole.history[1]!.valLoss, 5);
      // What the resumed run saved is in this code's shape.
      const last = JSON.parse(readFileSync(join(runDir, 'last', 'state.json'), 'utf8'));
      expect(last.state.settings).toEqual(JSON.parse(JSON.stringify(settings)));
      expect(last.state).not.toHaveProperty('averaged');
    },
    120_000,
  );

  it.each([
    [
      '--dropout 0.2',
      (last: SavedState, best: SavedState) => {
        last.settings.architecture.dropout = 0.2;
        best.architecture.dropout = 0.2;
      },
    ],
    ['--average-from 2', (last: SavedState) => Object.assign(last.settings, { averageFrom: 2, averageEvery: 50 })],
  ])(
    'refuses to resume a run trained with %s, which training no longer has, but exports it',
    async (option, edit) => {
      const runDir = await interruptedRun();
      editStates(runDir, edit);
      await expect(
        train(settings, { dataDir: data, runDir, resume: true, log: quiet, progress: SILENT }),
      ).rejects.toThrow(`was trained with ${option}, which training no longer has`);
      const run = loadRun(runDir);
      expect(run.architecture).toEqual(whole.architecture);
      expect(run.bestEpoch).toBe(1);
      expect(run.history).toHaveLength(1);
    },
    120_000,
  );

  it('refuses to resume with other settings, and names each one that differs', async () => {
    const runDir = await interruptedRun();
    const other = { ...settings, seed: 4, architecture: { ...settings.architecture, units: 16 } };
    await expect(train(other, { dataDir: data, runDir, resume: true, log: quiet, progress: SILENT })).rejects.toThrow(
      '(architecture.units: 8 in the checkpoint, 16 now; seed: 3 in the checkpoint, 4 now)',
    );
  }, 120_000);

  afterAll(() => {
    tf.disposeVariables();
  });
});
