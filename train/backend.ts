/**
 * Picks the fastest TensorFlow.js backend that can load here: tfjs-node-gpu with --gpu, else tfjs-node, else
 * the pure-JS cpu backend with the fast Embedding-gradient kernel. Neither native package is a dependency
 * (their install scripts download libtensorflow); users who have them installed get them.
 */
import * as tf from '@tensorflow/tfjs';
import { registerFastSegmentSum } from './segment-sum-kernel.ts';

export interface BackendChoice {
  /** The tfjs backend name (tensorflow for the native ones, cpu for pure JS). */
  backend: string;
  /** The package that provides it. */
  package: string;
}

async function tryImport(name: string): Promise<boolean> {
  try {
    await import(name);
    return true;
  } catch {
    return false;
  }
}

export async function selectBackend(options: { gpu?: boolean } = {}): Promise<BackendChoice> {
  if (options.gpu) {
    if (!(await tryImport('@tensorflow/tfjs-node-gpu'))) {
      throw new Error('--gpu needs @tensorflow/tfjs-node-gpu: run `npm install --no-save @tensorflow/tfjs-node-gpu` on a machine with CUDA.');
    }
    await tf.setBackend('tensorflow');
    await tf.ready();
    return { backend: tf.getBackend(), package: '@tensorflow/tfjs-node-gpu' };
  }
  if (await tryImport('@tensorflow/tfjs-node')) {
    await tf.setBackend('tensorflow');
    await tf.ready();
    return { backend: tf.getBackend(), package: '@tensorflow/tfjs-node' };
  }
  registerFastSegmentSum();
  await tf.setBackend('cpu');
  await tf.ready();
  return { backend: tf.getBackend(), package: '@tensorflow/tfjs (pure JS, fast UnsortedSegmentSum)' };
}
