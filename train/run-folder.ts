/**
 * A run folder: vocab.json, train-log.jsonl (one JSON event a line) and two checkpoints. last/ holds what --resume
 * needs (the run's state, the model and Adam's moments); best/ the weights with the best validation loss, which
 * export reads. Folders written while training still had --dropout and weight averaging load too.
 */

import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { VocabularyFile } from '../src/tokenizer/index.ts';
import type { BackendChoice } from './backend.ts';
import {
  checkpointExists,
  loadCheckpoint,
  loadCheckpointState,
  modelTensors,
  saveCheckpoint,
  setModelTensors,
} from './checkpoint.ts';
import { type Architecture, buildModel } from './model.ts';
import type { OwnDataRecord } from './own-split.ts';
import type { EpochRecord, TrainResult, TrainSettings } from './settings.ts';

export interface RunPaths {
  dir: string;
  log: string;
  best: string;
  last: string;
  vocabulary: string;
}

export function runPaths(dir: string): RunPaths {
  return {
    dir,
    log: join(dir, 'train-log.jsonl'),
    best: join(dir, 'best'),
    last: join(dir, 'last'),
    vocabulary: join(dir, 'vocab.json'),
  };
}

/** last/'s state: where the run stands. */
export interface RunState {
  settings: TrainSettings;
  /** Epochs finished. */
  epochsDone: number;
  /** Batches of epoch epochsDone+1 already trained when the run was interrupted. */
  batchesDone: number;
  history: EpochRecord[];
  bestValLoss: number;
  bestEpoch: number;
  secondsTrained: number;
  finished: boolean;
  dataSha256: string;
  trainExamples: number;
  validationExamples: number;
  /** The tfjs backend that trained the model (the last one, for a resumed run). */
  backend?: BackendChoice;
  /** A data file of your own and how it was split (absent: IMDB). */
  data?: OwnDataRecord;
}

/** best/'s state: the epoch whose weights it holds. */
export interface BestState {
  epoch: number;
  valLoss: number;
  valAccuracy: number;
  architecture: Architecture;
}

/** What older runs may hold beyond RunState: `dropout` in the architecture, weight-averaging settings. */
type SavedSettings = TrainSettings & {
  architecture: { dropout?: number };
  averageFrom?: number;
  averageEvery?: number;
};

/** Drops the `dropout: 0` that runs recorded while --dropout existed: the same settings as none. */
function currentSettings(saved: SavedSettings): TrainSettings {
  const { dropout, ...architecture } = saved.architecture;
  return dropout ? saved : { ...saved, architecture };
}

/** Options a run was trained with that training no longer has: such a run still exports but cannot resume. */
function removedOptions(saved: SavedSettings): string[] {
  return [
    ...(saved.architecture.dropout ? [`--dropout ${saved.architecture.dropout}`] : []),
    ...(saved.averageFrom !== undefined ? [`--average-from ${saved.averageFrom}`] : []),
  ];
}

/** A saved RunState as this code writes it (older runs also saved the size of their weight average). */
function readRunState(saved: RunState & { averaged?: number }): RunState {
  const { averaged: _, ...state } = saved;
  return { ...state, settings: currentSettings(state.settings) };
}

/** JSON with object keys sorted: the same settings compare equal whatever order their keys were written in. */
function canonicalJson(value: unknown): string {
  const sorted = (v: object) => Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)));
  return JSON.stringify(value, (_, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? sorted(v) : v));
}

/** Each setting that differs, as "name: value in the checkpoint, value now" (nested names dotted). */
function settingDifferences(saved: unknown, now: unknown, name = ''): string[] {
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object';
  if (isObject(saved) && isObject(now) && !Array.isArray(saved) && !Array.isArray(now)) {
    const keys = [...new Set([...Object.keys(saved), ...Object.keys(now)])].sort();
    return keys.flatMap((key) => settingDifferences(saved[key], now[key], name ? `${name}.${key}` : key));
  }
  if (canonicalJson(saved) === canonicalJson(now)) return [];
  const show = (v: unknown) => (v === undefined ? 'not set' : JSON.stringify(v));
  return [`${name}: ${show(saved)} in the checkpoint, ${show(now)} now`];
}

