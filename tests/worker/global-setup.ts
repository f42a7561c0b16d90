/**
 * Runs in Node before the worker tests: scores and traces the parity reviews with onnxruntime-web in Node (the
 * same runtime, model files and inference code the Worker uses) and hands them to the tests running in workerd,
 * with the sha256 of the served model's float weights (workerd cannot read model/float).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { openModelFolder } from '../../train/model-folder.ts';
import { PARITY_REVIEWS } from '../fixtures/reviews.ts';
import './node-scores.ts';

export default async function setup(project: TestProject): Promise<void> {
  const model = await openModelFolder('model');
  const encoded = PARITY_REVIEWS.map((text) => model.encode(text));
  const single: number[] = [];
  for (const e of encoded) single.push((await model.score([e]))[0]!);
  const batch = await model.score(encoded);
  const traces = model.hasTrace ? (await model.trace(encoded)).map((t) => t.trace) : null;
  await model.runner.release();
  const weightsSha256 = createHash('sha256').update(readFileSync('model/float/weights.bin')).digest('hex');
  project.provide('nodeScores', { single, batch, traces, model: model.name, weightsSha256 });
}
