/**
 * Checkpoints: a folder holding `state.json` (anything JSON) and `weights.bin` (float32 tensors, listed with
 * name and shape in state.json). Written to a temporary folder and renamed into place, so an interrupted
 * write never destroys the previous checkpoint.
 */

import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

export interface TensorSpec {
  name: string;
  shape: number[];
}

export interface CheckpointFile<S> {
  state: S;
  tensors: TensorSpec[];
}

export function saveCheckpoint<S>(dir: string, state: S, tensors: { name: string; tensor: tf.Tensor }[]): void {
  mkdirSync(dirname(dir), { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const arrays = tensors.map(({ tensor }) => tensor.dataSync() as Float32Array);
  const total = arrays.reduce((n, a) => n + a.length, 0);
  const flat = new Float32Array(total);
  let offset = 0;
  for (const a of arrays) {
    flat.set(a, offset);
    offset += a.length;
  }
  writeFileSync(join(tmp, 'weights.bin'), new Uint8Array(flat.buffer));
  const specs = tensors.map(({ name, tensor }) => ({ name, shape: tensor.shape.slice() }));
  const file: CheckpointFile<S> = { state, tensors: specs };
  writeFileSync(join(tmp, 'state.json'), `${JSON.stringify(file, null, 1)}\n`);
  const old = `${dir}.old-${process.pid}`;
  if (existsSync(dir)) renameSync(dir, old);
  renameSync(tmp, dir);
  rmSync(old, { recursive: true, force: true });
}

export function checkpointExists(dir: string): boolean {
  return existsSync(join(dir, 'state.json')) && existsSync(join(dir, 'weights.bin'));
}

function readCheckpointFile<S>(dir: string): CheckpointFile<S> {
  return JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as CheckpointFile<S>;
}

/** The state alone, with no tensors made. */
export function loadCheckpointState<S>(dir: string): S {
  return readCheckpointFile<S>(dir).state;
}

export function loadCheckpoint<S>(dir: string): { state: S; tensors: { name: string; tensor: tf.Tensor }[] } {
  const file = readCheckpointFile<S>(dir);
  const bytes = readFileSync(join(dir, 'weights.bin'));
  const flat = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  let offset = 0;
  const tensors = file.tensors.map(({ name, shape }) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const tensor = tf.tensor(flat.slice(offset, offset + size), shape, 'float32');
    offset += size;
    return { name, tensor };
  });
  if (offset !== flat.length) {
    const sizes = `weights.bin holds ${flat.length} floats, state.json lists ${offset}`;
    throw new Error(`Checkpoint ${dir} is damaged: ${sizes}.`);
  }
  return { state: file.state, tensors };
}

/** Model weights in layer order, named by their (stable) position so names survive a rebuild of the model. */
export function modelTensors(model: tf.LayersModel): { name: string; tensor: tf.Tensor }[] {
  return model.getWeights().map((tensor, i) => ({ name: `model/${i}`, tensor }));
}

export function setModelTensors(model: tf.LayersModel, tensors: { name: string; tensor: tf.Tensor }[]): void {
  const weights = tensors.filter((t) => t.name.startsWith('model/')).map((t) => t.tensor);
  model.setWeights(weights);
}
