/**
 * Exports a trained tfjs classifier (train/model.ts) to an ONNX model that onnxruntime-web runs in the Worker.
 *
 * Graph contract (the Worker relies on it):
 * - input  `input_ids` int64 [batch, time], word ids >= 1, right-padded with 0 (PAD_ID).
 * - output `score`     float32 [batch], P(positive) = sigmoid(Dense(pooled)).
 * - output `trace`     float32 [batch, time], unidirectional models only: the score the model would give after
 *   reading words 0..t (sigmoid(Dense(h_t)) for pooling 'last', sigmoid(Dense(max(h_0..h_t))) for pooling
 *   'max'). At t >= length the value repeats the row's score, so trace[b, length - 1] == trace[b, time - 1] ==
 *   score[b]. A bidirectional model has no causal per-word score, so its graph has no `trace` output.
 *
 * The model has no masking layer (training batches hold sequences of one length); the graph neutralises
 * padding itself: sequence lengths are counted in the graph (ids > 0) and fed to the RNN/GRU/LSTM op's
 * sequence_lens, which stops each row's recurrence (both directions) at its own length.
 * A row with no words (all padding) gets sequence length 0: its score is sigmoid(Dense(0)), the model's
 * answer for an empty state.
 *
 * Pooling 'max' masks the steps beyond each length to the lowest float before ReduceMax; its trace takes a running
 * maximum by prefix doubling in a Loop (see runningMax). onnxruntime runs every node whatever outputs are fetched
 * (only its training builds prune to the fetch list), so the trace costs something in every run (on a 230-word
 * review, ~0.2 ms for pooling 'max', nothing measurable for 'last'; train/onnx/bench-trace.ts): export with
 * `trace: false` for a score-only model.
 */
import * as tf from '@tensorflow/tfjs';

import type { Architecture, OnnxSettings } from '../../src/model/metadata.ts';
import { LAYER_NAMES } from '../model.ts';
import { ONNX_INPUT, ONNX_OUTPUTS } from './contract.ts';
import { DataType, GraphBuilder, attr, encodeModel } from './graph.ts';
import { quantizeRows } from './quantize.ts';

export { quantizeRows, dequantizeRows, type QuantizedRows } from './quantize.ts';

export { ONNX_INPUT, ONNX_OUTPUTS } from './contract.ts';
export const PRODUCER_NAME = 'edge-sentiment train/onnx';
export const PRODUCER_VERSION = '1';
export const DEFAULT_OPSET = 17;
const MIN_OPSET = 17;
const MAX_OPSET = 21;

export interface ExportOptions {
  /** int8 embedding and recurrent weights with per-row scales (default true); false keeps every weight float32. */
  quantize?: boolean;
  /** ONNX opset of the default domain, 17..21 (default 17). */
  opset?: number;
  /** Export the `trace` output (default true; always false for bidirectional models, which have no causal trace). */
  trace?: boolean;
}

export type ExportedSettings = Omit<OnnxSettings, 'file' | 'bytes' | 'sha256'>;

export interface ExportResult {
  /** The serialized ModelProto. */
  bytes: Uint8Array;
  settings: ExportedSettings;
}

/** The tfjs weights of the model, already rearranged into ONNX layouts (row-major float32). */
interface OnnxWeights {
  vocabSize: number;
  embeddingDim: number;
  /** [V, D] */
  embedding: Float32Array;
  directions: 1 | 2;
  gates: number;
  units: number;
  /** [directions, gates * units, D] */
  W: Float32Array;
  /** [directions, gates * units, units] */
  R: Float32Array;
  /** [directions, 2 * gates * units]: Wb then Rb (Rb = 0, tfjs cells have one bias). */
  B: Float32Array;
  /** [directions * units, 1] */
  denseKernel: Float32Array;
  /** [1] */
  denseBias: Float32Array;
}

