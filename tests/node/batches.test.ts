import { describe, expect, it } from 'vitest';
import { dropWords, type Example, exactBatches, randomCrops, trainingBatches } from '../../train/batches.ts';
import { seededRandom } from '../../train/random.ts';

const random = seededRandom(5);
const examples: Example[] = Array.from({ length: 300 }, (_, i) => ({
  ids: Array.from({ length: 1 + Math.floor(random() * 50) }, (_, t) => 2 + ((i + t) % 97)),
  label: (i % 2) as 0 | 1,
}));

describe('training batches', () => {
  const batches = trainingBatches(examples, 32, 'end', seededRandom(1));

  it('covers every example once, each batch of one length (no padding)', () => {
    expect(batches.reduce((n, b) => n + b.size, 0)).toBe(300);
    for (const b of batches) expect(b.ids.length).toBe(b.size * b.length);
  });

  it('cuts each batch to its shortest member, keeping the end for end truncation', () => {
    const longest = examples.reduce((a, b) => (b.ids.length > a.ids.length ? b : a));
    const batch = batches.find(
      (b) =>
        b.length <= longest.ids.length && b.size > 0 && hasRow(b, longest.ids.slice(longest.ids.length - b.length)),
    );
    expect(batch).toBeDefined();
  });

  it('keeps the start for start truncation', () => {
    const start = trainingBatches(examples, 32, 'start', seededRandom(1));
    const longest = examples.reduce((a, b) => (b.ids.length > a.ids.length ? b : a));
    expect(start.some((b) => hasRow(b, longest.ids.slice(0, b.length)))).toBe(true);
  });

  it('drops few words at review-like lengths: neighbours in length share a batch', () => {
    const r = seededRandom(8);
    const reviews: Example[] = Array.from({ length: 3000 }, () => ({
      ids: new Array(50 + Math.floor(r() * 350)).fill(2),
      label: 1,
    }));
    const kept = trainingBatches(reviews, 64, 'end', seededRandom(1)).reduce((n, b) => n + b.size * b.length, 0);
    const total = reviews.reduce((n, e) => n + e.ids.length, 0);
    expect(kept / total).toBeGreaterThan(0.97);
  });

  it('repeats for the same seed and changes with another', () => {
    const again = trainingBatches(examples, 32, 'end', seededRandom(1));
    expect(again.map((b) => Array.from(b.ids))).toEqual(batches.map((b) => Array.from(b.ids)));
    const other = trainingBatches(examples, 32, 'end', seededRandom(2));
    expect(other.map((b) => Array.from(b.ids))).not.toEqual(batches.map((b) => Array.from(b.ids)));
  });
});

describe('exact batches', () => {
  it('group by exact length without cutting, remembering positions', () => {
    const groups = exactBatches(examples, 16);
    const seen = new Set<number>();
    for (const { batch, positions } of groups) {
      expect(batch.size).toBeLessThanOrEqual(16);
      positions.forEach((p, row) => {
        seen.add(p);
        expect(Array.from(batch.ids.slice(row * batch.length, (row + 1) * batch.length))).toEqual(examples[p]!.ids);
        expect(batch.labels[row]).toBe(examples[p]!.label);
      });
    }
    expect(seen.size).toBe(300);
  });
});

function hasRow(batch: { ids: Int32Array; size: number; length: number }, row: number[]): boolean {
  for (let r = 0; r < batch.size; r++) {
    if (row.every((id, t) => batch.ids[r * batch.length + t] === id) && row.length === batch.length) return true;
  }
  return false;
}

describe('random crops', () => {
  it('cut one window of 4..max words per review, labelled like it, repeatably', () => {
    const crops = randomCrops(examples, seededRandom(4), 20);
    const eligible = examples.filter((e) => e.ids.length > 4);
    expect(crops).toHaveLength(eligible.length);
    crops.forEach((crop, i) => {
      const source = eligible[i]!;
      expect(crop.label).toBe(source.label);
      expect(crop.ids.length).toBeGreaterThanOrEqual(4);
      expect(crop.ids.length).toBeLessThanOrEqual(Math.min(20, source.ids.length - 1));
      expect(`,${source.ids.join(',')},`).toContain(`,${crop.ids.join(',')},`);
    });
    expect(randomCrops(examples, seededRandom(4), 20)).toEqual(crops);
  });
});

describe('word dropout', () => {
  it('replaces about `rate` of the ids by the unknown id, in a copy, repeatably', () => {
    const before = structuredClone(examples);
    const dropped = dropWords(examples, 0.25, 1, seededRandom(6));
    const total = examples.reduce((n, e) => n + e.ids.length, 0);
    let replaced = 0;
    dropped.forEach((e, i) => {
      expect(e.label).toBe(examples[i]!.label);
      expect(e.ids).toHaveLength(examples[i]!.ids.length);
      e.ids.forEach((id, t) => {
        if (id !== examples[i]!.ids[t]) {
          expect(id).toBe(1);
          replaced++;
        }
      });
    });
    expect(replaced / total).toBeGreaterThan(0.2);
    expect(replaced / total).toBeLessThan(0.3);
    expect(examples).toEqual(before); // the input is untouched
    expect(dropWords(examples, 0.25, 1, seededRandom(6))).toEqual(dropped);
    expect(dropWords(examples, 0, 1, seededRandom(6))).toEqual(examples);
  });
});
