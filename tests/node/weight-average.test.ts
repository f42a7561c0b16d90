import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../train/backend.ts';
import { WeightAverage, withWeights } from '../../train/weight-average.ts';

const shapes = [[5, 3], [3], [2, 2, 2]];

function randomWeights(seed: number): tf.Tensor[] {
  return shapes.map((shape, i) => tf.randomNormal(shape, 0, 1, 'float32', seed * 10 + i));
}

/** The plain arithmetic mean of the snapshots, element by element. */
function referenceMean(snapshots: tf.Tensor[][]): number[][] {
  return shapes.map((_, i) => {
    const arrays = snapshots.map((s) => Array.from(s[i]!.dataSync()));
    return arrays[0]!.map((_, k) => arrays.reduce((sum, a) => sum + a[k]!, 0) / arrays.length);
  });
}

function expectClose(actual: readonly tf.Tensor[], expected: number[][]) {
  expect(actual.map((t) => t.shape)).toEqual(shapes);
  actual.forEach((t, i) => Array.from(t.dataSync()).forEach((v, k) => expect(v).toBeCloseTo(expected[i]![k]!, 5)));
}

describe('WeightAverage', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('holds the arithmetic mean of every snapshot added', () => {
    const snapshots = [1, 2, 3, 4].map(randomWeights);
    const average = new WeightAverage();
    for (const s of snapshots) average.add(s);
    expect(average.count).toBe(4);
    expectClose(average.weights(), referenceMean(snapshots));
  });

  it('keeps its own copy: changing a snapshot later does not move the mean', () => {
    const variables = randomWeights(7).map((t) => tf.variable(t));
    const before = variables.map((v) => Array.from(v.dataSync()));
    const average = new WeightAverage();
    average.add(variables);
    variables.forEach((v) => v.assign(tf.zerosLike(v)));
    expectClose(average.weights(), before);
  });

  it('continues a restored mean as if it had never stopped', () => {
    const snapshots = [5, 6, 7].map(randomWeights);
    const first = new WeightAverage();
    first.add(snapshots[0]!);
    first.add(snapshots[1]!);
    const resumed = new WeightAverage();
    resumed.restore(first.weights(), first.count);
    resumed.add(snapshots[2]!);
    expect(resumed.count).toBe(3);
    expectClose(resumed.weights(), referenceMean(snapshots));
  });

  it('rejects a snapshot of another model', () => {
    const average = new WeightAverage();
    average.add(randomWeights(1));
    expect(() => average.add(randomWeights(2).slice(1))).toThrow(/2 tensors, the mean holds 3/);
  });
});

describe('withWeights', () => {
  it('runs with the given weights and puts the model’s own back', () => {
    const input = tf.input({ shape: [3] });
    const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 1, useBias: false }).apply(input) as tf.SymbolicTensor });
    const own = Array.from(model.getWeights()[0]!.dataSync());
    const x = tf.tensor2d([[1, 2, 3]]);
    const inside = withWeights(model, [tf.ones([3, 1])], () => (model.predict(x) as tf.Tensor).dataSync()[0]);
    expect(inside).toBeCloseTo(6, 5);
    expect(Array.from(model.getWeights()[0]!.dataSync())).toEqual(own);
  });
});