const ONNX_OP = { simplernn: 'RNN', gru: 'GRU', lstm: 'LSTM' } as const;
const GATES = { simplernn: 1, gru: 3, lstm: 4 } as const;
/**
 * For each ONNX gate (in ONNX order), the tfjs gate it comes from. SimpleRNN: one gate. GRU: tfjs z,r,h = ONNX
 * z,r,h. LSTM: tfjs i,f,c,o -> ONNX i,o,f,c.
 */
const GATE_ORDER = { simplernn: [0], gru: [0, 1, 2], lstm: [0, 3, 1, 2] } as const;

function values(tensor: tf.Tensor, shape: number[], what: string): Float32Array {
  if (tensor.shape.length !== shape.length || tensor.shape.some((d, i) => d !== shape[i])) {
    throw new Error(`${what}: expected shape ${JSON.stringify(shape)}, the model has ${JSON.stringify(tensor.shape)}.`);
  }
  return Float32Array.from(tensor.dataSync());
}

/** tfjs kernel [inDim, gates * units] (columns in tfjs gate order) -> ONNX [gates * units, inDim] in ONNX order. */
function kernelToOnnx(kernel: Float32Array, inDim: number, units: number, gateOrder: readonly number[]): Float32Array {
  const gates = gateOrder.length;
  const out = new Float32Array(gates * units * inDim);
  gateOrder.forEach((tfGate, onnxGate) => {
    for (let u = 0; u < units; u++) {
      const row = (onnxGate * units + u) * inDim;
      const col = tfGate * units + u;
      for (let i = 0; i < inDim; i++) out[row + i] = kernel[i * gates * units + col]!;
    }
  });
  return out;
}

