/**
 * The trace graph: the scoring graph's recurrent states -> the score the model would give after reading words
 * 0..t of each row. A separate, small graph (the classifier's few weights, no embedding), so that plain
 * scoring never pays for it: ONNX Runtime runs every node of a graph whatever outputs are fetched.
 *
 * - input  `states` float32 [time, batch, units] (the scoring graph's output of that name).
 * - output `trace`  float32 [batch, time]: sigmoid(Dense(pooled states 0..t)), with the pooling the model was
 *   trained with applied to the prefix (last: the state at t; mean: their running mean; max: their running
 *   maximum; meanmax: both side by side). Only the first `length` values of a row mean anything: beyond it the
 *   states are padding.
 */
import type { Architecture } from '../../src/model/metadata.ts';
import { ONNX_OUTPUTS } from './contract.ts';
import { attr, DataType, GraphBuilder } from './graph.ts';
import { LOWEST_FLOAT } from './scoring-graph.ts';
import { type OnnxWeights, poolings } from './weights.ts';

export function buildTraceGraph(w: OnnxWeights, arch: Architecture): GraphBuilder {
  if (w.directions !== 1) throw new Error('A bidirectional model has no score after each word, so no trace graph.');
  const H = w.units;
  const g = new GraphBuilder(`trace_${arch.cell}_${arch.pooling}`);
  const states = g.input(ONNX_OUTPUTS.states, DataType.FLOAT, ['time', 'batch', H]);

  const runningMean = (): string => {
    // Cumulative sum over time divided by the steps read so far.
    const time = g.op('Shape', [states], { start: attr.int(0), end: attr.int(1) }, 'time_1d');
    const steps = g.op(
      'Range',
      [g.scalarInt64('zero', 0), g.op('Squeeze', [time, g.int64s('axes', [0])], {}, 'time'), g.scalarInt64('one', 1)],
      {},
      'steps',
    );
    const count = g.op(
      'Add',
      [g.op('Cast', [steps], { to: attr.int(DataType.FLOAT) }, 'steps_f'), g.scalarFloat('one_f', 1)],
      {},
      'steps_read',
    );
    const cumulative = g.op('CumSum', [states, g.scalarInt64('axis_t', 0)], {}, 'y_cumsum'); // [T, B, H]
    return g.op(
      'Div',
      [cumulative, g.op('Unsqueeze', [count, g.int64s('axes', [1, 2])], {}, 'steps_read_tbh')],
      {},
      'y_running_mean',
    );
  };

  let pooledSteps: string; // [T, B, poolings * H]
  if (arch.pooling === 'last') pooledSteps = states;
  else if (arch.pooling === 'mean') pooledSteps = runningMean();
  else if (arch.pooling === 'max') pooledSteps = runningMax(g, states);
  else pooledSteps = g.op('Concat', [runningMean(), runningMax(g, states)], { axis: attr.int(2) }, 'y_running_pooled');

  const denseKernel = g.initializer('classifier_kernel', [poolings(arch) * H, 1], w.denseKernel);
  const denseBias = g.initializer('classifier_bias', [1], w.denseBias);
  const stepLogits = g.op(
    'Add',
    [g.op('MatMul', [pooledSteps, denseKernel], {}, 'steps_dot'), denseBias],
    {},
    'step_logits',
  ); // [T, B, 1]
  const logitsBT = g.op(
    'Transpose',
    [g.op('Squeeze', [stepLogits, g.int64s('axes', [2])], {}, 'step_logits_tb')],
    { perm: attr.ints([1, 0]) },
    'step_logits_bt',
  );
  g.output(g.op('Sigmoid', [logitsBT], {}, 'step_scores'), ONNX_OUTPUTS.trace, DataType.FLOAT, ['batch', 'time']);
  return g;
}

/**
 * Running maximum over time (ONNX has no CumMax) by prefix doubling: x float [T, B, F] -> out [T, B, F] with
 * out[t] = max(x[0..t]). Round k (shift s = 2^k) sets out = Max(out, out shifted down the time axis by s, the
 * first s steps filled with the lowest float), so after round k out[t] = max(x[t - 2^(k+1) + 1 .. t]);
 * ceil(log2 T) rounds cover every prefix. The rounds run in a Loop whose trip count the graph computes from T.
 * A Scan carrying the maximum step by step computes the same thing but costs T subgraph calls: on a 230-word
 * review (units 64, onnxruntime-web, one thread) the Scan made a run 0.5-0.7 ms slower, the 8-round Loop ~0.2 ms.
 */
function runningMax(g: GraphBuilder, x: string): string {
  const body = new GraphBuilder('running_max_round', 'loop_');
  body.input('loop_iter', DataType.INT64, []);
  const condIn = body.input('loop_cond_in', DataType.BOOL, []);
  const yIn = body.input('loop_y_in', DataType.FLOAT);
  const shiftIn = body.input('loop_shift_in', DataType.INT64, [1]);
  const pads = body.op('Concat', [shiftIn, body.int64s('pads_rest', [0, 0, 0, 0, 0])], { axis: attr.int(0) }, 'pads');
  const padded = body.op('Pad', [yIn, pads, body.scalarFloat('lowest', LOWEST_FLOAT)], {}, 'padded');
  const shifted = body.op(
    'Slice',
    [padded, body.int64s('starts', [0]), body.op('Neg', [shiftIn], {}, 'neg_shift'), body.int64s('axes', [0])],
    {},
    'shifted',
  );
  const yOut = body.op('Max', [yIn, shifted], {}, 'y_max');
  const shiftOut = body.op('Mul', [shiftIn, body.int64s('two', [2])], {}, 'shift_x2');
  body.output(condIn, 'loop_cond_out', DataType.BOOL, []);
  body.output(yOut, 'loop_y_out', DataType.FLOAT);
  body.output(shiftOut, 'loop_shift_out', DataType.INT64, [1]);
  // Trip count ceil(log2(max(T, 1))); float rounding can only add a harmless extra round at exact powers of two.
  const time = g.op('Shape', [x], { start: attr.int(0), end: attr.int(1) }, 'time_1d_max');
  const tFloat = g.op(
    'Cast',
    [g.op('Max', [time, g.int64s('one_1d', [1])], {}, 'time_pos')],
    { to: attr.int(DataType.FLOAT) },
    'time_f',
  );
  const log2 = g.op('Div', [g.op('Log', [tFloat], {}, 'log_time'), g.scalarFloat('ln2', Math.LN2)], {}, 'log2_time');
  const trips = g.op(
    'Cast',
    [g.op('Squeeze', [g.op('Ceil', [log2], {}, 'rounds_f'), g.int64s('axes', [0])], {}, 'rounds_f0')],
    { to: attr.int(DataType.INT64) },
    'rounds',
  );
  const [running] = g.opN('Loop', [trips, '', x, g.int64s('first_shift', [1])], ['running_max', 'loop_final_shift'], {
    body: attr.graph(body.toProto()),
  });
  return running!;
}
