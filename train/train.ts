/**
 * The training loop: bucketed batches, Adam with gradient-norm clipping, validation after every epoch, early
 * stopping on validation loss with the best weights kept, and checkpoints that survive Ctrl-C and crashes.
 */
import * as tf from '@tensorflow/tfjs';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildVocabulary, encode, splitWords, UNK_ID, Vocabulary, type Truncation, type VocabularyFile } from '../src/tokenizer/index.ts';
import type { BackendChoice } from './backend.ts';
import { dropWords, randomCrops, trainingBatches, type Batch, type Example } from './batches.ts';
import { checkpointExists, loadCheckpoint, modelTensors, saveCheckpoint, setModelTensors } from './checkpoint.ts';
import { loadSplit, type Review } from './data.ts';
import { buildModel, type Architecture } from './model.ts';
import { formatDuration, ProgressBar } from './progress.ts';
import { seededRandom, shuffled } from './random.ts';
import { lossAndAccuracy, scoreWithTfjs } from './score-tfjs.ts';
import { WeightAverage, withWeights } from './weight-average.ts';

export interface TrainSettings {
  architecture: Omit<Architecture, 'vocabSize'>;
  /** Vocabulary size including padding and unknown. */
  vocabSize: number;
  maxLength: number;
  truncation: Truncation;
  batchSize: number;
  epochs: number;
  learningRate: number;
  clipNorm: number;
  /** Epochs without a better validation loss before stopping. */
  patience: number;
  seed: number;
  /** Reviews carved out of the train split for validation. */
  validationSize: number;
  /** Use only this many training reviews (quick runs); all when absent. */
  trainLimit?: number;
  /** Add one random window of each review, up to this many words, to every epoch (0 = none; see randomCrops). */
  cropMaxLength?: number;
  /** Probability of replacing a training word by the unknown-word id, per epoch (see dropWords). */
  wordDropout?: number;
  /** The learning rate is multiplied by this after every epoch (1 = constant). */
  learningRateDecay?: number;
  /** Tokenize with negation scopes marked (splitWords' markNegation). */
  markNegation?: boolean;
  /**
   * From this epoch on, average the weights (see weight-average.ts): a snapshot every averageEvery batches and
   * at the end of every epoch. Validation, early stopping and the best checkpoint then use the mean weights.
   */
  averageFrom?: number;
  averageEvery?: number;
  /** Gain of the recurrent weights' orthogonal initialisation (see model.ts's Initialization; 1 when absent). */
  recurrentGain?: number;
}

export interface EpochRecord {
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss: number;
  valAccuracy: number;
  seconds: number;
  /** With weight averaging: the validation of the weights training reached (valLoss/valAccuracy are the mean's). */
  trainingWeights?: { valLoss: number; valAccuracy: number };
  /** Snapshots in the mean weights. */
  averaged?: number;
}

interface RunState {
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
  /** Snapshots in the mean weights (saved as average/<i> tensors in the last checkpoint). */
  averaged?: number;
}

export interface TrainResult {
  model: tf.LayersModel;
  settings: TrainSettings;
  architecture: Architecture;
  vocabulary: VocabularyFile;
  history: EpochRecord[];
  bestEpoch: number;
  secondsTrained: number;
  dataSha256: string;
  trainExamples: number;
  validationExamples: number;
  backend?: BackendChoice;
  interrupted: boolean;
}

export interface RunPaths {
  dir: string;
  log: string;
  best: string;
  last: string;
  vocabulary: string;
}

export function runPaths(dir: string): RunPaths {
  return { dir, log: join(dir, 'train-log.jsonl'), best: join(dir, 'best'), last: join(dir, 'last'), vocabulary: join(dir, 'vocab.json') };
}

/** Train/validation split of the train reviews: a seeded shuffle, the first validationSize go to validation. */
export function splitTrainValidation(reviews: readonly Review[], settings: Pick<TrainSettings, 'seed' | 'validationSize' | 'trainLimit'>) {
  const order = shuffled(reviews, seededRandom(settings.seed));
  const validation = order.slice(0, settings.validationSize);
  const train = order.slice(settings.validationSize, settings.trainLimit === undefined ? undefined : settings.validationSize + settings.trainLimit);
  return { train, validation };
}