function biasToOnnx(bias: Float32Array, units: number, gateOrder: readonly number[]): Float32Array {
  const out = new Float32Array(2 * gateOrder.length * units); // second half: Rb = 0
  gateOrder.forEach((tfGate, onnxGate) => out.set(bias.subarray(tfGate * units, (tfGate + 1) * units), onnxGate * units));
  return out;
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function readWeights(model: tf.LayersModel, arch: Architecture): OnnxWeights {
  const { vocabSize: V, embeddingDim: D, units: H } = arch;
  const gates = GATES[arch.cell];
  const order = GATE_ORDER[arch.cell];
  const directions = arch.bidirectional ? 2 : 1;

  const [embeddings] = model.getLayer(LAYER_NAMES.embedding).getWeights();
  if (!embeddings) throw new Error('The embedding layer has no weights.');
  const embedding = values(embeddings, [V, D], 'embedding');

  const rnn = model.getLayer(LAYER_NAMES.rnn);
  const variables = rnn.weights;
  const tensors = rnn.getWeights();
  if (tensors.length !== 3 * directions) {
    throw new Error(`Layer ${LAYER_NAMES.rnn}: expected ${3 * directions} weights (kernel, recurrent_kernel, bias per direction), found ${tensors.length}.`);
  }
  const W: Float32Array[] = [];
  const R: Float32Array[] = [];
  const B: Float32Array[] = [];
  for (let d = 0; d < directions; d++) {
    const names = variables.slice(3 * d, 3 * d + 3).map((v) => v.originalName ?? v.name);
    // Bidirectional lists the forward layer's weights, then the backward layer's.
    if (directions === 2 && !names.every((n) => n.includes(d === 0 ? 'forward' : 'backward'))) {
      throw new Error(`Layer ${LAYER_NAMES.rnn}: unexpected weight order ${names.join(', ')}.`);
    }
    if (!names[1]!.includes('recurrent_kernel')) throw new Error(`Layer ${LAYER_NAMES.rnn}: unexpected weight order ${names.join(', ')}.`);
    const kernel = values(tensors[3 * d]!, [D, gates * H], `${arch.cell} kernel`);
    const recurrent = values(tensors[3 * d + 1]!, [H, gates * H], `${arch.cell} recurrent_kernel`);
    const bias = values(tensors[3 * d + 2]!, [gates * H], `${arch.cell} bias`);
    W.push(kernelToOnnx(kernel, D, H, order));
    R.push(kernelToOnnx(recurrent, H, H, order));
    B.push(biasToOnnx(bias, H, order));
  }

  const [denseKernel, denseBias] = model.getLayer(LAYER_NAMES.classifier).getWeights();
  if (!denseKernel || !denseBias) throw new Error('The classifier layer has no kernel or bias.');
  return {
    vocabSize: V,
    embeddingDim: D,
    embedding,
    directions,
    gates,
    units: H,
    W: concat(W),
    R: concat(R),
    B: concat(B),
    denseKernel: values(denseKernel, [poolings(arch) * directions * H, 1], 'classifier kernel'),
    denseBias: values(denseBias, [1], 'classifier bias'),
  };
}

/** How many pooled vectors the classifier reads side by side. */
function poolings(arch: Architecture): number {
  return arch.pooling === 'meanmax' ? 2 : 1;
}

/** A weight matrix [...leading, cols] as a graph value: float32 initializer, or int8 + per-row scales dequantized in the graph. */
function weightMatrix(g: GraphBuilder, name: string, dims: number[], data: Float32Array, quantize: boolean): string {
  if (!quantize) return g.initializer(name, dims, data);
  const cols = dims[dims.length - 1]!;
  const rows = data.length / cols;
  const q = quantizeRows(data, rows, cols);
  const scaleDims = [...dims.slice(0, -1), 1];
  const int8 = g.initializer(`${name}_int8`, dims, q.values);
  const scales = g.initializer(`${name}_scale`, scaleDims, q.scales);
  // Constant inputs only, so onnxruntime's constant folding can turn this into a float32 initializer when the session
  // is created (the file keeps int8); the embedding is different: only the gathered rows are dequantized, per run.
  return g.op('Mul', [g.op('Cast', [int8], { to: attr.int(DataType.FLOAT) }, `${name}_int8_f`), scales], {}, name);
}

/**
 * Exports `model` (built by buildModel(arch) and trained) to ONNX. Dropout is dropped (inference only).
 */
export function exportOnnx(model: tf.LayersModel, arch: Architecture, options: ExportOptions = {}): ExportResult {
  const quantize = options.quantize ?? true;
  const opset = options.opset ?? DEFAULT_OPSET;
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET) {
    throw new Error(`opset ${opset} is not supported: use ${MIN_OPSET}..${MAX_OPSET}.`);
  }
  const w = readWeights(model, arch);
  const { vocabSize: V, embeddingDim: D, directions, gates, units: H } = w;
  const withTrace = directions === 1 && (options.trace ?? true);
  const F = directions * H; // features after the recurrent layer

  const g = new GraphBuilder(`sentiment_${arch.cell}${arch.bidirectional ? '_bi' : ''}_${arch.pooling}`);
  const ids = g.input(ONNX_INPUT, DataType.INT64, ['batch', 'time']);

  const reduceMax = (input: string, axes: number[], outputBase: string): string =>
    opset >= 18
      ? g.op('ReduceMax', [input, g.int64s('axes', axes)], { keepdims: attr.int(0) }, outputBase)
      : g.op('ReduceMax', [input], { axes: attr.ints(axes), keepdims: attr.int(0) }, outputBase);
  const unsqueeze = (input: string, axes: number[], outputBase?: string): string => g.op('Unsqueeze', [input, g.int64s('axes', axes)], {}, outputBase);
  const squeeze = (input: string, axes: number[], outputBase?: string): string => g.op('Squeeze', [input, g.int64s('axes', axes)], {}, outputBase);

  // Sequence lengths: non-padding ids per row.
  const notPad = g.op('Greater', [ids, g.scalarInt64('pad_id', 0)], {}, 'not_pad');
  const notPadInt = g.op('Cast', [notPad], { to: attr.int(DataType.INT32) }, 'not_pad_i32');
  const lengths = g.op('ReduceSum', [notPadInt, g.int64s('axes', [1])], { keepdims: attr.int(0) }, 'sequence_lens'); // int32 [B]

  // valid[t, b] = t < length[b] (the positions the RNN op reads).
  const time = g.op('Shape', [ids], { start: attr.int(1), end: attr.int(2) }, 'time_1d'); // int64 [1]
  const zero = g.scalarInt64('zero', 0);
  const steps = g.op('Range', [zero, squeeze(time, [0], 'time'), g.scalarInt64('one', 1)], {}, 'steps'); // int64 [T]
  const lengths64 = g.op('Cast', [lengths], { to: attr.int(DataType.INT64) }, 'sequence_lens_i64');
  const validTB = g.op('Less', [unsqueeze(steps, [1]), unsqueeze(lengths64, [0])], {}, 'valid_tb'); // bool [T, B]

  // Embedding: gather the rows of the ids, dequantize only those.
  let embedded: string; // float [B, T, D]
  if (quantize) {
    const q = quantizeRows(w.embedding, V, D);
    const table = g.initializer('embedding_int8', [V, D], q.values);
    const scales = g.initializer('embedding_scale', [V, 1], q.scales);
    const rows = g.op('Cast', [g.op('Gather', [table, ids], { axis: attr.int(0) }, 'embedded_int8')], { to: attr.int(DataType.FLOAT) }, 'embedded_q');
    embedded = g.op('Mul', [rows, g.op('Gather', [scales, ids], { axis: attr.int(0) }, 'embedded_scale')], {}, 'embedded');
  } else {
    embedded = g.op('Gather', [g.initializer('embedding', [V, D], w.embedding), ids], { axis: attr.int(0) }, 'embedded');
  }
  const X = g.op('Transpose', [embedded], { perm: attr.ints([1, 0, 2]) }, 'x_time_major'); // [T, B, D]

  // The recurrent layer. Y: [T, directions, B, H] (0 beyond each length); Y_h: [directions, B, H].
  const Wv = weightMatrix(g, 'W', [directions, gates * H, D], w.W, quantize);
  const Rv = weightMatrix(g, 'R', [directions, gates * H, H], w.R, quantize);
  const Bv = g.initializer('B', [directions, 2 * gates * H], w.B);
  const needY = arch.pooling !== 'last' || withTrace;
  const needYh = arch.pooling === 'last';
  const rnnAttrs = { hidden_size: attr.int(H), direction: attr.string(directions === 2 ? 'bidirectional' : 'forward') };
  // Outputs the pooling does not read are left out, so the op does not materialise them.
  const [Y, Yh] = g.opN(ONNX_OP[arch.cell], [X, Wv, Rv, Bv, lengths], [needY ? 'Y' : null, needYh ? 'Y_h' : null], rnnAttrs);

  // Per-step features [T, B, F], forward then backward (the tfjs concat order).
  const features = needY
    ? directions === 1
      ? squeeze(Y!, [1], 'y_steps')
      : g.op('Reshape', [g.op('Transpose', [Y!], { perm: attr.ints([0, 2, 1, 3]) }, 'y_tbdh'), g.int64s('shape', [0, 0, F])], {}, 'y_steps')
    : '';

  // Each pooling gives the pooled features [B, F] and, for the trace, the pooled features after each step [T, B, F].
  const meanPool = (): { pooled: string; steps: string } => {
    // Mean over valid steps: Y is 0 beyond each length, so the sum over all steps is the sum over valid ones.
    // Lengths are clamped to 1 so that a row with no words pools to 0 (like 'last') instead of dividing by 0.
    const one = g.scalarFloat('one_f', 1);
    const lengthsF = g.op('Max', [g.op('Cast', [lengths], { to: attr.int(DataType.FLOAT) }, 'sequence_lens_f'), one], {}, 'sequence_lens_min1');
    const summed = g.op('ReduceSum', [features, g.int64s('axes_t', [0])], { keepdims: attr.int(0) }, 'y_sum'); // [B, F]
    const pooled = g.op('Div', [summed, unsqueeze(lengthsF, [1])], {}, 'pooled_mean');
    if (!withTrace) return { pooled, steps: '' };
    // Running mean after each step: cumulative sum over time divided by the steps read so far.
    const cumulative = g.op('CumSum', [features, g.scalarInt64('axis_t', 0)], {}, 'y_cumsum'); // [T, B, F]
    const count = g.op('Add', [g.op('Cast', [steps], { to: attr.int(DataType.FLOAT) }, 'steps_f'), one], {}, 'steps_read');
    return { pooled, steps: g.op('Div', [cumulative, unsqueeze(count, [1, 2])], {}, 'y_running_mean') };
  };
  const maxPool = (): { pooled: string; steps: string } => {
    // Max over valid steps only. Y is 0 beyond each length, which could exceed every valid value, so padded steps
    // become the lowest float first. A row with length 0 keeps step 0 (Y = 0 there), so its pooled state is 0
    // like the 'last' pooling's, never the lowest float.
    const validOrFirst = g.op('Or', [validTB, g.op('Equal', [unsqueeze(steps, [1]), zero], {}, 'is_first')], {}, 'valid_or_first');
    const masked = g.op('Where', [unsqueeze(validOrFirst, [2]), features, g.scalarFloat('lowest', -3.4028234663852886e38)], {}, 'y_masked');
    return { pooled: reduceMax(masked, [0], 'pooled_max'), steps: withTrace ? runningMax(g, masked, time) : '' };
  };

  let pooled: string; // [B, poolings * F]
  let traceFeatures = ''; // [T, B, poolings * F], the pooled features after each step
  if (arch.pooling === 'last') {
    pooled =
      directions === 1
        ? squeeze(Yh!, [0], 'pooled')
        : g.op('Reshape', [g.op('Transpose', [Yh!], { perm: attr.ints([1, 0, 2]) }, 'y_h_bdh'), g.int64s('shape', [0, F])], {}, 'pooled');
    if (withTrace) traceFeatures = features;
  } else if (arch.pooling === 'meanmax') {
    // Mean then max, concatenated on the feature axis (the order of tfjs's Concatenate in train/model.ts).
    const mean = meanPool();
    const max = maxPool();
    pooled = g.op('Concat', [mean.pooled, max.pooled], { axis: attr.int(1) }, 'pooled');
    if (withTrace) traceFeatures = g.op('Concat', [mean.steps, max.steps], { axis: attr.int(2) }, 'y_running_pooled');
  } else {
    ({ pooled, steps: traceFeatures } = arch.pooling === 'mean' ? meanPool() : maxPool());
  }

  const denseKernel = g.initializer('classifier_kernel', [poolings(arch) * F, 1], w.denseKernel);
  const denseBias = g.initializer('classifier_bias', [1], w.denseBias);
  const logit = g.op('Add', [g.op('MatMul', [pooled, denseKernel], {}, 'pooled_dot'), denseBias], {}, 'logit'); // [B, 1]
  const score = squeeze(g.op('Sigmoid', [logit], {}, 'score_b1'), [1], 'score_b');
  g.output(score, ONNX_OUTPUTS.score, DataType.FLOAT, ['batch']);

  if (withTrace) {
    const stepLogits = g.op('Add', [g.op('MatMul', [traceFeatures, denseKernel], {}, 'steps_dot'), denseBias], {}, 'step_logits'); // [T, B, 1]
    const stepScores = g.op('Sigmoid', [g.op('Transpose', [squeeze(stepLogits, [2])], { perm: attr.ints([1, 0]) }, 'step_logits_bt')], {}, 'step_scores');
    // Beyond a row's length, repeat its score (the 'last' pooling's Y is 0 there, not the final state).
    const validBT = g.op('Transpose', [validTB], { perm: attr.ints([1, 0]) }, 'valid_bt');
    const trace = g.op('Where', [validBT, stepScores, unsqueeze(score, [1])], {}, 'trace_bt');
    g.output(trace, ONNX_OUTPUTS.trace, DataType.FLOAT, ['batch', 'time']);
  }

  const quantization = quantize
    ? 'int8 embedding and recurrent weights (W, R), symmetric per-row float32 scales (maxabs/127), dequantized in the graph ' +
      '(embedding: only the gathered rows); biases and classifier float32'
    : 'none (float32 weights)';
  const bytes = encodeModel(g, {
    opset,
    producerName: PRODUCER_NAME,
    producerVersion: PRODUCER_VERSION,
    docString:
      `${arch.cell}${arch.bidirectional ? ' bidirectional' : ''} sentiment classifier, pooling ${arch.pooling}. ` +
      `Input ${ONNX_INPUT}: int64 [batch, time], ids >= 1 right-padded with 0. Output ${ONNX_OUTPUTS.score}: float32 [batch]` +
      (withTrace ? `; ${ONNX_OUTPUTS.trace}: float32 [batch, time], score after each word, repeating the score beyond each length.` : '.'),
    metadata: { architecture: JSON.stringify(arch), quantization },
  });
  return {
    bytes,
    settings: {
      opset,
      input: ONNX_INPUT,
      outputs: withTrace ? { score: ONNX_OUTPUTS.score, trace: ONNX_OUTPUTS.trace } : { score: ONNX_OUTPUTS.score },
      quantization,
    },
  };
}

