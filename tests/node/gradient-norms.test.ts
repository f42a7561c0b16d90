/**
 * The gradient norms GET /how draws: ||∂h_T / ∂x_(T-k)|| against finite differences of the final state computed
 * by hand from the layer's weights, on a tiny SimpleRNN with random weights.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Architecture } from '../../src/model/metadata.ts';
import { measureGradientNorms } from '../../train/gradient-norms.ts';
import { buildModel, LAYER_NAMES } from '../../train/model.ts';
import { seededRandom } from '../../train/random.ts';

const arch: Architecture = {
  cell: 'simplernn',
  vocabSize: 12,
  embeddingDim: 3,
  units: 4,
  bidirectional: false,
  pooling: 'meanmax',
};

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** h_T of tfjs's SimpleRNN (h_t = tanh(x_t K + h_(t-1) R + b)), in plain arithmetic. */
function finalState(x: number[][], kernel: number[][], recurrent: number[][], bias: number[]): number[] {
  let h = bias.map(() => 0);
  for (const xt of x) {
    h = bias.map((b, j) =>
      Math.tanh(
        b + xt.reduce((s, v, i) => s + v * kernel[i]![j]!, 0) + h.reduce((s, v, i) => s + v * recurrent[i]![j]!, 0),
      ),
    );
  }
  return h;
}

describe('measureGradientNorms', () => {
  it('equals the Frobenius norm of the Jacobian by finite differences, for every k', () => {
    const model = buildModel(arch, 3);
    const rng = seededRandom(9);
    model.setWeights(
      model.getWeights().map((w) =>
        tf.tensor(
          Float32Array.from({ length: w.size }, () => (rng() * 2 - 1) * 0.9),
          w.shape,
        ),
      ),
    );
    const sequences = [
      [3, 5, 7, 2, 9, 4],
      [1, 2, 3, 4, 5, 6, 7],
      [8, 8],
    ];
    const steps = 6;
    const norms = measureGradientNorms('tiny', model, arch, sequences, { steps });
    expect(norms).toMatchObject({ model: 'tiny', cell: 'simplernn', steps, reviews: 2 });

    const [embedding] = model
      .getLayer(LAYER_NAMES.embedding)
      .getWeights()
      .map((w) => w.arraySync() as number[][]);
    const [kernel, recurrent, bias] = model
      .getLayer(LAYER_NAMES.rnn)
      .getWeights()
      .map((w) => w.arraySync());
    const eps = 1e-4;
    const expected = Array.from({ length: steps }, () => 0);
    for (const ids of sequences.slice(0, 2)) {
      const x = ids.slice(0, steps).map((id) => [...embedding![id]!]);
      for (let k = 0; k < steps; k++) {
        const t = steps - 1 - k;
        let squared = 0;
        for (let i = 0; i < arch.embeddingDim; i++) {
          const plus = x.map((row) => [...row]);
          const minus = x.map((row) => [...row]);
          plus[t]![i]! += eps;
          minus[t]![i]! -= eps;
          const hp = finalState(plus, kernel as number[][], recurrent as number[][], bias as number[]);
          const hm = finalState(minus, kernel as number[][], recurrent as number[][], bias as number[]);
          for (let j = 0; j < arch.units; j++) squared += ((hp[j]! - hm[j]!) / (2 * eps)) ** 2;
        }
        expected[k]! += Math.sqrt(squared) / 2;
      }
    }
    norms.values.forEach((v, k) => expect(v).toBeCloseTo(expected[k]!, 3));
    // The vanishing gradient: a word read further back moves the final state less.
    expect(norms.values[steps - 1]!).toBeLessThan(norms.values[0]!);
  });

  it('shortens the window to the longest review when none is as long as asked', () => {
    const norms = measureGradientNorms(
      'tiny',
      buildModel(arch, 1),
      arch,
      [
        [1, 2, 3],
        [4, 5],
      ],
      { steps: 201 },
    );
    expect(norms.steps).toBe(3);
    expect(norms.values).toHaveLength(3);
  });
});
