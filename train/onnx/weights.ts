/**
 * The trained tfjs weights, rearranged into the layouts ONNX's RNN/GRU/LSTM ops and the classifier read
 * (row-major float32): gate order, transposed kernels, the bias split into Wb and Rb.
 */
import type * as tf from '@tensorflow/tfjs';

import type { Architecture } from '../../src/model/metadata.ts';
import { LAYER_NAMES } from '../model.ts';

/** The tfjs weights of the model, already rearranged into ONNX layouts (row-major float32). */
export interface OnnxWeights {
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

export const ONNX_OP = { simplernn: 'RNN', gru: 'GRU', lstm: 'LSTM' } as const;
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
  gateOrder.forEach((tfGate, onnxGate) =>
    out.set(bias.subarray(tfGate * units, (tfGate + 1) * units), onnxGate * units),
  );
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

export function readWeights(model: tf.LayersModel, arch: Architecture): OnnxWeights {
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
    throw new Error(
      `Layer ${LAYER_NAMES.rnn}: expected ${3 * directions} weights (kernel, recurrent_kernel, bias per direction), found ${tensors.length}.`,
    );
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
    if (!names[1]!.includes('recurrent_kernel'))
      throw new Error(`Layer ${LAYER_NAMES.rnn}: unexpected weight order ${names.join(', ')}.`);
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
export function poolings(arch: Architecture): number {
  return arch.pooling === 'meanmax' ? 2 : 1;
}
