/**
 * The model files the Worker ships with, bundled at build time from `model/` (wrangler.toml rules: the
 * runtime's `.wasm` as CompiledWasm, the `.onnx` graphs as Data, the JSON files as plain imports). Every
 * constant the Worker needs (vocabulary size, maximum length, tokenizer version, graph input and output names)
 * is read from these files, never copied into code.
 */
import runtime from 'onnxruntime-web/dist/ort-wasm-simd-threaded.wasm';
import metadataJson from '../../../model/metadata.json';
import neighbors from '../../../model/neighbors.onnx';
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
  const { onnx } = metadata;
  const named = [onnx.scoring.file, onnx.trace?.file ?? 'trace.onnx', onnx.neighbors?.file ?? 'neighbors.onnx'];
  const bundled = ['sentiment.onnx', 'trace.onnx', 'neighbors.onnx'];
  if ([...named, metadata.tokenizer.vocabFile].join() !== [...bundled, 'vocab.json'].join()) {
    throw new ModelMismatchError(
      `model/metadata.json names ${[...named, metadata.tokenizer.vocabFile].join(', ')}, but the Worker bundles model/${bundled.join(', model/')} and model/vocab.json.`,
    );
  }
  return {
    metadata,
    vocabulary: vocabularyJson as unknown as VocabularyFile,
    graphs: {
      scoring: new Uint8Array(scoring),
      ...(onnx.trace ? { trace: new Uint8Array(trace) } : {}),
      ...(onnx.neighbors ? { neighbors: new Uint8Array(neighbors) } : {}),
    },
  };
}