/**
 * Running maximum over time (ONNX has no CumMax) by prefix doubling: x float [T, B, F] -> out [T, B, F] with
 * out[t] = max(x[0..t]). Round k (shift s = 2^k) sets out = Max(out, out shifted down the time axis by s, the
 * first s steps filled with the lowest float), so after round k out[t] = max(x[t - 2^(k+1) + 1 .. t]);
 * ceil(log2 T) rounds cover every prefix. The rounds run in a Loop whose trip count the graph computes from T.
 * A Scan carrying the maximum step by step computes the same thing but costs T subgraph calls: on a 230-word
 * review (units 64, onnxruntime-web, one thread) the Scan made a run 0.5-0.7 ms slower, the 8-round Loop ~0.2 ms.
 */
function runningMax(g: GraphBuilder, x: string, time: string): string {
  const body = new GraphBuilder('running_max_round', 'loop_');
  body.input('loop_iter', DataType.INT64, []);
  const condIn = body.input('loop_cond_in', DataType.BOOL, []);
  const yIn = body.input('loop_y_in', DataType.FLOAT);
  const shiftIn = body.input('loop_shift_in', DataType.INT64, [1]);
  const pads = body.op('Concat', [shiftIn, body.int64s('pads_rest', [0, 0, 0, 0, 0])], { axis: attr.int(0) }, 'pads');
  const padded = body.op('Pad', [yIn, pads, body.scalarFloat('lowest', -3.4028234663852886e38)], {}, 'padded');
  const shifted = body.op('Slice', [padded, body.int64s('starts', [0]), body.op('Neg', [shiftIn], {}, 'neg_shift'), body.int64s('axes', [0])], {}, 'shifted');
  const yOut = body.op('Max', [yIn, shifted], {}, 'y_max');
  const shiftOut = body.op('Mul', [shiftIn, body.int64s('two', [2])], {}, 'shift_x2');
  body.output(condIn, 'loop_cond_out', DataType.BOOL, []);
  body.output(yOut, 'loop_y_out', DataType.FLOAT);
  body.output(shiftOut, 'loop_shift_out', DataType.INT64, [1]);
  // Trip count ceil(log2(max(T, 1))); float rounding can only add a harmless extra round at exact powers of two.
  const tFloat = g.op('Cast', [g.op('Max', [time, g.int64s('one_1d', [1])], {}, 'time_pos')], { to: attr.int(DataType.FLOAT) }, 'time_f');
  const log2 = g.op('Div', [g.op('Log', [tFloat], {}, 'log_time'), g.scalarFloat('ln2', Math.LN2)], {}, 'log2_time');
  const trips = g.op('Cast', [g.op('Squeeze', [g.op('Ceil', [log2], {}, 'rounds_f'), g.int64s('axes', [0])], {}, 'rounds_f0')], { to: attr.int(DataType.INT64) }, 'rounds');
  const [running] = g.opN('Loop', [trips, '', x, g.int64s('first_shift', [1])], ['running_max', 'loop_final_shift'], {
    body: attr.graph(body.toProto()),
  });
  return running!;
}
