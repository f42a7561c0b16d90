/**
 * The model files the Worker ships with, bundled at build time from `model/` (wrangler.toml rules: the
 * runtime's `.wasm` as CompiledWasm, the `.onnx` as Data, the JSON files as plain imports). Every constant the
 * Worker needs (vocabulary size, maximum length, tokenizer version, input and output names) is read from these
 * files, never copied into code.
 */
import runtime from 'onnxruntime-web/dist/ort-wasm-simd-threaded.wasm';
import metadataJson from '../../../model/metadata.json';
import onnx from '../../../model/sentiment.onnx';
import vocabularyJson from '../../../model/vocab.json';
import type { ModelMetadata } from '../../model/metadata.ts';
import type { VocabularyFile } from '../../tokenizer/index.ts';
import { ModelMismatchError, type ModelFiles } from './sentiment-model.ts';

export const metadata = metadataJson as unknown as ModelMetadata;

/** The files in `model/`; throws ModelMismatchError when metadata.json names other files than the bundled ones. */
export function bundledModelFiles(): ModelFiles {
  if (metadata.onnx.file !== 'sentiment.onnx' || metadata.tokenizer.vocabFile !== 'vocab.json') {
    throw new ModelMismatchError(
      `model/metadata.json names ${metadata.onnx.file} and ${metadata.tokenizer.vocabFile}, but the Worker bundles model/sentiment.onnx and model/vocab.json.`,
    );
  }
  return { metadata, vocabulary: vocabularyJson as unknown as VocabularyFile, onnx, runtime };
}
