import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../train/random.ts';
import { registerFastSegmentSum, segmentSum } from '../../train/segment-sum-kernel.ts';

/** A plain reference, written independently of the kernel: one pass per segment. */
function reference(x: number[][], ids: number[], numSegments: number): number[][] {
  return Array.from({ length: numSegments }, (_, s) =>
    x[0]!.map((_, k) => ids.reduce((sum, id, r) => (id === s ? sum + x[r]![k]! : sum), 0)),
  );
}

describe('fast UnsortedSegmentSum', () => {
  beforeAll(async () => {
    registerFastSegmentSum('cpu');
    await tf.setBackend('cpu');
  });

  it('segmentSum matches the reference on random data, dropping out-of-range ids', () => {
    const random = seededRandom(7);
    const rows = 200;
    const dim = 5;
    const numSegments = 30;
    const x = Array.from({ length: rows }, () => Array.from({ length: dim }, () => random() * 2 - 1));
    const ids = Array.from({ length: rows }, () => Math.floor(random() * (numSegments + 4)) - 2);
    const out = new Float32Array(numSegments * dim);
    segmentSum(Float32Array.from(x.flat()), ids, numSegments, out);
    const expected = reference(x, ids, numSegments).flat();
    out.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
  });

  it('is the kernel tfjs runs for tf.unsortedSegmentSum, with 2-D segment ids', () => {
    const random = seededRandom(11);
    const x = tf.tensor3d(
      Array.from({ length: 4 * 6 * 3 }, () => random()),
      [4, 6, 3],
    );
    const idValues = Array.from({ length: 24 }, () => Math.floor(random() * 9));
    const ids = tf.tensor2d(idValues, [4, 6], 'int32');
    // tfjs types segmentIds as 1-D, but the kernel (and the Gather gradient) pass any leading shape.
    const got = tf.unsortedSegmentSum(x, ids as unknown as tf.Tensor1D, 9);
    expect(got.shape).toEqual([9, 3]);
    const rowsOfX = (x.arraySync() as number[][][]).flat();
    const expected = reference(rowsOfX, idValues, 9);
    const values = got.arraySync() as unknown as number[][];
    values.forEach((row, s) => row.forEach((v, k) => expect(v).toBeCloseTo(expected[s]![k]!, 5)));
  });

  it('gives the Embedding gradient of a gather: each id row receives the sum of its upstream gradients', () => {
    const random = seededRandom(3);
    const table = tf.tensor2d(
      Array.from({ length: 50 * 4 }, () => random()),
      [50, 4],
    );
    const idValues = [3, 7, 3, 49, 0, 7, 7];
    const upstream = tf.tensor2d(
      Array.from({ length: 7 * 4 }, () => random()),
      [7, 4],
    );
    const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, tf.tensor1d(idValues, 'int32')), upstream)))(
      table,
    );
    const expected = reference(upstream.arraySync() as number[][], idValues, 50);
    (grad.arraySync() as number[][]).forEach((row, s) =>
      row.forEach((v, k) => expect(v).toBeCloseTo(expected[s]![k]!, 5)),
    );
  });

  it('handles a vocabulary-sized table: 20,000 segments from 64 x 400 ids', () => {
    const ids = tf.randomUniform([64 * 400], 0, 20000, 'int32');
    const x = tf.randomUniform([64 * 400, 64]);
    const out = tf.unsortedSegmentSum(x, ids as tf.Tensor1D, 20000);
    expect(out.shape).toEqual([20000, 64]);
    // Sum is preserved: every row lands in exactly one segment.
    expect(out.sum().dataSync()[0]).toBeCloseTo(x.sum().dataSync()[0]!, 0);
  });
});