/** Creates the folder; returns a function that appends one timestamped event to train-log.jsonl. */
export function openRunFolder(paths: RunPaths): (event: Record<string, unknown>) => void {
  mkdirSync(paths.dir, { recursive: true });
  return (event) => appendFileSync(paths.log, `${JSON.stringify({ time: new Date().toISOString(), ...event })}\n`);
}

export function writeVocabulary(paths: RunPaths, vocabulary: VocabularyFile): void {
  writeFileSync(paths.vocabulary, `${JSON.stringify(vocabulary)}\n`);
}

export async function saveLast(
  paths: RunPaths,
  state: RunState,
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
): Promise<void> {
  const weights = await optimizer.getWeights();
  const moments = weights.map((w, i) => ({ name: `optimizer/${i}/${w.name}`, tensor: w.tensor }));
  saveCheckpoint(paths.last, state, [...modelTensors(model), ...moments]);
}

export function saveBest(paths: RunPaths, state: BestState, model: tf.LayersModel): void {
  saveCheckpoint(paths.best, state, modelTensors(model));
}

/**
 * Loads last/ into the model and the optimizer and returns its state; refuses a run trained with other settings,
 * since continuing it would train neither recipe.
 */
export async function restoreLast(
  paths: RunPaths,
  settings: TrainSettings,
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
): Promise<RunState> {
  const saved = loadCheckpoint<RunState & { settings: SavedSettings }>(paths.last);
  const removed = removedOptions(saved.state.settings);
  if (removed.length > 0) {
    throw new Error(
      `--resume: the run in ${paths.dir} was trained with ${removed.join(' and ')}, which training no longer has; ` +
        '--export-only still exports its best weights.',
    );
  }
  const state = readRunState(saved.state);
  if (canonicalJson(state.settings) !== canonicalJson(settings)) {
    const differences = settingDifferences(state.settings, settings).join('; ');
    throw new Error(
      `--resume: the checkpoint in ${paths.last} was trained with other settings (${differences}). ` +
        'Give the options it was trained with (its train-log.jsonl starts with them), or another --out folder.',
    );
  }
  setModelTensors(model, saved.tensors);
  const moments = saved.tensors.filter((t) => t.name.startsWith('optimizer/'));
  if (moments.length > 0) {
    // Adam creates its moments lazily: one zero-step builds them, then the saved values replace them.
    optimizer.applyGradients(model.trainableWeights.map((w) => ({ name: w.name, tensor: tf.zerosLike(w.read()) })));
    await optimizer.setWeights(moments.map((t) => ({ name: t.name.split('/').slice(2).join('/'), tensor: t.tensor })));
  }
  return { ...state, settings };
}

/** The best model of a run folder with what export needs to describe it (also for `--export-only`). */
export function loadRun(runDir: string, model?: tf.LayersModel): Omit<TrainResult, 'interrupted'> {
  const paths = runPaths(runDir);
  if (!checkpointExists(paths.best) || !checkpointExists(paths.last)) {
    throw new Error(`${runDir} holds no finished epoch (no best/ and last/ checkpoints): train first.`);
  }
  const state = readRunState(loadCheckpointState<RunState>(paths.last));
  const best = loadCheckpoint<BestState & { architecture: { dropout?: number } }>(paths.best);
  const vocabulary = JSON.parse(readFileSync(paths.vocabulary, 'utf8')) as VocabularyFile;
  // A Dropout layer has no weights and does nothing once trained: a run that had one exports as if it had none.
  const { dropout: _, ...architecture } = best.state.architecture;
  const bestModel = model ?? buildModel(architecture, state.settings.seed);
  setModelTensors(bestModel, best.tensors);
  return {
    model: bestModel,
    architecture,
    vocabulary,
    settings: state.settings,
    history: state.history,
    // From best/ itself: while a run is still training, last/ may not yet record the epoch best/ now holds.
    bestEpoch: best.state.epoch,
    secondsTrained: state.secondsTrained,
    dataSha256: state.dataSha256,
    trainExamples: state.trainExamples,
    validationExamples: state.validationExamples,
    backend: state.backend,
    ...(state.data ? { data: state.data } : {}),
  };
}
