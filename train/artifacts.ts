/**
 * Writes the served model's files into the model folder: sentiment.onnx (int8), vocab.json, metadata.json, and
 * float/ (the float tfjs weights that `npm run eval` compares the int8 model against). metadata.json is the one
 * source of truth for what training and serving share; metrics are added to it by `npm run eval`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import type { GradientNorms, ModelMetadata } from '../src/model/metadata.ts';
import { PAD_ID, UNK_ID } from '../src/tokenizer/index.ts';
import type { BackendChoice } from './backend.ts';
import { checkpointExists, loadCheckpoint, modelTensors, saveCheckpoint, setModelTensors } from './checkpoint.ts';
import { type Architecture, buildModel } from './model.ts';
import { ONNX_FILES } from './onnx/contract.ts';
import { type ExportResult, exportOnnx, onnxSettings } from './onnx/index.ts';
import { fileStem, type OwnDataRecord } from './own-split.ts';
import type { TrainResult } from './settings.ts';

export const MODEL_FILES = {
  ...ONNX_FILES,
  vocabulary: 'vocab.json',
  metadata: 'metadata.json',
  float: 'float',
} as const;

/** A finished run, as train() or loadRun() give it. */
export type ExportInput = Omit<TrainResult, 'interrupted'>;

/** e.g. imdb-simplernn-meanmaxpool-int8; a model trained on reviews.csv: reviews-simplernn-meanmaxpool-int8. */
export function modelName(architecture: Architecture, data?: OwnDataRecord): string {
  const prefix = data ? fileStem(data.file) : 'imdb';
  return `${prefix}-${architecture.bidirectional ? 'bi' : ''}${architecture.cell}-${architecture.pooling}pool-int8`;
}

export interface ExportOptions {
  /** Gradient norms measured right after training: this model's, then those it is compared with. */
  gradientNorms?: GradientNorms[];
  /**
   * Words of a text the served model reads (metadata's tokenizer.maxLength). Training cuts reviews at
   * settings.maxLength to bound the cost of a batch; pooling over all states lets the model read longer texts.
   * Default: the training length.
   */
  maxLength?: number;
}

/**
 * Writes the graph files. A model with no trace graph (bidirectional) gets an empty trace.onnx, which metadata.json
 * does not name: the Worker bundles the file by a fixed import, so it must exist.
 */
function writeGraphs(modelDir: string, onnx: ExportResult): string[] {
  writeFileSync(join(modelDir, MODEL_FILES.scoring), onnx.scoring);
  writeFileSync(join(modelDir, MODEL_FILES.trace), onnx.trace ?? new Uint8Array());
  writeFileSync(join(modelDir, MODEL_FILES.neighbors), onnx.neighbors);
  return [MODEL_FILES.scoring, MODEL_FILES.trace, MODEL_FILES.neighbors].map((f) => join(modelDir, f));
}

export async function exportModel(
  run: ExportInput,
  backend: BackendChoice,
  modelDir: string,
  options: ExportOptions = {},
): Promise<string[]> {
  const { settings } = run;
  mkdirSync(modelDir, { recursive: true });
  const onnx = exportOnnx(run.model, run.architecture, { quantize: true });
  const best = run.history.find((h) => h.epoch === run.bestEpoch);
  const metadata: ModelMetadata = {
    name: modelName(run.architecture, run.data),
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
    onnx: onnxSettings(onnx),
    architecture: run.architecture,
    training: {
      settings,
      backend: backend.backend,
      backendPackage: backend.package,
      dataSha256: run.dataSha256,
      // Which file, columns and splits: npm run eval carves the same test split from it.
      ...(run.data ? { data: run.data } : {}),
      trainExamples: run.trainExamples,
      validationExamples: run.validationExamples,
      epochsTrained: run.history.length,
      bestEpoch: run.bestEpoch,
      secondsTrained: Math.round(run.secondsTrained),
      validation: best ? { loss: best.valLoss, accuracy: best.valAccuracy } : null,
      history: run.history,
    },
    ...(options.gradientNorms ? { gradientNorms: options.gradientNorms } : {}),
  };
  const graphs = writeGraphs(modelDir, onnx);
  writeFileSync(join(modelDir, MODEL_FILES.vocabulary), `${JSON.stringify(run.vocabulary)}\n`);
  writeMetadata(modelDir, metadata);
  const floatState = { architecture: run.architecture, seed: settings.seed };
  saveCheckpoint(join(modelDir, MODEL_FILES.float), floatState, modelTensors(run.model));
  const files = [MODEL_FILES.vocabulary, MODEL_FILES.metadata, MODEL_FILES.float];
  return [...graphs, ...files.map((f) => join(modelDir, f))];
}

/**
 * Exports the ONNX graphs of a model folder again from its float weights (after a change to the exporter): the
 * same weights and int8 rounding, so the same scores; metadata.json keeps its training record and metrics.
 */
export function reexportModel(modelDir: string, options: ExportOptions = {}): string[] {
  const metadata = readMetadata(modelDir);
  const onnx = exportOnnx(loadFloatModel(modelDir), metadata.architecture, { quantize: true });
  const written = writeGraphs(modelDir, onnx);
  const gradientNorms = options.gradientNorms ?? metadata.gradientNorms;
  writeMetadata(modelDir, { ...metadata, onnx: onnxSettings(onnx), ...(gradientNorms ? { gradientNorms } : {}) });
  return [...written, join(modelDir, MODEL_FILES.metadata)];
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
