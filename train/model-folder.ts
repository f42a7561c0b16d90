/**
 * The one way the Node tools (evaluation, validation, benchmarks, tests) open a model folder: its files read and
 * checked against each other (src/model/model-files.ts), the tokenizer settings, and onnxruntime-web in Node
 * (the same wasm kernels as the Worker, one thread) behind the shared ModelRunner.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import type { ModelMetadata } from '../src/model/metadata.ts';
import type { ModelFiles } from '../src/model/model-files.ts';
import type { ModelGraphs } from '../src/model/runner.ts';
import { type LoadOptions, SentimentModel } from '../src/model/sentiment-model.ts';
import type { VocabularyFile } from '../src/tokenizer/index.ts';

/** onnxruntime-web in Node: one thread, no proxy worker, errors only. */
export function nodeOrt(): typeof ort {
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  ort.env.logLevel = 'error';
  return ort;
}

export function readModelFiles(dir: string): ModelFiles {
  const metadata = JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8')) as ModelMetadata;
  const vocabulary = JSON.parse(readFileSync(join(dir, metadata.tokenizer.vocabFile), 'utf8')) as VocabularyFile;
  const { scoring, trace, neighbors } = metadata.onnx;
  const read = (file: string) => new Uint8Array(readFileSync(join(dir, file)));
  const graphs: ModelGraphs = {
    scoring: read(scoring.file),
    ...(trace ? { trace: read(trace.file) } : {}),
    ...(neighbors ? { neighbors: read(neighbors.file) } : {}),
  };
  return { metadata, vocabulary, graphs };
}

/** The model in `dir`, loaded with onnxruntime-web in Node. */
export function openModelFolder(dir: string, options: LoadOptions = {}): Promise<SentimentModel> {
  return SentimentModel.load(nodeOrt(), readModelFiles(dir), options);
}
