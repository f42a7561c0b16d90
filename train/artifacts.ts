/**
 * Writes the served model's files into the model folder: sentiment.onnx (int8), vocab.json, metadata.json, and
 * float/ (the float tfjs weights that `npm run eval` compares the int8 model against). metadata.json is the one
 * source of truth for what training and serving share; metrics are added to it by `npm run eval`.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import type { ModelMetadata } from '../src/model/metadata.ts';
import { PAD_ID, UNK_ID } from '../src/tokenizer/index.ts';
import type { BackendChoice } from './backend.ts';
import { checkpointExists, loadCheckpoint, modelTensors, saveCheckpoint, setModelTensors } from './checkpoint.ts';
import { buildModel, type Architecture } from './model.ts';
import { exportOnnx } from './onnx/index.ts';
import type { TrainResult } from './train.ts';

export const MODEL_FILES = { onnx: 'sentiment.onnx', vocabulary: 'vocab.json', metadata: 'metadata.json', float: 'float' } as const;

/** A finished run, as train() or loadRun() give it. */
export type ExportInput = Omit<TrainResult, 'interrupted'>;

export function modelName(architecture: Architecture): string {
  return `imdb-${architecture.bidirectional ? 'bi' : ''}${architecture.cell}-${architecture.pooling}pool-int8`;
}

export interface ExportOptions {
  /**
   * Words of a text the served model reads (metadata's tokenizer.maxLength). Training cuts reviews at
   * settings.maxLength to bound the cost of a batch; pooling over all states lets the model read longer texts.
   * Default: the training length.
   */
  maxLength?: number;
}

export async function exportModel(run: ExportInput, backend: BackendChoice, modelDir: string, options: ExportOptions = {}): Promise<string[]> {
  const { settings } = run;
  mkdirSync(modelDir, { recursive: true });
  const onnx = exportOnnx(run.model, run.architecture, { quantize: true });
  const best = run.history.find((h) => h.epoch === run.bestEpoch);
  const metadata: ModelMetadata = {
    name: modelName(run.architecture),
    createdAt: new Date().toISOString(),
    tokenizer: {
      version: run.vocabulary.tokenizerVersion,
      vocabSize: run.vocabulary.words.length,
      maxLength: options.maxLength ?? settings.maxLength,
      truncation: settings.truncation,
      markNegation: run.vocabulary.markNegation === true,
      padId: PAD_ID,
      unkId: UNK_ID,
      vocabFile: MODEL_FILES.vocabulary,
    },
    onnx: {
      ...onnx.settings,
      file: MODEL_FILES.onnx,
      bytes: onnx.bytes.byteLength,
      sha256: createHash('sha256').update(onnx.bytes).digest('hex'),
    },
    architecture: run.architecture,
    training: {
      settings,
      backend: backend.backend,
      backendPackage: backend.package,
      dataSha256: run.dataSha256,
      trainExamples: run.trainExamples,
      validationExamples: run.validationExamples,
      epochsTrained: run.history.length,
      bestEpoch: run.bestEpoch,
      secondsTrained: Math.round(run.secondsTrained),
      validation: best ? { loss: best.valLoss, accuracy: best.valAccuracy } : null,
      history: run.history,
    },
  };
  writeFileSync(join(modelDir, MODEL_FILES.onnx), onnx.bytes);
  writeFileSync(join(modelDir, MODEL_FILES.vocabulary), `${JSON.stringify(run.vocabulary)}\n`);
  writeFileSync(join(modelDir, MODEL_FILES.metadata), `${JSON.stringify(metadata, null, 2)}\n`);
  saveCheckpoint(join(modelDir, MODEL_FILES.float), { architecture: run.architecture, seed: settings.seed }, modelTensors(run.model));
  return Object.values(MODEL_FILES).map((f) => join(modelDir, f));
}

export function readMetadata(modelDir: string): ModelMetadata {
  return JSON.parse(readFileSync(join(modelDir, MODEL_FILES.metadata), 'utf8')) as ModelMetadata;
}

export function writeMetadata(modelDir: string, metadata: ModelMetadata): void {
  writeFileSync(join(modelDir, MODEL_FILES.metadata), `${JSON.stringify(metadata, null, 2)}\n`);
}

/** The float tfjs model exported beside the ONNX file. */
export function loadFloatModel(modelDir: string): tf.LayersModel {
  const dir = join(modelDir, MODEL_FILES.float);
  if (!checkpointExists(dir)) throw new Error(`${dir} is missing: export the model with npm run train first.`);
  const { state, tensors } = loadCheckpoint<{ architecture: Architecture; seed: number }>(dir);
  const model = buildModel(state.architecture, state.seed);
  setModelTensors(model, tensors);
  return model;
}
