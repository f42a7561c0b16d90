/**
 * The model's trainable parameters, counted from metadata.json's architecture, and the check that the scoring
 * graph's weights have the shapes that architecture implies (so the counts GET /how shows are those of the file
 * the Worker runs).
 */
import type { Architecture } from './metadata.ts';
import { ModelMismatchError } from './model-files.ts';
import {
  elementCount,
  OnnxDataType,
  OnnxFormatError,
  type OnnxInitializer,
  readInitializers,
} from './onnx-initializers.ts';

/** Weight matrices per cell: the SimpleRNN has one (tanh), a GRU three (update, reset, candidate), an LSTM four. */
export const GATES = { simplernn: 1, gru: 3, lstm: 4 } as const;

/** Pooled vectors the classifier reads side by side: mean and max give two. */
export function poolings(architecture: Pick<Architecture, 'pooling'>): number {
  return architecture.pooling === 'meanmax' ? 2 : 1;
}

/** Trainable parameters per part, as the trained (tfjs) model has them. */
export interface ParameterCounts {
  /** vocabulary x dimension */
  embedding: number;
  /** W: dimension x units, per gate and direction */
  inputWeights: number;
  /** U: units x units, per gate and direction */
  recurrentWeights: number;
  /** b: units, per gate and direction */
  bias: number;
  /** The features the classifier reads: units x directions x pooled vectors. */
  features: number;
  /** features x 1 weights + 1 bias */
  classifier: number;
  /** The recurrent layer: inputWeights + recurrentWeights + bias. */
  recurrent: number;
  total: number;
}

export function countParameters(architecture: Architecture): ParameterCounts {
  const { vocabSize: V, embeddingDim: D, units: H } = architecture;
  const blocks = GATES[architecture.cell] * (architecture.bidirectional ? 2 : 1);
  const embedding = V * D;
  const inputWeights = blocks * D * H;
  const recurrentWeights = blocks * H * H;
  const bias = blocks * H;
  const features = poolings(architecture) * (architecture.bidirectional ? 2 : 1) * H;
  const classifier = features + 1;
  const recurrent = inputWeights + recurrentWeights + bias;
  return {
    embedding,
    inputWeights,
    recurrentWeights,
    bias,
    features,
    classifier,
    recurrent,
    total: embedding + recurrent + classifier,
  };
}

/**
 * The names the exporter gives the scoring graph's weights (train/onnx/scoring-graph.ts). The embedding is
 * `embedding_int8` with `embedding_scale` in an int8 export, `embedding` in a float one.
 */
export const INITIALIZERS = {
  embeddingInt8: 'embedding_int8',
  embeddingScale: 'embedding_scale',
  embeddingFloat: 'embedding',
  W: 'W',
  R: 'R',
  WInt8: 'W_int8',
  WScale: 'W_scale',
  RInt8: 'R_int8',
  RScale: 'R_scale',
  B: 'B',
  classifierKernel: 'classifier_kernel',
  classifierBias: 'classifier_bias',
} as const;

/** The dims each weight of the scoring graph must have for `architecture` (ONNX's RNN/GRU/LSTM layouts). */
export function expectedInitializerDims(architecture: Architecture, int8: boolean): Record<string, number[]> {
  const { vocabSize: V, embeddingDim: D, units: H } = architecture;
  const directions = architecture.bidirectional ? 2 : 1;
  const gates = GATES[architecture.cell];
  return {
    ...(int8
      ? { [INITIALIZERS.embeddingInt8]: [V, D], [INITIALIZERS.embeddingScale]: [V, 1] }
      : { [INITIALIZERS.embeddingFloat]: [V, D] }),
    // int8 exports store W and R as int8 rows with per-row scales (dequantized when a session starts).
    ...(int8
      ? {
          [INITIALIZERS.WInt8]: [directions, gates * H, D],
          [INITIALIZERS.WScale]: [directions, gates * H, 1],
          [INITIALIZERS.RInt8]: [directions, gates * H, H],
          [INITIALIZERS.RScale]: [directions, gates * H, 1],
        }
      : { [INITIALIZERS.W]: [directions, gates * H, D], [INITIALIZERS.R]: [directions, gates * H, H] }),
    // ONNX's B holds an input bias and a recurrent bias per gate; the exporter writes the trained bias into the
    // first and zeros into the second (a tfjs cell has one bias), so only half of B is trainable.
    [INITIALIZERS.B]: [directions, 2 * gates * H],
    [INITIALIZERS.classifierKernel]: [poolings(architecture) * directions * H, 1],
    [INITIALIZERS.classifierBias]: [1],
  };
}

const DATA_TYPES: Record<string, number> = {
  [INITIALIZERS.embeddingInt8]: OnnxDataType.INT8,
  [INITIALIZERS.WInt8]: OnnxDataType.INT8,
  [INITIALIZERS.RInt8]: OnnxDataType.INT8,
};

const shape = (dims: readonly number[]) => `[${dims.join(', ')}]`;

/**
 * Throws ModelMismatchError unless the scoring graph `file` holds every weight the architecture implies, with
 * its dims and data type, each stored whole in raw_data.
 */
export function checkInitializers(
  architecture: Architecture,
  initializers: ReadonlyMap<string, OnnxInitializer>,
  file: string,
): void {
  const int8 = initializers.has(INITIALIZERS.embeddingInt8);
  const problems: string[] = [];
  for (const [name, dims] of Object.entries(expectedInitializerDims(architecture, int8))) {
    const found = initializers.get(name);
    if (!found) {
      problems.push(`${file} has no weight named ${name}`);
      continue;
    }
    if (shape(found.dims) !== shape(dims)) {
      problems.push(`${file}'s ${name} is ${shape(found.dims)}, but metadata.json's architecture needs ${shape(dims)}`);
    }
    const dataType = DATA_TYPES[name] ?? OnnxDataType.FLOAT;
    if (found.dataType !== dataType) {
      problems.push(`${file}'s ${name} has ONNX data type ${found.dataType}, not ${dataType}`);
    }
    const bytes = elementCount(found.dims) * (dataType === OnnxDataType.INT8 ? 1 : 4);
    if (found.raw?.byteLength !== bytes) {
      problems.push(`${file}'s ${name} does not hold its ${bytes} bytes of values in raw_data`);
    }
  }
  if (problems.length > 0) {
    throw new ModelMismatchError(
      `The model files do not match (export them again with npm run train): ${problems.join('; ')}.`,
    );
  }
}

/** The weights of the scoring graph `bytes` (named `file`), checked against `architecture`: ModelMismatchError if not. */
export function readCheckedInitializers(
  bytes: Uint8Array,
  architecture: Architecture,
  file: string,
): Map<string, OnnxInitializer> {
  let initializers: Map<string, OnnxInitializer>;
  try {
    initializers = readInitializers(bytes);
  } catch (error) {
    if (!(error instanceof OnnxFormatError)) throw error;
    throw new ModelMismatchError(`${file} cannot be read as an ONNX model: ${error.message}.`);
  }
  checkInitializers(architecture, initializers, file);
  return initializers;
}
