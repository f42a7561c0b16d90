/** One optimiser step on one batch: binary cross-entropy, gradients clipped by their global norm, Adam. */
import * as tf from '@tensorflow/tfjs';
import type { Batch } from './batches.ts';

function lossOf(model: tf.LayersModel, batch: Batch): { loss: tf.Scalar; correct: tf.Scalar } {
  const x = tf.tensor2d(batch.ids, [batch.size, batch.length], 'int32');
  const y = tf.tensor1d(batch.labels);
  const p = (model.apply(x, { training: true }) as tf.Tensor).reshape([batch.size]);
  const eps = 1e-7;
  const clipped = p.clipByValue(eps, 1 - eps);
  const loss = tf.neg(tf.mean(tf.add(tf.mul(y, tf.log(clipped)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, clipped))))));
  const correct = tf.sum(tf.cast(tf.equal(tf.greaterEqual(p, 0.5).cast('float32'), y), 'float32'));
  return { loss: loss as tf.Scalar, correct: correct as tf.Scalar };
}

/** One optimiser step with the gradients scaled so that their global norm is at most clipNorm. */
export function trainStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  batch: Batch,
  clipNorm: number,
): { loss: number; correct: number } {
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

/** Sets Adam's learning rate: tfjs reads it at every step but declares it protected. */
export function setLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
}
