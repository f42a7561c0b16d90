/**
 * GET /how's parameter counts: the pure counting function against the trained model's own count (tfjs
 * countParams, in total and per layer), and the start-up check of the ONNX weights' shapes against the
 * architecture. The page's table against the function: tests/worker/how.test.ts.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Architecture, ModelMetadata } from '../../src/model/metadata.ts';
import { ModelMismatchError } from '../../src/model/model-files.ts';
import { readInitializers } from '../../src/model/onnx-initializers.ts';
import { checkInitializers, countParameters, readCheckedInitializers } from '../../src/model/parameters.ts';
import { loadFloatModel, readMetadata } from '../../train/artifacts.ts';
import { selectBackend } from '../../train/backend.ts';
import { LAYER_NAMES } from '../../train/model.ts';

const metadata: ModelMetadata = readMetadata('model');

/**
 * The float model, without tfjs's warning that building its orthogonal initializer for a large matrix is slow
 * (the weights are then replaced by the trained ones).
 */
function quietFloatModel() {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    return loadFloatModel('model');
  } finally {
    warn.mockRestore();
  }
}
const scoring = new Uint8Array(readFileSync(`model/${metadata.onnx.scoring.file}`));

describe('countParameters', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it("equals the trained model's own count, in total and per layer", () => {
    const model = quietFloatModel();
    const counts = countParameters(metadata.architecture);
    expect(counts.total).toBe(model.countParams());
    expect(counts.embedding).toBe(model.getLayer(LAYER_NAMES.embedding).countParams());
    expect(counts.recurrent).toBe(model.getLayer(LAYER_NAMES.rnn).countParams());
    expect(counts.classifier).toBe(model.getLayer(LAYER_NAMES.classifier).countParams());
    // The recurrent layer's three weights, one by one: kernel (W), recurrent kernel (U), bias (b).
    const [kernel, recurrent, bias] = model.getLayer(LAYER_NAMES.rnn).getWeights();
    expect([kernel!.size, recurrent!.size, bias!.size]).toEqual([
      counts.inputWeights,
      counts.recurrentWeights,
      counts.bias,
    ]);
    model.dispose();
  });

  it('counts the 2 x units features that mean and max pooling give the classifier', () => {
    const arch: Architecture = {
      cell: 'simplernn',
      vocabSize: 20_000,
      embeddingDim: 64,
      units: 64,
      bidirectional: false,
      pooling: 'meanmax',
    };
    expect(countParameters(arch)).toEqual({
      embedding: 1_280_000,
      inputWeights: 4_096,
      recurrentWeights: 4_096,
      bias: 64,
      features: 128,
      classifier: 129,
      recurrent: 8_256,
      total: 1_288_385,
    });
    // A bidirectional GRU with the last state: 3 gates, 2 directions.
    const gru = countParameters({ ...arch, cell: 'gru', bidirectional: true, pooling: 'last' });
    expect([gru.inputWeights, gru.recurrentWeights, gru.bias, gru.classifier]).toEqual([
      6 * 64 * 64,
      6 * 64 * 64,
      6 * 64,
      129,
    ]);
  });
});

describe("the ONNX weights' shapes", () => {
  it("match the served model's architecture", () => {
    expect(() => readCheckedInitializers(scoring, metadata.architecture, 'sentiment.onnx')).not.toThrow();
  });

  it.each<[string, Partial<Architecture>, RegExp]>([
    ['another embedding dimension', { embeddingDim: metadata.architecture.embeddingDim + 1 }, /embedding_int8 is \[/],
    ['other units', { units: metadata.architecture.units * 2 }, /'s R(_int8)? is \[/],
    ['another cell', { cell: 'gru' }, /'s W(_int8)? is \[/],
    ['another pooling', { pooling: 'last' }, /classifier_kernel is \[/],
  ])('refuse %s with a ModelMismatchError at start-up', (_name, change, message) => {
    const architecture = { ...metadata.architecture, ...change };
    const check = () => checkInitializers(architecture, readInitializers(scoring), 'sentiment.onnx');
    expect(check).toThrow(ModelMismatchError);
    expect(check).toThrow(message);
  });

  it('refuse a file that is not an ONNX model', () => {
    expect(() => readCheckedInitializers(scoring.subarray(0, 1000), metadata.architecture, 'cut.onnx')).toThrow(
      /cut\.onnx cannot be read as an ONNX model/,
    );
  });
});
