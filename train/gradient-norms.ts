/**
 * How far back a trained recurrent layer still listens: the mean norm of the gradient of its final state with
 * respect to the word vector read k words earlier, ||∂h_T / ∂x_(T-k)|| (Frobenius norm of the units x dim
 * Jacobian), for k = 0 .. steps - 1, over validation reviews of at least `steps` words (their first `steps`;
 * shorter when no review is that long).
 * A SimpleRNN's curve falls by orders of magnitude within a few dozen words (the vanishing gradient); a GRU's
 * gates keep it up much longer. Measured on the float weights, unidirectional models only.
 */
import * as tf from '@tensorflow/tfjs';

import type { Architecture, GradientNorms } from '../src/model/metadata.ts';
import { encode, Vocabulary, type VocabularyFile } from '../src/tokenizer/index.ts';
import { readMetadata } from './artifacts.ts';
import type { Review } from './data.ts';
import { LAYER_NAMES } from './model.ts';

export interface GradientOptions {
  /** Words read: k runs from 0 to steps - 1 (default 201: k = 0 .. 200). */
  steps?: number;
  /** Reviews averaged over, at most (default 100). */
  reviews?: number;
}

/** The model's recurrent layer again, returning only its final state, with the trained weights. */
function finalStateLayer(model: tf.LayersModel, arch: Architecture): tf.layers.Layer {
  const trained = model.getLayer(LAYER_NAMES.rnn);
  const config = { ...trained.getConfig(), returnSequences: false, returnState: false, name: 'final_state' };
  // The config of the trained layer (units, activations, gate settings), which these factories take back.
  const args = config as unknown as Parameters<typeof tf.layers.gru>[0];
  const layer =
    arch.cell === 'simplernn'
      ? tf.layers.simpleRNN(args)
      : arch.cell === 'gru'
        ? tf.layers.gru(args)
        : tf.layers.lstm(args);
  // Applying it once builds its weights (a direct build() leaves the layer unbuilt for the next apply()).
  tf.tidy(() => layer.apply(tf.zeros([1, 1, arch.embeddingDim])) as tf.Tensor);
  layer.setWeights(trained.getWeights());
  return layer;
}

/**
 * The gradient norms of `model` over `sequences` (token ids; those shorter than `steps` are skipped). The full
 * Jacobian needs one backward pass per unit: its squared Frobenius norm is the sum over units of each unit's
 * squared gradient.
 */
export function measureGradientNorms(
  name: string,
  model: tf.LayersModel,
  arch: Architecture,
  sequences: readonly (readonly number[])[],
  options: GradientOptions = {},
): GradientNorms {
  if (arch.bidirectional) throw new Error('A bidirectional model has no single final state to measure from.');
  // Reviews shorter than asked for (a small data set) shorten the window rather than fail.
  const longest = Math.max(0, ...sequences.map((ids) => ids.length));
  const steps = Math.min(options.steps ?? 201, longest);
  if (steps < 2) throw new Error('No review of at least 2 words to measure the gradient over.');
  const rows = sequences.filter((ids) => ids.length >= steps).slice(0, options.reviews ?? 100);
  const layer = finalStateLayer(model, arch);
  const [embeddings] = model.getLayer(LAYER_NAMES.embedding).getWeights();
  const values = tf.tidy(() => {
    const ids = tf.tensor2d(
      rows.map((ids) => ids.slice(0, steps)),
      [rows.length, steps],
      'int32',
    );
    const x = tf.gather(embeddings!, ids); // [B, T, D]
    let squared = tf.zeros([rows.length, steps]);
    for (let unit = 0; unit < arch.units; unit++) {
      const state = (input: tf.Tensor) =>
        (layer.apply(input) as tf.Tensor).slice([0, unit], [rows.length, 1]).sum() as tf.Scalar;
      const gradient = tf.grad(state)(x); // [B, T, D]: each review's unit depends only on its own words
      squared = tf.keep(squared.add(gradient.square().sum(2)));
    }
    // Mean over reviews of the norm, then reversed: index k is the word k steps before the last one read.
    return (squared.sqrt().mean(0).reverse(0).arraySync() as number[]).map((v) => Number(v.toPrecision(6)));
  });
  layer.dispose();
  return { model: name, steps, reviews: rows.length, cell: arch.cell, values };
}

/** The curve of `model` over the validation reviews it was chosen on, encoded with its own vocabulary. */
export function gradientNormsOnValidation(
  name: string,
  model: tf.LayersModel,
  arch: Architecture,
  vocabulary: VocabularyFile,
  validation: readonly Review[],
  options: GradientOptions = {},
): GradientNorms {
  const words = new Vocabulary(vocabulary);
  const steps = options.steps ?? 201;
  const ids = validation.map((r) => encode(r.text, words, { maxLength: steps, truncation: 'start' }).ids);
  return measureGradientNorms(name, model, arch, ids, options);
}

/** This model's own curve, then the curve recorded in each compared model folder's metadata.json. */
export function withComparisons(own: GradientNorms, compareDirs: readonly string[]): GradientNorms[] {
  const compared = compareDirs.map((dir) => {
    const curve = readMetadata(dir).gradientNorms?.[0];
    if (!curve) throw new Error(`${dir}/metadata.json has no gradient norms: export it again with this code first.`);
    return curve;
  });
  return [own, ...compared];
}
