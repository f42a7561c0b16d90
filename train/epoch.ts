/** One epoch of training: its batches, and the batch loop with progress, logging and Ctrl-C between batches. */
import type * as tf from '@tensorflow/tfjs';
import { UNK_ID } from '../src/tokenizer/index.ts';
import { type Batch, dropWords, type Example, randomCrops, trainingBatches } from './batches.ts';
import type { ProgressBar } from './progress.ts';
import { seededRandom } from './random.ts';
import type { TrainSettings } from './settings.ts';
import { trainStep } from './train-step.ts';

/** An epoch's batches. They depend only on seed and epoch, so a resumed epoch skips exactly the batches done. */
export function epochBatches(settings: TrainSettings, examples: readonly Example[], epoch: number): Batch[] {
  const random = seededRandom(settings.seed * 1000 + epoch);
  const crops = settings.cropMaxLength ? randomCrops(examples, random, settings.cropMaxLength) : [];
  const epochExamples = dropWords([...examples, ...crops], settings.wordDropout ?? 0, UNK_ID, random);
  return trainingBatches(epochExamples, settings.batchSize, settings.truncation, random);
}

export interface EpochHooks {
  bar: ProgressBar;
  logEvent: (event: Record<string, unknown>) => void;
  /** Aborted: stop before the next batch. */
  signal?: AbortSignal;
  onBatch?: (epoch: number, batch: number) => void;
}

export interface EpochProgress {
  /** Mean loss and accuracy over the batches trained in this call. */
  loss: number;
  accuracy: number;
  seconds: number;
  /** Batches of the epoch done, counting those done before `startAt`. */
  batchesDone: number;
  interrupted: boolean;
}

/** Trains batches[startAt..], or up to an abort. */
export async function trainEpoch(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  clipNorm: number,
  epoch: number,
  batches: readonly Batch[],
  startAt: number,
  hooks: EpochHooks,
): Promise<EpochProgress> {
  const totalWords = batches.reduce((n, b) => n + b.size * b.length, 0);
  let lossSum = 0;
  let correct = 0;
  let seen = 0;
  let words = 0;
  let batchesDone = startAt;
  let interrupted = false;
  const start = performance.now();
  for (let i = startAt; i < batches.length; i++) {
    // Yield to the event loop so that Ctrl-C (a signal handler) can run between batches.
    await new Promise((resolve) => setImmediate(resolve));
    if (hooks.signal?.aborted) {
      interrupted = true;
      break;
    }
    const batch = batches[i]!;
    const step = trainStep(model, optimizer, batch, clipNorm);
    lossSum += step.loss * batch.size;
    correct += step.correct;
    seen += batch.size;
    words += batch.size * batch.length;
    batchesDone = i + 1;
    const loss = lossSum / seen;
    const accuracy = correct / seen;
    hooks.bar.update(batchesDone, `loss ${loss.toFixed(4)} acc ${accuracy.toFixed(4)}`, words, totalWords);
    if (batchesDone % 50 === 0) {
      hooks.logEvent({ event: 'batch', epoch, batch: batchesDone, batches: batches.length, loss, accuracy });
    }
    hooks.onBatch?.(epoch, batchesDone);
  }
  return {
    loss: lossSum / Math.max(1, seen),
    accuracy: correct / Math.max(1, seen),
    seconds: (performance.now() - start) / 1000,
    batchesDone,
    interrupted,
  };
}
