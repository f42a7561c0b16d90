/**
 * Picks the fastest TensorFlow.js backend that loads here: tfjs-node-gpu with --gpu, else tfjs-node, else
 * tfjs's WebAssembly backend (about twice as fast as pure JS for these RNNs, measured), else the pure-JS cpu
 * backend. Neither native package is a dependency (their install scripts download libtensorflow); users who
 * have one installed get it. The two JS backends get the fast Embedding-gradient kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { registerFastSegmentSum } from './segment-sum-kernel.ts';

export type BackendName = 'auto' | 'gpu' | 'node' | 'wasm' | 'cpu';

export interface BackendChoice {
  /** The tfjs backend name (tensorflow for the native ones). */
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

async function use(backend: string, pkg: string): Promise<BackendChoice> {
  if (!(await tf.setBackend(backend))) throw new Error(`The tfjs backend "${backend}" failed to start.`);
  await tf.ready();
  return { backend: tf.getBackend(), package: pkg };
}

export async function selectBackend(wanted: BackendName = 'auto'): Promise<BackendChoice> {
  if (wanted === 'gpu') {
    if (!(await tryImport('@tensorflow/tfjs-node-gpu'))) {
      throw new Error(
        '--gpu needs @tensorflow/tfjs-node-gpu: on a machine with CUDA run `npm install --no-save @tensorflow/tfjs-node-gpu`.',
      );
    }
    return use('tensorflow', '@tensorflow/tfjs-node-gpu');
  }
  if (wanted === 'node' || wanted === 'auto') {
    if (await tryImport('@tensorflow/tfjs-node')) return use('tensorflow', '@tensorflow/tfjs-node');
    if (wanted === 'node')
      throw new Error('--backend node needs @tensorflow/tfjs-node: run `npm install --no-save @tensorflow/tfjs-node`.');
  }
  if (wanted === 'wasm' || wanted === 'auto') {
    if (await tryImport('@tensorflow/tfjs-backend-wasm')) {
      registerFastSegmentSum('wasm');
      return use('wasm', '@tensorflow/tfjs-backend-wasm (fast UnsortedSegmentSum)');
    }
    if (wanted === 'wasm') throw new Error('--backend wasm needs @tensorflow/tfjs-backend-wasm (npm install).');
  }
  registerFastSegmentSum('cpu');
  return use('cpu', '@tensorflow/tfjs pure JS (fast UnsortedSegmentSum)');
}
