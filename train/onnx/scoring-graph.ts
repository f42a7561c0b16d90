/**
 * The scoring graph: word ids -> probability of positive, and (for the trace graph) the recurrent states.
 *
 * - input  `input_ids` int32 [batch, time], word ids >= 1, right-padded with 0 (PAD_ID).
 * - output `score`     float32 [batch], P(positive) = sigmoid(Dense(pooled states)).
 * - output `states`    float32 [time, batch, units], unidirectional models only: the recurrent state after each
 *   word (0 beyond each row's length), which the trace graph turns into the score after each word. ONNX
 *   Runtime computes it for the pooling anyway; leaving it unfetched costs nothing.
 *
 * The model has no masking layer (training batches hold sequences of one length); the graph neutralises padding
 * itself: sequence lengths are counted in the graph (ids > 0) and fed to the RNN/GRU/LSTM op's sequence_lens,
 * which stops each row's recurrence (both directions) at its own length. A row with no words gets sequence
 * length 0: its score is sigmoid(Dense(0)), the model's answer for an empty state.
 */
import type { Architecture } from '../../src/model/metadata.ts';
import { ONNX_INPUT, ONNX_OUTPUTS } from './contract.ts';
import { attr, DataType, GraphBuilder } from './graph.ts';
import { quantizeRows } from './quantize.ts';
import { ONNX_OP, type OnnxWeights, poolings } from './weights.ts';

export const LOWEST_FLOAT = -3.4028234663852886e38;

export interface ScoringGraphOptions {
  quantize: boolean;
  opset: number;
  /** Expose the recurrent states as the `states` output (unidirectional models with a trace graph). */
  states: boolean;
}

/**
 * A weight matrix [...leading, cols] as a graph value: float32, or int8 rows with per-row scales dequantized by
 * a Cast and a Mul of constants, which ONNX Runtime folds into float32 when the session is created (the file keeps
 * int8; storing the float32 values instead measured no faster in runs or session creation).
 */
function weightMatrix(g: GraphBuilder, name: string, dims: number[], data: Float32Array, quantize: boolean): string {
  if (!quantize) return g.initializer(name, dims, data);
  const cols = dims[dims.length - 1]!;
  const q = quantizeRows(data, data.length / cols, cols);
  const int8 = g.initializer(`${name}_int8`, dims, q.values);
  const scales = g.initializer(`${name}_scale`, [...dims.slice(0, -1), 1], q.scales);
  return g.op('Mul', [g.op('Cast', [int8], { to: attr.int(DataType.FLOAT) }, `${name}_int8_f`), scales], {}, name);
}

