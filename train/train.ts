/**
 * A training run, epoch by epoch: validation after every epoch, early stopping on validation loss with the best
 * weights kept, and checkpoints that survive Ctrl-C and crashes. The examples come from training-data.ts, an
 * epoch's batches from epoch.ts, each step from train-step.ts; run-folder.ts reads and writes the checkpoints.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendChoice } from './backend.ts';
import { checkpointExists } from './checkpoint.ts';
import { epochBatches, trainEpoch } from './epoch.ts';
import { type Architecture, buildModel } from './model.ts';
import type { OwnDataRecord, OwnTrainingData } from './own-split.ts';
import { formatDuration, ProgressBar, type ProgressOutput } from './progress.ts';
import {
  loadRun,
  openRunFolder,
  type RunState,
  restoreLast,
  runPaths,
  saveBest,
  saveLast,
  writeVocabulary,
} from './run-folder.ts';
import { lossAndAccuracy, scoreWithTfjs } from './score-tfjs.ts';
import type { EpochRecord, TrainResult, TrainSettings } from './settings.ts';
import { setLearningRate } from './train-step.ts';
import { loadTrainingData } from './training-data.ts';

export interface TrainOptions {
  /** The IMDB folder (default: the first found), unless ownData is given. */
  dataDir?: string;
  /** A data file of your own, read and its test split carved (own-split.ts's planOwnData). */
  ownData?: OwnTrainingData;
  runDir: string;
  resume: boolean;
  log?: (line: string) => void;
  /** Where the per-epoch progress bar goes (default stderr; a terminal gets one line redrawn). */
  progress?: ProgressOutput;
  /** Aborting stops training after the current batch and saves a checkpoint that --resume continues from. */
  signal?: AbortSignal;
  /** Called after every training batch (progress hooks, tests). */
  onBatch?: (epoch: number, batch: number) => void;
  /** Recorded in the checkpoints and the model metadata. */
  backend?: BackendChoice;
}

/** What a run's data file and splits are, whatever path named the file. */
function dataIdentity(data: OwnDataRecord | undefined): string {
  if (!data) return 'IMDB';
  const { file: _, test, ...rest } = data;
  const { file: __, ...testRest } = test as typeof test & { file?: string };
  return JSON.stringify({ ...rest, test: testRest });
}

