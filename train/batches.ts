/**
 * Length-bucketed batches: every batch holds sequences of one length, so the network never sees padding and
 * the time to train on a batch follows the words it really holds. Reviews are ordered by length (with a random
 * jitter so batches differ between epochs), cut into batches, and each batch is cut to its shortest member by
 * dropping words on the side that truncation drops (a few words at most, since neighbours have similar lengths).
 */
import type { Truncation } from '../src/tokenizer/index.ts';
import { shuffled } from './random.ts';

export interface Example {
  ids: number[];
  label: 0 | 1;
}

export interface Batch {
  /** Row-major [size, length]. */
  ids: Int32Array;
  labels: Float32Array;
  size: number;
  length: number;
}

function cut(ids: number[], length: number, truncation: Truncation): number[] {
  return truncation === 'start' ? ids.slice(0, length) : ids.slice(ids.length - length);
}

export function makeBatch(examples: readonly Example[], truncation: Truncation): Batch {
  const length = Math.min(...examples.map((e) => e.ids.length));
  const ids = new Int32Array(examples.length * length);
  examples.forEach((e, row) => ids.set(cut(e.ids, length, truncation), row * length));
  return { ids, labels: Float32Array.from(examples, (e) => e.label), size: examples.length, length };
}

/**
 * Random windows of the reviews, labelled like their review: one per review, of 4..maxLength words. Users type
 * short texts; whole reviews alone teach the model nothing about a 5-word sentence, so without these it leans on
 * words that only average out in long reviews ("the food is terrible" scored 0.48 after one epoch). The labels are
 * noisy, on purpose: a window of neutral words learns to stay near 0.5.
 */
export function randomCrops(
  examples: readonly Example[],
  random: () => number,
  maxLength = 40,
  minLength = 4,
): Example[] {
  const crops: Example[] = [];
  for (const e of examples) {
    if (e.ids.length <= minLength) continue;
    const length = minLength + Math.floor(random() * (Math.min(maxLength, e.ids.length - 1) - minLength + 1));
    const start = Math.floor(random() * (e.ids.length - length + 1));
    crops.push({ ids: e.ids.slice(start, start + length), label: e.label });
  }
  return crops;
}

/**
 * Word dropout: each id becomes the unknown-word id with probability `rate`, in a copy. Regularises the embedding
 * (the model must not lean on any one word) and shows it unknown words in context. Seeded, unlike tfjs's Dropout
 * layer, whose fixed seed draws the same mask for every batch of a shape.
 */
export function dropWords(examples: readonly Example[], rate: number, unkId: number, random: () => number): Example[] {
  if (rate <= 0) return examples.slice();
  return examples.map((e) => ({ ids: e.ids.map((id) => (random() < rate ? unkId : id)), label: e.label }));
}

/** Training batches for one epoch, in random order. Examples with no ids are skipped. */
export function trainingBatches(
  examples: readonly Example[],
  batchSize: number,
  truncation: Truncation,
  random: () => number,
  jitter = 8,
): Batch[] {
  const keyed = examples.filter((e) => e.ids.length > 0).map((e) => ({ e, key: e.ids.length + random() * jitter }));
  keyed.sort((a, b) => a.key - b.key);
  const batches: Batch[] = [];
  for (let i = 0; i < keyed.length; i += batchSize)
    batches.push(
      makeBatch(
        keyed.slice(i, i + batchSize).map((k) => k.e),
        truncation,
      ),
    );
  return shuffled(batches, random);
}

/**
 * Exact batches for evaluation: examples grouped by exact length (nothing cut), at most batchSize each.
 * Returns each batch with the positions of its examples in the input, so scores can be put back in order.
 */
export function exactBatches(examples: readonly Example[], batchSize: number): { batch: Batch; positions: number[] }[] {
  const byLength = new Map<number, number[]>();
  examples.forEach((e, i) => {
    if (e.ids.length === 0) return;
    const list = byLength.get(e.ids.length) ?? [];
    list.push(i);
    byLength.set(e.ids.length, list);
  });
  const out: { batch: Batch; positions: number[] }[] = [];
  for (const positions of byLength.values()) {
    for (let i = 0; i < positions.length; i += batchSize) {
      const chunk = positions.slice(i, i + batchSize);
      out.push({
        batch: makeBatch(
          chunk.map((p) => examples[p]!),
          'start',
        ),
        positions: chunk,
      });
    }
  }
  return out;
}
