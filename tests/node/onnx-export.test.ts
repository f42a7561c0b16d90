/**
 * The ONNX export (train/onnx/) against tfjs, on tiny models with random weights: float parity for every
 * cell x direction x pooling, padding/batch invariance, int8 quantization, and the per-word trace.
 */
import * as tf from '@tensorflow/tfjs';
import type * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';

import type { Architecture, CellType, Pooling } from '../../src/model/metadata.ts';
import { buildModel } from '../../train/model.ts';
import { onnx } from '../../train/onnx/graph.ts';
import { exportOnnx, ONNX_INPUT, ONNX_OUTPUTS, PRODUCER_NAME } from '../../train/onnx/index.ts';
import { dequantizeRows, quantizeRows } from '../../train/onnx/quantize.ts';
import { createSession, runIds, scoreIds, traceIds } from '../../train/onnx/session.ts';
import { seededRandom } from '../../train/random.ts';

const CELLS: CellType[] = ['simplernn', 'gru', 'lstm'];
const POOLINGS: Pooling[] = ['last', 'max', 'mean', 'meanmax'];
const VOCAB = 50;

function architecture(cell: CellType, bidirectional: boolean, pooling: Pooling): Architecture {
  return { cell, vocabSize: VOCAB, embeddingDim: 8, units: 6, bidirectional, pooling, dropout: 0.2 };
}

const random = seededRandom(12345);
const randomIds = (length: number): number[] => Array.from({ length }, () => 1 + Math.floor(random() * (VOCAB - 1)));

/**
 * buildModel with every weight (biases included: tfjs initialises them to 0/1, which would hide a bias-mapping
 * bug) replaced by uniform(-0.8, 0.8), large enough that the states leave the linear region of tanh/sigmoid
 * and the scores spread away from 0.5.
 */
function randomModel(arch: Architecture, seed: number): tf.LayersModel {
  const model = buildModel(arch, seed);
  const rng = seededRandom(seed * 7919 + 1);
  model.setWeights(model.getWeights().map((w) => tf.tensor(Float32Array.from({ length: w.size }, () => (rng() * 2 - 1) * 0.8), w.shape)));
  return model;
}