function lossOf(model: tf.LayersModel, batch: Batch): { loss: tf.Scalar; correct: tf.Scalar } {
  const x = tf.tensor2d(batch.ids, [batch.size, batch.length], 'int32');
  const y = tf.tensor1d(batch.labels);
  const p = (model.apply(x, { training: true }) as tf.Tensor).reshape([batch.size]);
  const eps = 1e-7;
  const clipped = p.clipByValue(eps, 1 - eps);
  const loss = tf.neg(tf.mean(tf.add(tf.mul(y, tf.log(clipped)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, clipped)))))) as tf.Scalar;
  const correct = tf.sum(tf.cast(tf.equal(tf.greaterEqual(p, 0.5).cast('float32'), y), 'float32')) as tf.Scalar;
  return { loss, correct };
}

/** One optimiser step with the gradients scaled so that their global norm is at most clipNorm. */
function trainStep(model: tf.LayersModel, optimizer: tf.Optimizer, batch: Batch, clipNorm: number): { loss: number; correct: number } {
  return tf.tidy(() => {
    let correct: tf.Scalar | undefined;
    const { value, grads } = tf.variableGrads(() => {
      const out = lossOf(model, batch);
      correct = tf.keep(out.correct);
      return out.loss;
    });
    const names = Object.keys(grads);
    const norm = tf.sqrt(tf.addN(names.map((n) => tf.sum(tf.square(grads[n]!))))).dataSync()[0]!;
    const scale = norm > clipNorm ? clipNorm / norm : 1;
    const clipped: tf.NamedTensorMap = {};
    for (const n of names) clipped[n] = scale === 1 ? grads[n]! : tf.mul(grads[n]!, scale);
    optimizer.applyGradients(clipped);
    const result = { loss: value.dataSync()[0]!, correct: correct!.dataSync()[0]! };
    correct!.dispose();
    return result;
  });
}

function optimizerTensors(optimizer: tf.Optimizer): Promise<{ name: string; tensor: tf.Tensor }[]> {
  return optimizer.getWeights().then((ws) => ws.map((w, i) => ({ name: `optimizer/${i}/${w.name}`, tensor: w.tensor })));
}

export interface TrainOptions {
  dataDir?: string;
  runDir: string;
  resume: boolean;
  log?: (line: string) => void;
  /** Aborting stops training after the current batch and saves a checkpoint that --resume continues from. */
  signal?: AbortSignal;
  /** Called after every training batch (progress hooks, tests). */
  onBatch?: (epoch: number, batch: number) => void;
  /** Recorded in the checkpoints and the model metadata. */
  backend?: BackendChoice;
}

