import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../train/backend.ts';
import { type Architecture, buildModel, LAYER_NAMES } from '../../train/model.ts';

const arch: Architecture = {
  cell: 'simplernn',
  vocabSize: 50,
  embeddingDim: 6,
  units: 8,
  bidirectional: false,
  pooling: 'meanmax',
};

/** U^T U of the SimpleRNN's recurrent matrix: gain^2 times the identity for a scaled orthogonal matrix. */
function recurrentGram(model: tf.LayersModel): number[][] {
  const [, recurrent] = model.getLayer(LAYER_NAMES.rnn).getWeights();
  return tf.tidy(() => recurrent!.transpose().matMul(recurrent!).arraySync() as number[][]);
}

describe('buildModel initialisation', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it.each([
    [undefined, 1],
    [0.25, 0.25],
  ])('recurrentGain %s starts the recurrent matrix orthogonal with gain %s', (recurrentGain, gain) => {
    const gram = recurrentGram(buildModel(arch, 7, { recurrentGain }));
    gram.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(i === j ? gain * gain : 0, 4)));
  });
});
