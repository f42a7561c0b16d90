/**
 * The ONNX export (train/onnx/) against tfjs, on tiny models with random weights: float parity for every
 * cell x direction x pooling, padding/batch invariance, int8 quantization, and the per-word trace (the two graphs:
 * scoring and trace).
 */
import * as tf from '@tensorflow/tfjs';
import type * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';

import type { Architecture, CellType, Pooling } from '../../src/model/metadata.ts';
import { padIds } from '../../src/model/pad-ids.ts';
import { type ModelRunner, SESSION_OPTIONS } from '../../src/model/runner.ts';
import { PAD_ID } from '../../src/tokenizer/index.ts';
import { buildModel, LAYER_NAMES } from '../../train/model.ts';
import { nodeOrt } from '../../train/model-folder.ts';
import { ONNX_INPUT, ONNX_OUTPUTS } from '../../train/onnx/contract.ts';
import { onnx } from '../../train/onnx/graph.ts';
import { type ExportResult, exportOnnx, onnxSettings, PRODUCER_NAME } from '../../train/onnx/index.ts';
import { dequantizeRows, quantizeRows } from '../../train/onnx/quantize.ts';
import { runnerFor } from '../../train/onnx/session.ts';
import { seededRandom } from '../../train/random.ts';

const CELLS: CellType[] = ['simplernn', 'gru', 'lstm'];
const POOLINGS: Pooling[] = ['last', 'max', 'mean', 'meanmax'];
const VOCAB = 50;

function architecture(cell: CellType, bidirectional: boolean, pooling: Pooling): Architecture {
  return { cell, vocabSize: VOCAB, embeddingDim: 8, units: 6, bidirectional, pooling };
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
  model.setWeights(
    model.getWeights().map((w) =>
      tf.tensor(
        Float32Array.from({ length: w.size }, () => (rng() * 2 - 1) * 0.8),
        w.shape,
      ),
    ),
  );
  return model;
}

