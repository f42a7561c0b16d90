/**
 * Runs an exported model with onnxruntime-web in Node (the same runtime and wasm kernels as the Worker),
 * single-threaded.
 */
import * as ort from 'onnxruntime-web';

import { padIds as padRows } from '../../src/model/pad-ids.ts';
import { PAD_ID } from '../../src/tokenizer/index.ts';
import { ONNX_INPUT, ONNX_OUTPUTS } from './contract.ts';

export async function createSession(bytes: Uint8Array): Promise<ort.InferenceSession> {
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
  return ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
}

/** The int64 [batch, time] input for id sequences, right-padded with the padding id. */
export function padIds(sequences: readonly (readonly number[])[]): ort.Tensor {
  const { data, dims } = padRows(sequences, PAD_ID);
  return new ort.Tensor('int64', data, dims);
}

/** Runs the model on a batch of sequences and fetches only `outputs`. */
export async function runIds(
  session: ort.InferenceSession,
  sequences: readonly (readonly number[])[],
  outputs: readonly string[] = [ONNX_OUTPUTS.score],
): Promise<ort.InferenceSession.ReturnType> {
  return session.run({ [ONNX_INPUT]: padIds(sequences) }, outputs);
}

/** The score (probability of positive) of each sequence. */
export async function scoreIds(session: ort.InferenceSession, sequences: readonly (readonly number[])[]): Promise<Float32Array> {
  const result = await runIds(session, sequences, [ONNX_OUTPUTS.score]);
  return result[ONNX_OUTPUTS.score]!.data as Float32Array;
}

/** Score and per-word trace of each sequence, the trace cut to the sequence's length (unidirectional models only). */
export async function traceIds(
  session: ort.InferenceSession,
  sequences: readonly (readonly number[])[],
): Promise<{ score: Float32Array; trace: Float32Array[] }> {
  const result = await runIds(session, sequences, [ONNX_OUTPUTS.score, ONNX_OUTPUTS.trace]);
  const score = result[ONNX_OUTPUTS.score]!.data as Float32Array;
  const traceTensor = result[ONNX_OUTPUTS.trace]!;
  const time = traceTensor.dims[1]!;
  const data = traceTensor.data as Float32Array;
  return { score, trace: sequences.map((ids, row) => data.slice(row * time, row * time + ids.length)) };
}
