/**
 * Runs in Node before the worker tests: scores the parity reviews with onnxruntime-web in Node (the same
 * runtime and model file the Worker uses) and hands the scores to the tests running in workerd.
 */
import { readFileSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import type { ModelMetadata } from '../../src/model/metadata.ts';
import { encode, Vocabulary, type VocabularyFile } from '../../src/tokenizer/index.ts';
import { createSession, scoreIds } from '../../train/onnx/session.ts';
import { PARITY_REVIEWS } from '../fixtures/reviews.ts';
import './node-scores.ts';

export default async function setup(project: TestProject): Promise<void> {
  const metadata = JSON.parse(readFileSync('model/metadata.json', 'utf8')) as ModelMetadata;
  const vocabulary = new Vocabulary(JSON.parse(readFileSync(`model/${metadata.tokenizer.vocabFile}`, 'utf8')) as VocabularyFile);
  const session = await createSession(readFileSync(`model/${metadata.onnx.file}`));
  const { maxLength, truncation } = metadata.tokenizer;
  const ids = PARITY_REVIEWS.map((text) => encode(text, vocabulary, { maxLength, truncation }).ids);
  const single: number[] = [];
  for (const row of ids) single.push((await scoreIds(session, [row]))[0]!);
  const batch = Array.from(await scoreIds(session, ids));
  await session.release();
  project.provide('nodeScores', { single, batch, model: metadata.name });
}
