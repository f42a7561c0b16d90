import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DataNotFoundError, findDataDir, loadSplit } from '../../train/data.ts';
import { splitTrainValidation } from '../../train/training-data.ts';

const rows = [
  { id: 'train/neg/1_2', label: 0, rating: 2, text: 'Awful.<br />Boring.' },
  { id: 'train/pos/2_9', label: 1, rating: 9, text: 'Wonderful film.' },
];

function jsonlFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'imdb-jsonl-'));
  for (const split of ['train', 'test']) {
    writeFileSync(join(dir, `${split}.jsonl.gz`), gzipSync(`${rows.map((r) => JSON.stringify(r)).join('\n')}\n`));
  }
  return dir;
}

function aclImdbFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'aclImdb-'));
  for (const split of ['train', 'test']) {
    for (const row of rows) {
      const [, folder, name] = row.id.split('/');
      mkdirSync(join(dir, split, folder!), { recursive: true });
      writeFileSync(join(dir, split, folder!, `${name}.txt`), row.text);
    }
  }
  return dir;
}

describe('IMDB loader', () => {
  it('reads the JSONL layout', () => {
    const folder = jsonlFolder();
    const data = loadSplit('train', folder);
    expect(data.layout).toBe('jsonl');
    expect(data.reviews).toEqual([
      { id: 'train/neg/1_2', label: 0, text: 'Awful.<br />Boring.' },
      { id: 'train/pos/2_9', label: 1, text: 'Wonderful film.' },
    ]);
    // The hash identifies the file read for this split, as stored (gzipped).
    const file = readFileSync(join(folder, 'train.jsonl.gz'));
    expect(data.sha256).toBe(createHash('sha256').update(file).digest('hex'));
  });

  it('reads the aclImdb folder layout with the same reviews', () => {
    const data = loadSplit('test', aclImdbFolder());
    expect(data.layout).toBe('aclImdb');
    expect(data.reviews.map((r) => [r.label, r.text])).toEqual(rows.map((r) => [r.label, r.text]));
  });

  it('says where to get the archive when no data is found', () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-imdb-'));
    expect(() => findDataDir(empty)).toThrow(DataNotFoundError);
    expect(() => findDataDir(empty)).toThrow(/aclImdb_v1\.tar\.gz/);
  });

  it('carves validation from train with a fixed seed, disjoint and repeatable', () => {
    const reviews = Array.from({ length: 100 }, (_, i) => ({ id: String(i), text: `r${i}`, label: (i % 2) as 0 | 1 }));
    const a = splitTrainValidation(reviews, { seed: 1, validationSize: 20 });
    const b = splitTrainValidation(reviews, { seed: 1, validationSize: 20 });
    expect(a.validation.map((r) => r.id)).toEqual(b.validation.map((r) => r.id));
    expect(a.validation).toHaveLength(20);
    expect(a.train).toHaveLength(80);
    const ids = new Set(a.train.map((r) => r.id));
    expect(a.validation.some((r) => ids.has(r.id))).toBe(false);
    const otherSeed = splitTrainValidation(reviews, { seed: 2, validationSize: 20 });
    expect(otherSeed.validation.map((r) => r.id)).not.toEqual(a.validation.map((r) => r.id));
  });
});
