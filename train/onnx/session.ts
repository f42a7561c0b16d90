/**
 * Runs an exported model with onnxruntime-web in Node (the same runtime and wasm kernels as the Worker),
 * single-threaded.
 */
import * as ort from 'onnxruntime-web';

import { ONNX_INPUT, ONNX_OUTPUTS } from './contract.ts';

export async function createSession(bytes: Uint8Array): Promise<ort.InferenceSession> {
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
  return ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
}

/** Right-pads id sequences with 0 into an int64 [batch, time] tensor (time >= 1, so an empty batch row is all padding). */
export function padIds(sequences: readonly (readonly number[])[]): ort.Tensor {
  const time = Math.max(1, ...sequences.map((s) => s.length));
  const data = new BigInt64Array(sequences.length * time);
  sequences.forEach((ids, row) => {
    ids.forEach((id, t) => {
      if (!Number.isInteger(id) || id < 1) throw new Error(`Row ${row}, position ${t}: id ${id} is not a word id (>= 1); 0 is padding.`);
      data[row * time + t] = BigInt(id);
    });
  });
  return new ort.Tensor('int64', data, [sequences.length, time]);
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