function predict(model: tf.LayersModel, ids: readonly number[]): number {
  return tf.tidy(() => (model.predict(tf.tensor2d([ids as number[]], [1, ids.length], 'int32')) as tf.Tensor).dataSync()[0]!);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/** Lengths 1..12, deliberately not sorted, so every row but the longest is padded. */
const SEQUENCES = [randomIds(5), randomIds(1), randomIds(12), randomIds(3), randomIds(8)];

const combos = CELLS.flatMap((cell) => [false, true].flatMap((bidirectional) => POOLINGS.map((pooling) => ({ cell, bidirectional, pooling }))));

beforeAll(async () => {
  tf.env().set('IS_TEST', true); // silences the "install the node backend" banner
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('quantizeRows', () => {
  it('round-trips every element to within scale / 2, with q in [-127, 127]', () => {
    const rng = seededRandom(7);
    const rows = 40;
    const cols = 33;
    const data = Float32Array.from({ length: rows * cols }, (_, i) => {
      const row = Math.floor(i / cols);
      if (row === 3) return 0; // an all-zero row
      return (rng() * 2 - 1) * 10 ** (row % 7 - 3); // magnitudes 1e-3 .. 1e3
    });
    const q = quantizeRows(data, rows, cols);
    const back = dequantizeRows(q);
    expect(q.scales[3]).toBe(0);
    for (let r = 0; r < rows; r++) {
      const scale = q.scales[r]!;
      let rowMax = 0;
      for (let c = 0; c < cols; c++) {
        const i = r * cols + c;
        const value = q.values[i]!;
        expect(Math.abs(value)).toBeLessThanOrEqual(127);
        rowMax = Math.max(rowMax, Math.abs(value));
        // Exact arithmetic (float64) on the stored int8 and float32 scale: the quantization error itself.
        expect(Math.abs(data[i]! - value * scale)).toBeLessThanOrEqual(scale / 2 + 1e-12 * scale);
        // What the graph computes (float32 product): plus half an ulp of the result.
        expect(Math.abs(data[i]! - back[i]!)).toBeLessThanOrEqual(scale * (0.5 + 1e-5));
      }
      if (scale > 0) expect(rowMax).toBe(127);
    }
  });
});

describe('exported graph', () => {
  it('declares the contract: ir_version, opset, producer, int64 [batch, time] input, score and trace outputs', () => {
    const arch = architecture('simplernn', false, 'max');
    const { bytes, settings } = exportOnnx(randomModel(arch, 1), arch);
    const model = onnx.ModelProto.decode(bytes);
    expect(Number(model.irVersion)).toBe(8);
    expect(model.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', 17]]);
    expect(model.producerName).toBe(PRODUCER_NAME);
    const graph = model.graph!;
    const dims = (name: string) => {
      const value = [...graph.input!, ...graph.output!].find((v) => v.name === name)!;
      return { type: value.type!.tensorType!.elemType, dims: value.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue)) };
    };
    expect(dims(ONNX_INPUT)).toEqual({ type: onnx.TensorProto.DataType.INT64, dims: ['batch', 'time'] });
    expect(dims(ONNX_OUTPUTS.score)).toEqual({ type: onnx.TensorProto.DataType.FLOAT, dims: ['batch'] });
    expect(dims(ONNX_OUTPUTS.trace)).toEqual({ type: onnx.TensorProto.DataType.FLOAT, dims: ['batch', 'time'] });
    expect(settings).toMatchObject({ opset: 17, input: ONNX_INPUT, outputs: { score: 'score', trace: 'trace' } });
    // The int8 embedding table is only ever gathered from, never dequantized as a whole.
    const table = graph.initializer!.find((t) => t.name === 'embedding_int8')!;
    expect(table.dataType).toBe(onnx.TensorProto.DataType.INT8);
    expect(graph.node!.filter((n) => n.input!.includes('embedding_int8')).map((n) => n.opType)).toEqual(['Gather']);
    expect(graph.node!.some((n) => n.opType === 'Loop')).toBe(true); // the running max of pooling 'max'
  });

  it('leaves out trace for bidirectional models', async () => {
    const arch = architecture('gru', true, 'last');
    const { bytes, settings } = exportOnnx(randomModel(arch, 2), arch);
    expect(settings.outputs).toEqual({ score: ONNX_OUTPUTS.score });
    const session = await createSession(bytes);
    expect(session.outputNames).toEqual([ONNX_OUTPUTS.score]);
  });

  it('rejects unsupported opsets and works at opset 18 (ReduceMax axes as an input)', async () => {
    const arch = architecture('lstm', false, 'max');
    const model = randomModel(arch, 3);
    expect(() => exportOnnx(model, arch, { opset: 13 })).toThrow(/opset/);
    const session = await createSession(exportOnnx(model, arch, { quantize: false, opset: 18 }).bytes);
    const scores = await scoreIds(session, SEQUENCES);
    expect(maxAbsDiff(scores, SEQUENCES.map((ids) => predict(model, ids)))).toBeLessThan(1e-5);
  });
});

describe.each(combos)('$cell bidirectional=$bidirectional pooling=$pooling', ({ cell, bidirectional, pooling }) => {
  const arch = architecture(cell, bidirectional, pooling);
  const seed = 100 + combos.findIndex((c) => c.cell === cell && c.bidirectional === bidirectional && c.pooling === pooling);
  let model: tf.LayersModel;
  let floatSession: ort.InferenceSession;
  let int8Session: ort.InferenceSession;
  let floatBytes: Uint8Array;
  let int8Bytes: Uint8Array;

  beforeAll(async () => {
    model = randomModel(arch, seed);
    floatBytes = exportOnnx(model, arch, { quantize: false }).bytes;
    int8Bytes = exportOnnx(model, arch).bytes;
    floatSession = await createSession(floatBytes);
    int8Session = await createSession(int8Bytes);
  });

  it('float ONNX on a padded batch equals tfjs predict on each unpadded sequence (1e-5)', async () => {
    const expected = SEQUENCES.map((ids) => predict(model, ids));
    const scores = await scoreIds(floatSession, SEQUENCES);
    expect(maxAbsDiff(scores, expected)).toBeLessThan(1e-5);
    // The random weights make the scores spread (mean pooling spreads least), so the comparison is not ~0.5 vs ~0.5.
    expect(Math.max(...expected) - Math.min(...expected)).toBeGreaterThan(0.02);
    // A row with no words (all padding) reads nothing: the classifier applied to a zero state.
    const bias = model.getLayer('classifier').getWeights()[1]!.dataSync()[0]!;
    const [empty] = await scoreIds(floatSession, [[], SEQUENCES[0]!]);
    expect(Math.abs(empty! - 1 / (1 + Math.exp(-bias)))).toBeLessThan(1e-6);
  });

  it('int8: a sequence scores the same alone and in a batch with longer and shorter ones (1e-5)', async () => {
    const target = SEQUENCES[0]!; // length 5, among lengths 1, 3, 8, 12
    const [alone] = await scoreIds(int8Session, [target]);
    const batch = await scoreIds(int8Session, [SEQUENCES[2]!, SEQUENCES[1]!, target, SEQUENCES[3]!, SEQUENCES[4]!]);
    expect(Math.abs(batch[2]! - alone!)).toBeLessThan(1e-5);
    // Extra padding beyond the longest sequence changes nothing either.
    const padded = await runIds(int8Session, [target, randomIds(30)]);
    expect(Math.abs((padded[ONNX_OUTPUTS.score]!.data as Float32Array)[0]! - alone!)).toBeLessThan(1e-5);
  });

  it('int8 equals tfjs with the dequantized weights (1e-5), stays within 0.01 of float, and is smaller', async () => {
    // The same model with every quantized weight replaced by Cast(q) * scale: the int8 graph must compute
    // exactly this function, so the int8-vs-float gap below is the quantization error and nothing else.
    const dequantized = buildModel(arch, seed);
    dequantized.setWeights(model.getWeights().map((w, i) => dequantizeLike(model, i, w)));
    const expected = SEQUENCES.map((ids) => predict(dequantized, ids));
    const int8 = await scoreIds(int8Session, SEQUENCES);
    expect(maxAbsDiff(int8, expected)).toBeLessThan(1e-5);
    const float = await scoreIds(floatSession, SEQUENCES);
    // Per-element error <= scale / 2 = maxabs(row) / 254, i.e. 0.4% of a row's largest weight. Through up to 12
    // steps of these deliberately large random weights that moves the score by at most 2.6e-3 (measured over the
    // 12 models here; the sigmoid's slope is <= 1/4). 0.01 leaves a ~4x margin and still catches a wrong scale or
    // row layout, which moves scores by ~0.1. Exactness of the int8 graph itself is the 1e-5 check above.
    expect(maxAbsDiff(int8, float)).toBeLessThan(0.01);
    expect(int8Bytes.byteLength).toBeLessThan(floatBytes.byteLength);
    dequantized.dispose();
  });

  if (bidirectional) return;

  it('trace: same length as time, score after every prefix, last valid value = score, score repeated beyond length', async () => {
    for (const session of [floatSession, int8Session]) {
      const raw = await runIds(session, SEQUENCES, [ONNX_OUTPUTS.score, ONNX_OUTPUTS.trace]);
      const time = Math.max(...SEQUENCES.map((s) => s.length));
      expect(raw[ONNX_OUTPUTS.trace]!.dims).toEqual([SEQUENCES.length, time]);
      const { score, trace } = await traceIds(session, SEQUENCES);
      const full = raw[ONNX_OUTPUTS.trace]!.data as Float32Array;
      SEQUENCES.forEach((ids, row) => {
        expect(trace[row]!.length).toBe(ids.length);
        expect(Math.abs(trace[row]![ids.length - 1]! - score[row]!)).toBeLessThanOrEqual(1e-6);
        for (let t = ids.length; t < time; t++) expect(full[row * time + t]).toBe(score[row]);
      });
    }
    // The trace value after word t is what the model says about the first t + 1 words (float model vs tfjs),
    // in a batch padded to 64 steps: 6 doubling rounds of the running max for pooling 'max'.
    const ids = randomIds(33);
    const { trace } = await traceIds(floatSession, [ids, randomIds(64)]);
    const prefixes = ids.map((_, t) => predict(model, ids.slice(0, t + 1)));
    expect(maxAbsDiff(trace[0]!, prefixes)).toBeLessThan(1e-5);
  });
});

/**
 * Weight `index` of `model` after the exporter's per-row int8 round trip, in tfjs layout. The exporter's rows
 * are the ONNX rows: embedding rows (word vectors), and for W and R one row per output unit (a column of the
 * tfjs kernel, whatever the gate order). Biases and the classifier stay float.
 */
function dequantizeLike(model: tf.LayersModel, index: number, weight: tf.Tensor): tf.Tensor {
  const name = model.weights[index]!.originalName ?? model.weights[index]!.name;
  const data = weight.dataSync() as Float32Array;
  const [rows, cols] = weight.shape as [number, number];
  if (name.startsWith('embedding/')) return tf.tensor(dequantizeRows(quantizeRows(Float32Array.from(data), rows, cols)), weight.shape);
  if (name.startsWith('rnn/') && /kernel/.test(name)) {
    // tfjs [in, gates * units] -> rows = columns.
    const transposed = new Float32Array(rows * cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) transposed[j * rows + i] = data[i * cols + j]!;
    const back = dequantizeRows(quantizeRows(transposed, cols, rows));
    const out = new Float32Array(rows * cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = back[j * rows + i]!;
    return tf.tensor(out, weight.shape);
  }
  return weight.clone();
}