export async function train(settings: TrainSettings, options: TrainOptions): Promise<TrainResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const paths = runPaths(options.runDir);
  const logEvent = openRunFolder(paths);

  const examples = loadTrainingData(settings, options.ownData ?? options.dataDir, log);
  writeVocabulary(paths, examples.vocabulary);
  const validationLabels = examples.validation.map((e) => e.label);

  const architecture: Architecture = { ...settings.architecture, vocabSize: examples.vocabulary.words.length };
  const model = buildModel(architecture, settings.seed, { recurrentGain: settings.recurrentGain });
  const optimizer = tf.train.adam(settings.learningRate);

  let state: RunState = {
    settings,
    epochsDone: 0,
    batchesDone: 0,
    history: [],
    bestValLoss: Infinity,
    bestEpoch: 0,
    secondsTrained: 0,
    finished: false,
    dataSha256: examples.data.sha256,
    trainExamples: examples.train.length,
    validationExamples: examples.validation.length,
    backend: options.backend,
    ...(examples.data.own ? { data: examples.data.own } : {}),
  };
  if (options.resume && checkpointExists(paths.last)) {
    const saved = await restoreLast(paths, settings, model, optimizer);
    // Continuing on other rows would train on neither file's split (and could train on the first one's test rows).
    if (dataIdentity(saved.data) !== dataIdentity(state.data)) {
      const was = saved.data ? `${saved.data.file} (sha256 ${saved.data.sha256.slice(0, 12)}...)` : 'IMDB';
      throw new Error(`--resume: the checkpoint in ${paths.last} was trained on ${was}; use the same --data.`);
    }
    state = { ...saved, backend: options.backend ?? saved.backend };
    log(
      `resumed from ${paths.last}: ${state.epochsDone} epochs and ${state.batchesDone} batches done, ` +
        `best validation loss ${state.bestValLoss.toFixed(4)} (epoch ${state.bestEpoch})`,
    );
    logEvent({ event: 'resume', epochsDone: state.epochsDone, batchesDone: state.batchesDone });
  } else if (options.resume) {
    log(`--resume: no checkpoint in ${paths.last}, starting afresh`);
  }
  logEvent({
    event: 'start',
    settings,
    architecture,
    trainExamples: examples.train.length,
    validationExamples: examples.validation.length,
    dataSha256: examples.data.sha256,
  });

  let interrupted = false;
  let stale = state.history.length - state.bestEpoch;
  while (!state.finished && state.epochsDone < settings.epochs && !interrupted) {
    const epoch = state.epochsDone + 1;
    const batches = epochBatches(settings, examples.train, epoch);
    setLearningRate(optimizer, settings.learningRate * (settings.learningRateDecay ?? 1) ** (epoch - 1));
    const bar = new ProgressBar(`epoch ${epoch}/${settings.epochs}`, batches.length, options.progress);
    const hooks = { bar, logEvent, signal: options.signal, onBatch: options.onBatch };
    const trained = await trainEpoch(model, optimizer, settings.clipNorm, epoch, batches, state.batchesDone, hooks);
    state.batchesDone = trained.batchesDone;
    state.secondsTrained += trained.seconds;
    if (trained.interrupted) {
      interrupted = true;
      await saveLast(paths, state, model, optimizer);
      logEvent({ event: 'interrupted', epoch, batchesDone: state.batchesDone });
      const where = `epoch ${epoch}, batch ${state.batchesDone}/${batches.length}`;
      log(`saved ${paths.last} at ${where}: continue with --resume`);
      break;
    }
    const valStart = performance.now();
    const val = lossAndAccuracy(scoreWithTfjs(model, examples.validation), validationLabels);
    const record: EpochRecord = {
      epoch,
      loss: trained.loss,
      accuracy: trained.accuracy,
      valLoss: val.loss,
      valAccuracy: val.accuracy,
      seconds: trained.seconds,
    };
    bar.finish(
      `loss ${record.loss.toFixed(4)} acc ${record.accuracy.toFixed(4)} | ` +
        `val_loss ${val.loss.toFixed(4)} val_acc ${val.accuracy.toFixed(4)} ` +
        `(validation ${formatDuration((performance.now() - valStart) / 1000)})`,
    );
    state.history.push(record);
    state.epochsDone = epoch;
    state.batchesDone = 0;
    logEvent({ event: 'epoch', ...record });
    if (val.loss < state.bestValLoss) {
      state.bestValLoss = val.loss;
      state.bestEpoch = epoch;
      stale = 0;
      saveBest(paths, { epoch, valLoss: val.loss, valAccuracy: val.accuracy, architecture }, model);
      log(`  new best validation loss: saved ${paths.best}`);
    } else if (++stale >= settings.patience) {
      log(
        `  early stop: validation loss has not improved for ${stale} epochs ` +
          `(best ${state.bestValLoss.toFixed(4)} at epoch ${state.bestEpoch})`,
      );
      state.finished = true;
    }
    await saveLast(paths, state, model, optimizer);
  }

  logEvent({
    event: interrupted ? 'stopped' : 'finished',
    bestEpoch: state.bestEpoch,
    bestValLoss: state.bestValLoss,
    secondsTrained: state.secondsTrained,
  });
  if (interrupted && !checkpointExists(paths.best)) {
    throw new Error(
      `interrupted before the first epoch finished; \`--resume --out ${paths.dir}\` continues from ${paths.last}.`,
    );
  }
  return { ...loadRun(paths.dir, model), interrupted };
}
