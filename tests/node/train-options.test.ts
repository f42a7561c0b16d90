/** The options of npm run train: their defaults train the served recipe, which trained the committed model. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelMetadata } from '../../src/model/metadata.ts';
import { QUICK_RECIPE, SERVED_MAX_LENGTH, SERVED_RECIPE } from '../../train/recipe.ts';
import { modelDir, runDir, serveMaxLength, TRAIN_CLI, trainSettings } from '../../train/train-options.ts';

const parse = (...argv: string[]) => {
  const result = TRAIN_CLI.parse(argv);
  if (result.help) throw new Error('unexpected --help');
  return result.values;
};

describe('npm run train options', () => {
  it("default to the served recipe, which is the committed model's", () => {
    const values = parse();
    const settings = trainSettings(values);
    expect(settings).toEqual(SERVED_RECIPE);
    const file = join(import.meta.dirname, '../../model/metadata.json');
    const metadata = JSON.parse(readFileSync(file, 'utf8')) as ModelMetadata;
    // model/ was exported while Architecture still had `dropout` (always 0): the same settings.
    const recorded = structuredClone(metadata.training.settings) as { architecture: Record<string, unknown> };
    expect(recorded.architecture.dropout ?? 0).toBe(0);
    delete recorded.architecture.dropout;
    // Equal as JSON, key order included, as run folders record them.
    expect(JSON.stringify(settings)).toBe(JSON.stringify(recorded));
    expect(serveMaxLength(values, settings)).toBe(SERVED_MAX_LENGTH);
    expect(SERVED_MAX_LENGTH).toBe(metadata.tokenizer.maxLength);
    expect([runDir(values), modelDir(values)]).toEqual(['runs/simplernn', 'model']);
  });

  it('--quick trains the quick recipe, serves its training length, and writes under runs/quick', () => {
    const values = parse('--quick');
    expect(trainSettings(values)).toEqual(QUICK_RECIPE);
    expect(serveMaxLength(values, QUICK_RECIPE)).toBe(QUICK_RECIPE.maxLength);
    expect([runDir(values), modelDir(values)]).toEqual(['runs/quick', 'runs/quick/model']);
    const shorter = parse('--quick', '--max-length', '50', '--out', 'runs/q2');
    expect(serveMaxLength(shorter, trainSettings(shorter))).toBe(50);
    expect(modelDir(shorter)).toBe('runs/q2/model');
  });

  it('maps every option onto its setting', () => {
    const values = parse(
      ...['--cell', 'gru', '--units', '32', '--embedding-dim', '48', '--pooling', 'last', '--bidirectional'],
      ...['--negation', 'none', '--vocab-size', '500', '--truncation', 'end', '--max-length', '200'],
      ...['--epochs', '3', '--batch-size', '16', '--learning-rate', '0.01', '--clip-norm', '1', '--patience', '1'],
      ...['--seed', '7', '--validation-size', '50', '--train-limit', '300', '--crops', '0', '--word-dropout', '0'],
      ...['--lr-decay', '1', '--recurrent-gain', '1', '--serve-max-length', '300'],
    );
    const settings = trainSettings(values);
    expect(settings).toEqual({
      architecture: { cell: 'gru', embeddingDim: 48, units: 32, bidirectional: true, pooling: 'last' },
      vocabSize: 500,
      maxLength: 200,
      truncation: 'end',
      batchSize: 16,
      epochs: 3,
      learningRate: 0.01,
      clipNorm: 1,
      patience: 1,
      seed: 7,
      validationSize: 50,
      trainLimit: 300,
      cropMaxLength: 0,
      wordDropout: 0,
      learningRateDecay: 1,
      recurrentGain: 1,
    });
    expect(serveMaxLength(values, settings)).toBe(300);
    expect(runDir(values)).toBe('runs/gru');
  });

  it.each([
    [['--vocab-size', '2'], '--vocab-size must be an integer >= 3'],
    [['--word-dropout', '1'], '--word-dropout must be a number >= 0 and below 1'],
    [['--train-limit', '0'], '--train-limit must be an integer >= 1'],
    [['--seed=-1'], '--seed must be an integer >= 0'],
    [['--backend', 'tpu'], '--backend must be one of auto, node, wasm, cpu'],
    [['--dropout', '0.2'], "Unknown option '--dropout'"],
    [['--average-from', '2'], "Unknown option '--average-from'"],
  ])('%j: %s', (argv, message) => {
    expect(() => parse(...argv)).toThrow(message);
  });
});
