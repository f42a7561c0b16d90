/**
 * Weight averaging (stochastic weight averaging, Izmailov et al. 2018): a running mean of the model's weights,
 * snapshotted every few batches late in training. The mean sits nearer the centre of the flat region that SGD
 * wanders around, which usually generalises better than the last point. tfjs has no SWA, hence this file.
 */
import * as tf from '@tensorflow/tfjs';

export class WeightAverage {
  private means: tf.Tensor[] = [];
  private snapshots = 0;

  /** How many snapshots the mean holds. */
  get count(): number {
    return this.snapshots;
  }

  /** Folds one snapshot into the mean: mean += (weights - mean) / count. */
  add(weights: readonly tf.Tensor[]): void {
    this.snapshots += 1;
    if (this.snapshots === 1) {
      this.means = weights.map((w) => tf.keep(w.clone()));
      return;
    }
    if (weights.length !== this.means.length) throw new Error(`weight average: ${weights.length} tensors, the mean holds ${this.means.length}`);
    const k = this.snapshots;
    this.means = this.means.map((mean, i) => {
      const next = tf.tidy(() => mean.add(weights[i]!.sub(mean).div(k)));
      mean.dispose();
      return next;
    });
  }

  /** The mean weights (owned by this object: clone to keep them past the next add). */
  weights(): readonly tf.Tensor[] {
    return this.means;
  }

  /** Continues a mean saved in a checkpoint. */
  restore(means: readonly tf.Tensor[], count: number): void {
    this.dispose();
    this.means = means.map((m) => tf.keep(m.clone()));
    this.snapshots = count;
  }

  dispose(): void {
    for (const m of this.means) m.dispose();
    this.means = [];
    this.snapshots = 0;
  }
}

/** Runs fn with the model holding `weights`, then puts its own weights back (training continues from them). */
export function withWeights<T>(model: tf.LayersModel, weights: readonly tf.Tensor[], fn: () => T): T {
  // getWeights returns the variables themselves, which setWeights overwrites: clone to keep the current values.
  const own = model.getWeights().map((w) => w.clone());
  model.setWeights(weights as tf.Tensor[]);
  try {
    return fn();
  } finally {
    model.setWeights(own);
    for (const w of own) w.dispose();
  }
}
