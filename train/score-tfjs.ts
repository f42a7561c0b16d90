/** Scores token-id sequences with the float tfjs model, exactly: batches hold sequences of one length only. */
import * as tf from '@tensorflow/tfjs';
import { type Example, exactBatches } from './batches.ts';
import { ProgressBar } from './progress.ts';

export function scoreWithTfjs(
  model: tf.LayersModel,
  examples: readonly Example[],
  options: { batchSize?: number; progress?: string } = {},
): Float32Array {
  const scores = new Float32Array(examples.length).fill(Number.NaN);
  const bar = options.progress ? new ProgressBar(options.progress, examples.length) : undefined;
  let done = 0;
  for (const { batch, positions } of exactBatches(examples, options.batchSize ?? 256)) {
    const values = tf.tidy(() => {
      const x = tf.tensor2d(batch.ids, [batch.size, batch.length], 'int32');
      return (model.predict(x) as tf.Tensor).dataSync();
    });
    positions.forEach((p, i) => (scores[p] = values[i]!));
    done += positions.length;
    bar?.update(done, '');
  }
  return scores;
}

/** Mean binary cross-entropy and accuracy of probabilities against 0/1 labels (examples with no score skipped). */
export function lossAndAccuracy(scores: Float32Array, labels: ArrayLike<number>): { loss: number; accuracy: number } {
  let loss = 0;
  let correct = 0;
  let n = 0;
  for (let i = 0; i < scores.length; i++) {
    if (Number.isNaN(scores[i]!)) continue;
    const p = Math.min(1 - 1e-7, Math.max(1e-7, scores[i]!));
    const y = labels[i]!;
    loss -= y * Math.log(p) + (1 - y) * Math.log(1 - p);
    if ((p >= 0.5 ? 1 : 0) === y) correct++;
    n++;
  }
  return { loss: loss / n, accuracy: correct / n };
}