function predict(model: tf.LayersModel, ids: readonly number[]): number {
  return tf.tidy(
    () => (model.predict(tf.tensor2d([ids as number[]], [1, ids.length], 'int32')) as tf.Tensor).dataSync()[0]!,
  );
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/** Lengths 1..12, deliberately not sorted, so every row but the longest is padded. */
const SEQUENCES = [randomIds(5), randomIds(1), randomIds(12), randomIds(3), randomIds(8)];

const combos = CELLS.flatMap((cell) =>
  [false, true].flatMap((bidirectional) => POOLINGS.map((pooling) => ({ cell, bidirectional, pooling }))),
);

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
      return (rng() * 2 - 1) * 10 ** ((row % 7) - 3); // magnitudes 1e-3 .. 1e3
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

/** Runs one exported graph directly, on exactly the input given (the runner pads and packs rows itself). */
async function runGraph(bytes: Uint8Array, feeds: Record<string, ort.Tensor>, fetches: string[]) {
  const session = await nodeOrt().InferenceSession.create(bytes, SESSION_OPTIONS);
  try {
    return await session.run(feeds, fetches);
  } finally {
    await session.release();
  }
}

/** The scoring graph's input for `rows`, padded to `time` steps (default: the longest row). */
const idsTensor = (rows: readonly (readonly number[])[], time?: number) => {
  // A row of `time` words widens the time axis; it is cut off again below.
  const { data, dims } = padIds(time === undefined ? rows : [...rows, Array(time).fill(1)], PAD_ID);
  return new (nodeOrt().Tensor)('int32', data.slice(0, rows.length * dims[1]), [rows.length, dims[1]]);
};

describe('exported graphs', () => {
  type Graph = ReturnType<typeof onnx.ModelProto.decode>['graph'];
  const io = (graph: Graph, name: string) => {
    const value = [...graph!.input!, ...graph!.output!].find((v) => v.name === name)!;
    return {
      type: value.type!.tensorType!.elemType,
      dims: value.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue)),
    };
  };

  it('declare the contract: ir_version, opset, producer, inputs and outputs of the scoring and trace graphs', () => {
    const arch = architecture('simplernn', false, 'max');
    const exported = exportOnnx(randomModel(arch, 1), arch);
    const scoring = onnx.ModelProto.decode(exported.scoring);
    const trace = onnx.ModelProto.decode(exported.trace!);
    for (const model of [scoring, trace]) {
      expect(Number(model.irVersion)).toBe(8);
      expect(model.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', 17]]);
      expect(model.producerName).toBe(PRODUCER_NAME);
    }
    const { FLOAT, INT32 } = onnx.TensorProto.DataType;
    expect(io(scoring.graph, ONNX_INPUT)).toEqual({ type: INT32, dims: ['batch', 'time'] });
    expect(io(scoring.graph, ONNX_OUTPUTS.score)).toEqual({ type: FLOAT, dims: ['batch'] });
    expect(io(scoring.graph, ONNX_OUTPUTS.states)).toEqual({ type: FLOAT, dims: ['time', 'batch', arch.units] });
    expect(io(trace.graph, ONNX_OUTPUTS.states)).toEqual({ type: FLOAT, dims: ['time', 'batch', arch.units] });
    expect(io(trace.graph, ONNX_OUTPUTS.trace)).toEqual({ type: FLOAT, dims: ['batch', 'time'] });
    expect(onnxSettings(exported)).toMatchObject({
      opset: 17,
      scoring: { file: 'sentiment.onnx', input: ONNX_INPUT, outputs: { score: 'score', states: 'states' } },
      trace: { file: 'trace.onnx', input: 'states', output: 'trace' },
    });
    // The int8 embedding table is only ever gathered from, never dequantized as a whole.
    const graph = scoring.graph!;
    const table = graph.initializer!.find((t) => t.name === 'embedding_int8')!;
    expect(table.dataType).toBe(onnx.TensorProto.DataType.INT8);
    expect(graph.node!.filter((n) => n.input!.includes('embedding_int8')).map((n) => n.opType)).toEqual(['Gather']);
    // W and R are stored int8 and dequantized by a Cast and a Mul of constants (folded when a session starts).
    const rnn = graph.node!.find((n) => n.opType === 'RNN')!;
    for (const name of rnn.input!.slice(1, 3)) {
      const mul = graph.node!.find((n) => n.output!.includes(name))!;
      expect(mul.opType).toBe('Mul');
      const cast = graph.node!.find((n) => n.output!.includes(mul.input![0]!))!;
      expect(cast.opType).toBe('Cast');
      expect(graph.initializer!.find((t) => t.name === cast.input![0])?.dataType).toBe(onnx.TensorProto.DataType.INT8);
    }
    // Plain scoring never runs the trace's running maximum: it is in the trace graph only.
    expect(graph.node!.some((n) => n.opType === 'Loop' || n.opType === 'CumSum')).toBe(false);
    expect(trace.graph!.node!.some((n) => n.opType === 'Loop')).toBe(true);
    expect(trace.graph!.initializer!.some((t) => t.dims!.some((d) => Number(d) >= VOCAB))).toBe(false);
  });

  it('have no trace graph and no states output for bidirectional models', async () => {
    const arch = architecture('gru', true, 'last');
    const exported = exportOnnx(randomModel(arch, 2), arch);
    expect(exported.trace).toBeUndefined();
    expect(onnxSettings(exported).trace).toBeUndefined();
    expect(onnxSettings(exported).scoring.outputs).toEqual({ score: ONNX_OUTPUTS.score });
    const runner = await runnerFor(exported);
    expect(runner.hasTrace).toBe(false);
    await expect(runner.trace(SEQUENCES)).rejects.toThrow(/no trace graph/);
  });

  it("neighbours: the graph fed the scoring graph's table gives the cosine similarities of its rows, top k in order", async () => {
    const arch = architecture('simplernn', false, 'last');
    const model = randomModel(arch, 4);
    const weights = model.getLayer(LAYER_NAMES.embedding).getWeights()[0]!.dataSync() as Float32Array;
    const { embeddingDim: D } = arch;
    for (const quantize of [false, true]) {
      const exported = exportOnnx(model, arch, { quantize });
      const { neighbors } = onnxSettings(exported);
      expect(neighbors).toMatchObject({ file: 'neighbors.onnx', k: 13 });
      // The rows the scoring graph holds: dequantized int8 rows have the int8 rows' cosines (the scales cancel).
      const rows = quantize ? dequantizeRows(quantizeRows(weights, VOCAB, D)) : weights;
      const table = quantize ? quantizeRows(weights, VOCAB, D).values : weights;
      const runner = await runnerFor(exported);
      for (const id of [2, 17, VOCAB - 1]) {
        const dot = (a: number, b: number) =>
          rows.slice(a * D, a * D + D).reduce((sum, x, k) => sum + x * rows[b * D + k]!, 0);
        const cosine = Array.from({ length: VOCAB }, (_, r) => dot(id, r) / Math.sqrt(dot(id, id) * dot(r, r)));
        const expected = [...cosine.keys()].sort((a, b) => cosine[b]! - cosine[a]! || a - b).slice(0, 13);
        const nearest = await runner.nearest(table, [VOCAB, D], id);
        expect(nearest.ids, `quantize=${quantize} id=${id}`).toEqual(expected);
        expect(
          maxAbsDiff(
            nearest.similarity,
            expected.map((r) => cosine[r]!),
          ),
        ).toBeLessThan(1e-5);
      }
      await runner.release();
    }
  });

  it('reject unsupported opsets and work at opset 18 (ReduceMax axes as an input)', async () => {
    const arch = architecture('lstm', false, 'max');
    const model = randomModel(arch, 3);
    expect(() => exportOnnx(model, arch, { opset: 13 })).toThrow(/opset/);
    const runner = await runnerFor(exportOnnx(model, arch, { quantize: false, opset: 18 }));
    expect(
      maxAbsDiff(
        await runner.score(SEQUENCES),
        SEQUENCES.map((ids) => predict(model, ids)),
      ),
    ).toBeLessThan(1e-5);
  });
});