export async function train(settings: TrainSettings, options: TrainOptions): Promise<TrainResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const paths = runPaths(options.runDir);
  mkdirSync(paths.dir, { recursive: true });
  const logEvent = (event: Record<string, unknown>) => appendFileSync(paths.log, `${JSON.stringify({ time: new Date().toISOString(), ...event })}\n`);

  const data = loadSplit('train', options.dataDir);
  const { train: trainReviews, validation: validationReviews } = splitTrainValidation(data.reviews, settings);
  log(`data: ${data.source} (${data.layout}, sha256 ${data.sha256.slice(0, 12)}...): ${trainReviews.length} train, ${validationReviews.length} validation reviews`);

  const trainWords = trainReviews.map((r) => splitWords(r.text, { markNegation: settings.markNegation }));
  // The vocabulary comes from the training reviews only (not validation, never test).
  const vocabularyFile = buildVocabulary(trainWords, settings.vocabSize, { markNegation: settings.markNegation });
  const vocabulary = new Vocabulary(vocabularyFile);
  writeFileSync(paths.vocabulary, `${JSON.stringify(vocabularyFile)}\n`);
  const encodeOptions = { maxLength: settings.maxLength, truncation: settings.truncation };
  const toExample = (r: Review): Example => ({ ids: encode(r.text, vocabulary, encodeOptions).ids, label: r.label });
  const trainExamples = trainReviews.map(toExample);
  const validationExamples = validationReviews.map(toExample);
  const validationLabels = validationExamples.map((e) => e.label);

  const architecture: Architecture = { ...settings.architecture, vocabSize: vocabulary.size };
  const model = buildModel(architecture, settings.seed, { recurrentGain: settings.recurrentGain });
  const optimizer = tf.train.adam(settings.learningRate);
  const average = new WeightAverage();

  let state: RunState = {
    settings,
    epochsDone: 0,
    batchesDone: 0,
    history: [],
    bestValLoss: Infinity,
    bestEpoch: 0,
    secondsTrained: 0,
    finished: false,
    dataSha256: data.sha256,
    trainExamples: trainExamples.length,
    validationExamples: validationExamples.length,
    backend: options.backend,
  };
  if (options.resume && checkpointExists(paths.last)) {
    const saved = loadCheckpoint<RunState>(paths.last);
    if (JSON.stringify(saved.state.settings) !== JSON.stringify(settings)) {
      throw new Error(`--resume: the checkpoint in ${paths.last} was trained with other settings. Use the same options, or another --out folder.`);
    }
    state = { ...saved.state, backend: options.backend ?? saved.state.backend };
    setModelTensors(model, saved.tensors);
    const opt = saved.tensors.filter((t) => t.name.startsWith('optimizer/'));
    if (opt.length > 0) {
      // Adam creates its moments lazily: one zero-step builds them, then the saved values replace them.
      optimizer.applyGradients(model.trainableWeights.map((w) => ({ name: w.name, tensor: tf.zerosLike(w.read()) })));
      await optimizer.setWeights(opt.map((t) => ({ name: t.name.split('/').slice(2).join('/'), tensor: t.tensor })));
    }
    const means = saved.tensors.filter((t) => t.name.startsWith('average/'));
    if (means.length > 0) average.restore(means.map((t) => t.tensor), state.averaged ?? 0);
    log(`resumed from ${paths.last}: ${state.epochsDone} epochs and ${state.batchesDone} batches done, best validation loss ${state.bestValLoss.toFixed(4)} (epoch ${state.bestEpoch})`);
    logEvent({ event: 'resume', epochsDone: state.epochsDone, batchesDone: state.batchesDone });
  } else if (options.resume) {
    log(`--resume: no checkpoint in ${paths.last}, starting afresh`);
  }

  // Stops after the current batch when aborted (the CLI aborts on Ctrl-C or SIGTERM).
  const signal = options.signal;
  const interruptedNow = () => signal?.aborted === true;

  const averageTensors = (prefix: 'average' | 'model') => average.weights().map((tensor, i) => ({ name: `${prefix}/${i}`, tensor }));
  const saveLast = async () => {
    state.averaged = average.count;
    saveCheckpoint(paths.last, state, [...modelTensors(model), ...averageTensors('average'), ...(await optimizerTensors(optimizer))]);
  };
  logEvent({ event: 'start', settings, architecture, trainExamples: trainExamples.length, validationExamples: validationExamples.length, dataSha256: data.sha256 });

  let interrupted = false;
  let stale = state.history.length - state.bestEpoch;
  while (!state.finished && state.epochsDone < settings.epochs && !interrupted) {
    const epoch = state.epochsDone + 1;
    // Batch order depends only on seed and epoch, so a resumed epoch skips exactly the batches already done.
    const random = seededRandom(settings.seed * 1000 + epoch);
    const crops = settings.cropMaxLength ? randomCrops(trainExamples, random, settings.cropMaxLength) : [];
    const epochExamples = dropWords([...trainExamples, ...crops], settings.wordDropout ?? 0, UNK_ID, random);
    const batches = trainingBatches(epochExamples, settings.batchSize, settings.truncation, random);
    // tfjs reads the Adam learning rate at every step but declares it protected; the schedule sets it per epoch.
    (optimizer as unknown as { learningRate: number }).learningRate = settings.learningRate * (settings.learningRateDecay ?? 1) ** (epoch - 1);
    const totalWords = batches.reduce((n, b) => n + b.size * b.length, 0);
    const bar = new ProgressBar(`epoch ${epoch}/${settings.epochs}`, batches.length);
    let lossSum = 0;
    let correct = 0;
    let seen = 0;
    let words = 0;
    const averaging = settings.averageFrom !== undefined && epoch >= settings.averageFrom;
    const averageEvery = settings.averageEvery ?? batches.length;
    const epochStart = performance.now();
    for (let i = state.batchesDone; i < batches.length; i++) {
      // Yield to the event loop so that Ctrl-C (a signal handler) can run between batches.
      await new Promise((resolve) => setImmediate(resolve));
      if (interruptedNow()) {
        interrupted = true;
        break;
      }
      const batch = batches[i]!;
      const step = trainStep(model, optimizer, batch, settings.clipNorm);
      lossSum += step.loss * batch.size;
      correct += step.correct;
      seen += batch.size;
      words += batch.size * batch.length;
      state.batchesDone = i + 1;
      if (averaging && (i + 1) % averageEvery === 0 && i + 1 < batches.length) average.add(model.getWeights());
      bar.update(i + 1, `loss ${(lossSum / seen).toFixed(4)} acc ${(correct / seen).toFixed(4)}`, words, totalWords);
      if ((i + 1) % 50 === 0) logEvent({ event: 'batch', epoch, batch: i + 1, batches: batches.length, loss: lossSum / seen, accuracy: correct / seen });
      options.onBatch?.(epoch, i + 1);
    }
    const seconds = (performance.now() - epochStart) / 1000;
    state.secondsTrained += seconds;
    if (interrupted) {
      await saveLast();
      logEvent({ event: 'interrupted', epoch, batchesDone: state.batchesDone });
      log(`saved ${paths.last} at epoch ${epoch}, batch ${state.batchesDone}/${batches.length}: continue with --resume`);
      break;
    }
    const valStart = performance.now();
    const validate = () => lossAndAccuracy(scoreWithTfjs(model, validationExamples), validationLabels);
    const reached = validate();
    if (averaging) average.add(model.getWeights());
    const val = averaging ? withWeights(model, average.weights(), validate) : reached;
    const record: EpochRecord = {
      epoch,
      loss: lossSum / Math.max(1, seen),
      accuracy: correct / Math.max(1, seen),
      valLoss: val.loss,
      valAccuracy: val.accuracy,
      seconds,
      ...(averaging ? { trainingWeights: { valLoss: reached.loss, valAccuracy: reached.accuracy }, averaged: average.count } : {}),
    };
    const averageNote = averaging ? ` | mean of ${average.count} snapshots: val_loss ${val.loss.toFixed(4)} val_acc ${val.accuracy.toFixed(4)}` : '';
    bar.finish(`loss ${record.loss.toFixed(4)} acc ${record.accuracy.toFixed(4)} | val_loss ${reached.loss.toFixed(4)} val_acc ${reached.accuracy.toFixed(4)}${averageNote} (validation ${formatDuration((performance.now() - valStart) / 1000)})`);
    state.history.push(record);
    state.epochsDone = epoch;
    state.batchesDone = 0;
    logEvent({ event: 'epoch', ...record });
    if (val.loss < state.bestValLoss) {
      state.bestValLoss = val.loss;
      state.bestEpoch = epoch;
      stale = 0;
      // The best checkpoint holds the weights that were validated: with averaging, the mean, as the model's own.
      const bestTensors = averaging ? averageTensors('model') : modelTensors(model);
      saveCheckpoint(paths.best, { epoch, valLoss: val.loss, valAccuracy: val.accuracy, architecture, averaged: averaging ? average.count : 0 }, bestTensors);
      log(`  new best validation loss: saved ${paths.best}`);
    } else if (++stale >= settings.patience) {
      log(`  early stop: validation loss has not improved for ${stale} epochs (best ${state.bestValLoss.toFixed(4)} at epoch ${state.bestEpoch})`);
      state.finished = true;
    }
    await saveLast();
  }

  logEvent({ event: interrupted ? 'stopped' : 'finished', bestEpoch: state.bestEpoch, bestValLoss: state.bestValLoss, secondsTrained: state.secondsTrained });
  if (interrupted && !checkpointExists(paths.best)) {
    throw new Error(`interrupted before the first epoch finished; \`--resume --out ${paths.dir}\` continues from ${paths.last}.`);
  }
  return { ...loadRun(paths.dir, model), interrupted };
}

/** The best model of a run folder with what export needs to describe it (also for `--export-only`). */
export function loadRun(runDir: string, model?: tf.LayersModel): Omit<TrainResult, 'interrupted'> {
  const paths = runPaths(runDir);
  if (!checkpointExists(paths.best) || !checkpointExists(paths.last)) {
    throw new Error(`${runDir} holds no finished epoch (no best/ and last/ checkpoints): train first.`);
  }
  const { state } = loadCheckpoint<RunState>(paths.last);
  const best = loadCheckpoint<{ architecture: Architecture; epoch: number }>(paths.best);
  const vocabulary = JSON.parse(readFileSync(paths.vocabulary, 'utf8')) as VocabularyFile;
  const architecture = best.state.architecture;
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
  };
}
