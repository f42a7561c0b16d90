/**
 * The classifier, in tfjs layers: Embedding -> recurrent cell -> (last state | max, mean, or both, over all states) ->
 * Dense(1, sigmoid). Layer names are part of the contract with the ONNX exporter (train/onnx/).
 *
 * No masking: training batches hold reviews of one length (train/batches.ts), so padding never reaches the
 * network, and the exported graph reproduces this exactly with the RNN op's sequence_lens.
 */
import * as tf from '@tensorflow/tfjs';

import type { Architecture } from '../src/model/metadata.ts';

export type { Architecture, CellType, Pooling } from '../src/model/metadata.ts';

export const LAYER_NAMES = { embedding: 'embedding', rnn: 'rnn', pool: 'pool', classifier: 'classifier' } as const;

/** How the weights start (training only: an exported model is described by its Architecture alone). */
export interface Initialization {
  /**
   * Gain of the orthogonal recurrent matrix (1 when absent). A small gain starts the network close to a bag of
   * words (each state mostly its own word), and training grows the recurrence where it helps.
   */
  recurrentGain?: number;
}

function recurrentLayer(arch: Architecture, seed: number, init: Initialization): tf.layers.Layer {
  const common = {
    units: arch.units,
    returnSequences: arch.pooling !== 'last',
    kernelInitializer: tf.initializers.glorotUniform({ seed }),
    recurrentInitializer: tf.initializers.orthogonal({ seed: seed + 1, gain: init.recurrentGain ?? 1 }),
  };
  switch (arch.cell) {
    case 'simplernn':
      return tf.layers.simpleRNN({ ...common, activation: 'tanh' });
    case 'gru':
      // sigmoid (not tfjs's default hardSigmoid) so that ONNX's GRU op computes the same function.
      return tf.layers.gru({ ...common, recurrentActivation: 'sigmoid' });
    case 'lstm':
      return tf.layers.lstm({ ...common, recurrentActivation: 'sigmoid', unitForgetBias: true });
  }
}

export function buildModel(arch: Architecture, seed: number, init: Initialization = {}): tf.LayersModel {
  const input = tf.input({ shape: [null], dtype: 'int32', name: 'input_ids' });
  let x = tf.layers
    .embedding({
      name: LAYER_NAMES.embedding,
      inputDim: arch.vocabSize,
      outputDim: arch.embeddingDim,
      embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed }),
    })
    .apply(input) as tf.SymbolicTensor;
  const cell = recurrentLayer(arch, seed + 3, init);
  const rnn = arch.bidirectional
    ? tf.layers.bidirectional({ name: LAYER_NAMES.rnn, layer: cell as tf.RNN, mergeMode: 'concat' })
    : cell;
  if (!arch.bidirectional) (rnn as unknown as { name: string }).name = LAYER_NAMES.rnn;
  x = rnn.apply(x) as tf.SymbolicTensor;
  const pool = LAYER_NAMES.pool;
  if (arch.pooling === 'max') x = tf.layers.globalMaxPooling1d({ name: pool }).apply(x) as tf.SymbolicTensor;
  if (arch.pooling === 'mean') x = tf.layers.globalAveragePooling1d({ name: pool }).apply(x) as tf.SymbolicTensor;
  if (arch.pooling === 'meanmax') {
    const mean = tf.layers.globalAveragePooling1d({ name: `${pool}_mean` }).apply(x) as tf.SymbolicTensor;
    const max = tf.layers.globalMaxPooling1d({ name: `${pool}_max` }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.concatenate({ name: pool, axis: -1 }).apply([mean, max]) as tf.SymbolicTensor;
  }
  const output = tf.layers
    .dense({
      name: LAYER_NAMES.classifier,
      units: 1,
      activation: 'sigmoid',
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 4 }),
    })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output, name: `imdb_${arch.cell}` });
}