describe.each(combos)('$cell bidirectional=$bidirectional pooling=$pooling', ({ cell, bidirectional, pooling }) => {
  const arch = architecture(cell, bidirectional, pooling);
  const seed =
    100 + combos.findIndex((c) => c.cell === cell && c.bidirectional === bidirectional && c.pooling === pooling);
  let model: tf.LayersModel;
  let float: ExportResult;
  let int8: ExportResult;
  let floatRunner: ModelRunner;
  let int8Runner: ModelRunner;

  beforeAll(async () => {
    model = randomModel(arch, seed);
    float = exportOnnx(model, arch, { quantize: false });
    int8 = exportOnnx(model, arch);
    floatRunner = await runnerFor(float);
    int8Runner = await runnerFor(int8);
  });

  it('float ONNX on a batch equals tfjs predict on each unpadded sequence (1e-5)', async () => {
    const expected = SEQUENCES.map((ids) => predict(model, ids));
    const scores = await floatRunner.score(SEQUENCES);
    expect(maxAbsDiff(scores, expected)).toBeLessThan(1e-5);
    // The random weights make the scores spread (mean pooling spreads least), so the comparison is not ~0.5 vs ~0.5.
    expect(Math.max(...expected) - Math.min(...expected)).toBeGreaterThan(0.02);
    // A row with no words (all padding) reads nothing: the classifier applied to a zero state.
    const bias = model.getLayer('classifier').getWeights()[1]!.dataSync()[0]!;
    const [empty] = await floatRunner.score([[], SEQUENCES[0]!]);
    expect(Math.abs(empty! - 1 / (1 + Math.exp(-bias)))).toBeLessThan(1e-6);
  });

  it('int8: a sequence scores the same alone, padded in one run with longer and shorter ones, and with extra padding (1e-5)', async () => {
    const target = SEQUENCES[0]!; // length 5, among lengths 1, 3, 8, 12
    const [alone] = await int8Runner.score([target]);
    const rows = [SEQUENCES[2]!, SEQUENCES[1]!, target, SEQUENCES[3]!, SEQUENCES[4]!];
    // One run of the scoring graph, every row padded to the longest (12), then to 30 steps.
    for (const time of [undefined, 30]) {
      const out = await runGraph(int8.scoring, { [ONNX_INPUT]: idsTensor(rows, time) }, [ONNX_OUTPUTS.score]);
      expect(Math.abs((out[ONNX_OUTPUTS.score]!.data as Float32Array)[2]! - alone!)).toBeLessThan(1e-5);
    }
  });

  it('int8 equals tfjs with the dequantized weights (1e-5), stays within 0.01 of float, and is smaller', async () => {
    // The same model with every quantized weight replaced by Cast(q) * scale: the int8 graph must compute
    // exactly this function, so the int8-vs-float gap below is the quantization error and nothing else.
    const dequantized = buildModel(arch, seed);
    dequantized.setWeights(model.getWeights().map((w, i) => dequantizeLike(model, i, w)));
    const expected = SEQUENCES.map((ids) => predict(dequantized, ids));
    const int8Scores = await int8Runner.score(SEQUENCES);
    expect(maxAbsDiff(int8Scores, expected)).toBeLessThan(1e-5);
    const floatScores = await floatRunner.score(SEQUENCES);
    // Per-element error <= scale / 2 = maxabs(row) / 254, i.e. 0.4% of a row's largest weight. Through up to 12
    // steps of these deliberately large random weights that moves the score by at most 2.6e-3 (measured over the
    // 12 models here; the sigmoid's slope is <= 1/4). 0.01 leaves a ~4x margin and still catches a wrong scale or
    // row layout, which moves scores by ~0.1. Exactness of the int8 graph itself is the 1e-5 check above.
    expect(maxAbsDiff(int8Scores, floatScores)).toBeLessThan(0.01);
    expect(int8.scoring.byteLength).toBeLessThan(float.scoring.byteLength);
    dequantized.dispose();
  });

  if (bidirectional) return;

  it('trace: one score per word read, the last one the score, each the score of that prefix', async () => {
    for (const runner of [floatRunner, int8Runner]) {
      const scores = await runner.score(SEQUENCES);
      const traced = await runner.trace(SEQUENCES);
      SEQUENCES.forEach((ids, row) => {
        expect(traced[row]!.trace).toHaveLength(ids.length);
        expect(traced[row]!.score).toBe(scores[row]);
        expect(Math.abs(traced[row]!.trace.at(-1)! - scores[row]!)).toBeLessThanOrEqual(1e-6);
      });
    }
    // The trace value after word t is what the model says about the first t + 1 words (float model vs tfjs),
    // in one run beside a row of 64 words: 6 doubling rounds of the running max for pooling 'max'.
    const ids = randomIds(33);
    const [first] = await floatRunner.trace([ids, randomIds(64)]);
    const prefixes = ids.map((_, t) => predict(model, ids.slice(0, t + 1)));
    expect(maxAbsDiff(first!.trace, prefixes)).toBeLessThan(1e-5);
    // The trace graph on its own: [batch, time] for states [time, batch, units].
    const states = await runGraph(float.scoring, { [ONNX_INPUT]: idsTensor([ids]) }, [ONNX_OUTPUTS.states]);
    expect(states[ONNX_OUTPUTS.states]!.dims).toEqual([ids.length, 1, arch.units]);
    const out = await runGraph(float.trace!, { [ONNX_OUTPUTS.states]: states[ONNX_OUTPUTS.states]! }, [
      ONNX_OUTPUTS.trace,
    ]);
    expect(out[ONNX_OUTPUTS.trace]!.dims).toEqual([1, ids.length]);
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
  if (name.startsWith('embedding/'))
    return tf.tensor(dequantizeRows(quantizeRows(Float32Array.from(data), rows, cols)), weight.shape);
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
