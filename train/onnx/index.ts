/**
 * Exports a trained tfjs classifier (train/model.ts) to the ONNX graphs onnxruntime-web runs in the Worker:
 * the scoring graph (scoring-graph.ts: ids -> score, and the recurrent states) and, for unidirectional models,
 * the trace graph (trace-graph.ts: states -> the score after each word). Two graphs, because ONNX Runtime runs
 * every node of a graph whatever outputs are fetched: a plain score never pays for the trace.
 */

import { createHash } from 'node:crypto';
import type * as tf from '@tensorflow/tfjs';

import type { Architecture, OnnxSettings } from '../../src/model/metadata.ts';
import { ONNX_FILES, ONNX_INPUT, ONNX_NEIGHBORS, ONNX_OUTPUTS } from './contract.ts';
import { encodeModel } from './graph.ts';
import { buildNeighborsGraph } from './neighbors-graph.ts';
import { buildScoringGraph } from './scoring-graph.ts';
import { buildTraceGraph } from './trace-graph.ts';
import { readWeights } from './weights.ts';

export const PRODUCER_NAME = 'edge-sentiment train/onnx';
export const PRODUCER_VERSION = '2';
export const DEFAULT_OPSET = 17;
const MIN_OPSET = 17;
const MAX_OPSET = 21;

export interface ExportOptions {
  /** int8 embedding and recurrent weights with per-row scales (default true); false keeps every weight float32. */
  quantize?: boolean;
  /** ONNX opset of the default domain, 17..21 (default 17). */
  opset?: number;
  /** Export the trace graph (default true; always false for bidirectional models, which have no causal trace). */
  trace?: boolean;
}

export interface ExportResult {
  /** The serialized scoring ModelProto. */
  scoring: Uint8Array;
  /** The serialized trace ModelProto, when the model has one. */
  trace?: Uint8Array;
  /** The serialized neighbours ModelProto (nearest words in the embedding). */
  neighbors: Uint8Array;
  opset: number;
  quantization: string;
}

export function quantizationNote(quantize: boolean): string {
  return quantize
    ? 'int8 embedding and recurrent weights (W, R), symmetric per-row float32 scales (maxabs/127), dequantized in the ' +
        'graph (the embedding: only the gathered rows; W and R: once, when the session starts); biases and classifier ' +
        'float32'
    : 'none (float32 weights)';
}

/** Exports `model` (built by buildModel(arch) and trained). Dropout is dropped (inference only). */
export function exportOnnx(model: tf.LayersModel, arch: Architecture, options: ExportOptions = {}): ExportResult {
  const quantize = options.quantize ?? true;
  const opset = options.opset ?? DEFAULT_OPSET;
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET) {
    throw new Error(`opset ${opset} is not supported: use ${MIN_OPSET}..${MAX_OPSET}.`);
  }
  const weights = readWeights(model, arch);
  const withTrace = weights.directions === 1 && (options.trace ?? true);
  const quantization = quantizationNote(quantize);
  const info = (docString: string) => ({
    opset,
    producerName: PRODUCER_NAME,
    producerVersion: PRODUCER_VERSION,
    docString,
    metadata: { architecture: JSON.stringify(arch), quantization },
  });
  const kind = `${arch.cell}${arch.bidirectional ? ' bidirectional' : ''} sentiment classifier, pooling ${arch.pooling}`;
  const scoring = encodeModel(
    buildScoringGraph(weights, arch, { quantize, opset, states: withTrace }),
    info(
      `${kind}. Input ${ONNX_INPUT}: int32 [batch, time], ids >= 1 right-padded with 0. Output ${ONNX_OUTPUTS.score}: ` +
        `float32 [batch]${withTrace ? `; ${ONNX_OUTPUTS.states}: float32 [time, batch, units], for the trace graph` : ''}.`,
    ),
  );
  const trace = withTrace
    ? encodeModel(
        buildTraceGraph(weights, arch),
        info(
          `${kind}: the score after each word. Input ${ONNX_OUTPUTS.states} (the scoring graph's output); output ` +
            `${ONNX_OUTPUTS.trace}: float32 [batch, time], meaningful up to each row's length.`,
        ),
      )
    : undefined;
  const neighbors = encodeModel(
    buildNeighborsGraph(weights, arch, quantize),
    info(
      `${kind}: the words nearest to a word in its embedding. Inputs ${ONNX_NEIGHBORS.table} (the scoring graph's ` +
        `embedding) and ${ONNX_NEIGHBORS.word} (an id); outputs ${ONNX_NEIGHBORS.similarity} and ${ONNX_NEIGHBORS.ids}.`,
    ),
  );
  return { scoring, ...(trace ? { trace } : {}), neighbors, opset, quantization };
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** metadata.onnx for exported graphs, written as ONNX_FILES beside metadata.json. */
export function onnxSettings(onnx: ExportResult): OnnxSettings {
  return {
    opset: onnx.opset,
    quantization: onnx.quantization,
    scoring: {
      file: ONNX_FILES.scoring,
      bytes: onnx.scoring.byteLength,
      sha256: sha256(onnx.scoring),
      input: ONNX_INPUT,
      outputs: onnx.trace ? { score: ONNX_OUTPUTS.score, states: ONNX_OUTPUTS.states } : { score: ONNX_OUTPUTS.score },
    },
    ...(onnx.trace
      ? {
          trace: {
            file: ONNX_FILES.trace,
            bytes: onnx.trace.byteLength,
            sha256: sha256(onnx.trace),
            input: ONNX_OUTPUTS.states,
            output: ONNX_OUTPUTS.trace,
          },
        }
      : {}),
    neighbors: {
      file: ONNX_FILES.neighbors,
      bytes: onnx.neighbors.byteLength,
      sha256: sha256(onnx.neighbors),
      inputs: { table: ONNX_NEIGHBORS.table, word: ONNX_NEIGHBORS.word },
      outputs: { similarity: ONNX_NEIGHBORS.similarity, ids: ONNX_NEIGHBORS.ids },
      k: ONNX_NEIGHBORS.k,
    },
  };
}