export function buildScoringGraph(w: OnnxWeights, arch: Architecture, options: ScoringGraphOptions): GraphBuilder {
  const { quantize, opset } = options;
  const { vocabSize: V, embeddingDim: D, directions, gates, units: H } = w;
  const F = directions * H; // features after the recurrent layer

  const g = new GraphBuilder(`sentiment_${arch.cell}${arch.bidirectional ? '_bi' : ''}_${arch.pooling}`);
  const ids = g.input(ONNX_INPUT, DataType.INT32, ['batch', 'time']);

  const unsqueeze = (input: string, axes: number[], outputBase?: string): string =>
    g.op('Unsqueeze', [input, g.int64s('axes', axes)], {}, outputBase);
  const squeeze = (input: string, axes: number[], outputBase?: string): string =>
    g.op('Squeeze', [input, g.int64s('axes', axes)], {}, outputBase);
  const reduceMax = (input: string, axes: number[], outputBase: string): string =>
    opset >= 18
      ? g.op('ReduceMax', [input, g.int64s('axes', axes)], { keepdims: attr.int(0) }, outputBase)
      : g.op('ReduceMax', [input], { axes: attr.ints(axes), keepdims: attr.int(0) }, outputBase);

  // Sequence lengths: non-padding ids per row (int32, what the RNN op takes).
  const notPad = g.op('Greater', [ids, g.initializer('pad_id', [], Int32Array.of(0))], {}, 'not_pad');
  const notPadInt = g.op('Cast', [notPad], { to: attr.int(DataType.INT32) }, 'not_pad_i32');
  const lengths = g.op('ReduceSum', [notPadInt, g.int64s('axes', [1])], { keepdims: attr.int(0) }, 'sequence_lens'); // [B]

  // Embedding, gathered time-major ([T, B, D], the RNN op's layout) so no float tensor needs transposing; with
  // int8 weights only the gathered rows are dequantized, every run (a table dequantized once when the session
  // starts ran no faster and held 13 MiB more wasm memory).
  const idsTB = g.op('Transpose', [ids], { perm: attr.ints([1, 0]) }, 'ids_tb');
  let X: string; // [T, B, D]
  if (quantize) {
    const q = quantizeRows(w.embedding, V, D);
    const int8 = g.initializer('embedding_int8', [V, D], q.values);
    const scales = g.initializer('embedding_scale', [V, 1], q.scales);
    const rows = g.op(
      'Cast',
      [g.op('Gather', [int8, idsTB], { axis: attr.int(0) }, 'x_int8')],
      { to: attr.int(DataType.FLOAT) },
      'x_q',
    );
    X = g.op('Mul', [rows, g.op('Gather', [scales, idsTB], { axis: attr.int(0) }, 'x_scale')], {}, 'x_time_major');
  } else {
    X = g.op('Gather', [g.initializer('embedding', [V, D], w.embedding), idsTB], { axis: attr.int(0) }, 'x_time_major');
  }

  // The recurrent layer. Y: [T, directions, B, H] (0 beyond each length); Y_h: [directions, B, H].
  const Wv = weightMatrix(g, 'W', [directions, gates * H, D], w.W, quantize);
  const Rv = weightMatrix(g, 'R', [directions, gates * H, H], w.R, quantize);
  const Bv = g.initializer('B', [directions, 2 * gates * H], w.B);
  const needY = arch.pooling !== 'last' || options.states;
  const needYh = arch.pooling === 'last';
  const rnnAttrs = { hidden_size: attr.int(H), direction: attr.string(directions === 2 ? 'bidirectional' : 'forward') };
  // Outputs the pooling does not read are left out, so the op does not materialise them.
  const [Y, Yh] = g.opN(
    ONNX_OP[arch.cell],
    [X, Wv, Rv, Bv, lengths],
    [needY ? 'Y' : null, needYh ? 'Y_h' : null],
    rnnAttrs,
  );

  // Per-step features [T, B, F], forward then backward (the tfjs concat order).
  const features = !needY
    ? ''
    : directions === 1
      ? squeeze(Y!, [1], 'y_steps')
      : g.op(
          'Reshape',
          [g.op('Transpose', [Y!], { perm: attr.ints([0, 2, 1, 3]) }, 'y_tbdh'), g.int64s('shape', [0, 0, F])],
          {},
          'y_steps',
        );
  if (options.states) g.output(features, ONNX_OUTPUTS.states, DataType.FLOAT, ['time', 'batch', F]);

  const meanPool = (): string => {
    // Mean over valid steps: Y is 0 beyond each length, so the sum over all steps is the sum over valid ones.
    // Lengths are clamped to 1 so that a row with no words pools to 0 (like 'last') instead of dividing by 0.
    const lengthsF = g.op(
      'Max',
      [g.op('Cast', [lengths], { to: attr.int(DataType.FLOAT) }, 'sequence_lens_f'), g.scalarFloat('one_f', 1)],
      {},
      'sequence_lens_min1',
    );
    const summed = g.op('ReduceSum', [features, g.int64s('axes_t', [0])], { keepdims: attr.int(0) }, 'y_sum'); // [B, F]
    return g.op('Div', [summed, unsqueeze(lengthsF, [1])], {}, 'pooled_mean');
  };
  const maxPool = (): string => {
    // Max over valid steps only. Y is 0 beyond each length, which could exceed every valid value, so padded
    // steps become the lowest float first. Step 0 is always kept (Y = 0 there for a row with length 0), so an
    // empty row pools to 0 like the 'last' pooling's, never to the lowest float.
    const time = g.op('Shape', [ids], { start: attr.int(1), end: attr.int(2) }, 'time_1d'); // int64 [1]
    const steps = g.op(
      'Range',
      [g.scalarInt64('zero', 0), squeeze(time, [0], 'time'), g.scalarInt64('one', 1)],
      {},
      'steps',
    ); // int64 [T]
    const lengths64 = g.op('Cast', [lengths], { to: attr.int(DataType.INT64) }, 'sequence_lens_i64');
    // keep[t, b] = t < max(length[b], 1)
    const atLeastOne = g.op('Max', [lengths64, g.scalarInt64('one_i64', 1)], {}, 'sequence_lens_min1_i64');
    const keep = g.op('Less', [unsqueeze(steps, [1]), unsqueeze(atLeastOne, [0])], {}, 'keep_tb'); // bool [T, B]
    const masked = g.op(
      'Where',
      [unsqueeze(keep, [2]), features, g.scalarFloat('lowest', LOWEST_FLOAT)],
      {},
      'y_masked',
    );
    return reduceMax(masked, [0], 'pooled_max');
  };

  let pooled: string; // [B, poolings * F]
  if (arch.pooling === 'last') {
    pooled =
      directions === 1
        ? squeeze(Yh!, [0], 'pooled')
        : g.op(
            'Reshape',
            [g.op('Transpose', [Yh!], { perm: attr.ints([1, 0, 2]) }, 'y_h_bdh'), g.int64s('shape', [0, F])],
            {},
            'pooled',
          );
  } else if (arch.pooling === 'meanmax') {
    // Mean then max, concatenated on the feature axis (the order of tfjs's Concatenate in train/model.ts).
    pooled = g.op('Concat', [meanPool(), maxPool()], { axis: attr.int(1) }, 'pooled');
  } else {
    pooled = arch.pooling === 'mean' ? meanPool() : maxPool();
  }

  const denseKernel = g.initializer('classifier_kernel', [poolings(arch) * F, 1], w.denseKernel);
  const denseBias = g.initializer('classifier_bias', [1], w.denseBias);
  const logit = g.op('Add', [g.op('MatMul', [pooled, denseKernel], {}, 'pooled_dot'), denseBias], {}, 'logit'); // [B, 1]
  const score = squeeze(g.op('Sigmoid', [logit], {}, 'score_b1'), [1], 'score_b');
  g.output(score, ONNX_OUTPUTS.score, DataType.FLOAT, ['batch']);
  return g;
}
