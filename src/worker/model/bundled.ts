/**
 * The model files the Worker ships with, bundled at build time from `model/` (wrangler.toml rules: the
 * runtime's `.wasm` as CompiledWasm, the `.onnx` graphs as Data, the JSON files as plain imports). Every
 * constant the Worker needs (vocabulary size, maximum length, tokenizer version, graph input and output names)
 * is read from these files, never copied into code.
 */
import runtime from 'onnxruntime-web/dist/ort-wasm-simd-threaded.wasm';
import metadataJson from '../../../model/metadata.json';
import scoring from '../../../model/sentiment.onnx';
import trace from '../../../model/trace.onnx';
import vocabularyJson from '../../../model/vocab.json';
import type { ModelMetadata } from '../../model/metadata.ts';
import { type ModelFiles, ModelMismatchError } from '../../model/model-files.ts';
import type { VocabularyFile } from '../../tokenizer/index.ts';

export const metadata = metadataJson as unknown as ModelMetadata;

/** onnxruntime-web's `.wasm`, compiled by the runtime when the Worker was loaded. */
export const runtimeModule: WebAssembly.Module = runtime;

/** The files in `model/`; throws ModelMismatchError when metadata.json names other files than the bundled ones. */
export function bundledModelFiles(): ModelFiles {
  const named = [metadata.onnx.scoring.file, metadata.onnx.trace?.file ?? 'trace.onnx', metadata.tokenizer.vocabFile];
  if (named.join() !== ['sentiment.onnx', 'trace.onnx', 'vocab.json'].join()) {
    throw new ModelMismatchError(
      `model/metadata.json names ${named.join(', ')}, but the Worker bundles model/sentiment.onnx, model/trace.onnx and model/vocab.json.`,
    );
  }
  return {
    metadata,
    vocabulary: vocabularyJson as unknown as VocabularyFile,
    graphs: { scoring: new Uint8Array(scoring), ...(metadata.onnx.trace ? { trace: new Uint8Array(trace) } : {}) },
  };
}
