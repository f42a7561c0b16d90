/**
 * Loads the labelled IMDB reviews from either layout:
 * - `DIR/{train,test}.jsonl.gz` (one {"id","label","rating","text"} object a line), as in ../shared/data/imdb;
 * - an extracted public archive `aclImdb/{train,test}/{pos,neg}/<id>_<rating>.txt`.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';

export interface Review {
  id: string;
  text: string;
  /** 1 positive, 0 negative. */
  label: 0 | 1;
}

export type Split = 'train' | 'test';

export interface Dataset {
  /** Where the reviews were read from. */
  source: string;
  layout: 'jsonl' | 'aclImdb';
  /** sha256 over the files read, in a fixed order: identifies the training data in model metadata. */
  sha256: string;
  reviews: Review[];
}

export const DEFAULT_DATA_DIRS = ['../shared/data/imdb', 'data/aclImdb', 'aclImdb'];

export class DataNotFoundError extends Error {
  constructor(tried: string[]) {
    super(
      `No IMDB data found (looked in: ${tried.join(', ')}).\n` +
        'Download the public Large Movie Review Dataset archive aclImdb_v1.tar.gz from ' +
        'https://ai.stanford.edu/~amaas/data/sentiment/ , extract it (tar xzf aclImdb_v1.tar.gz) and pass ' +
        '--data path/to/aclImdb, or point --data at a folder holding train.jsonl.gz and test.jsonl.gz. ' +
        'To train on labelled texts of your own, point --data at a .csv, .tsv or .jsonl file (docs/own-data.md).',
    );
    this.name = 'DataNotFoundError';
  }
}

function layoutOf(dir: string): Dataset['layout'] | null {
  if (existsSync(join(dir, 'train.jsonl.gz')) && existsSync(join(dir, 'test.jsonl.gz'))) return 'jsonl';
  if (existsSync(join(dir, 'train', 'pos')) && existsSync(join(dir, 'test', 'neg'))) return 'aclImdb';
  return null;
}

/** The data folder to use: `explicit` when given (it must hold one of the layouts), else the first default found. */
export function findDataDir(explicit?: string): { dir: string; layout: Dataset['layout'] } {
  const candidates = explicit ? [explicit] : DEFAULT_DATA_DIRS;
  for (const candidate of candidates) {
    const dir = resolve(candidate);
    const layout = existsSync(dir) && statSync(dir).isDirectory() ? layoutOf(dir) : null;
    if (layout) return { dir, layout };
  }
  throw new DataNotFoundError(candidates.map((c) => resolve(c)));
}

function parseJsonl(buffer: Buffer, file: string): Review[] {
  const reviews: Review[] = [];
  const lines = gunzipSync(buffer).toString('utf8').split('\n');
  lines.forEach((line, index) => {
    if (!line.trim()) return;
    const row = JSON.parse(line) as { id?: unknown; label?: unknown; text?: unknown };
    if (typeof row.text !== 'string' || (row.label !== 0 && row.label !== 1)) {
      throw new Error(`${file}:${index + 1}: expected {"id", "label": 0|1, "text"}`);
    }
    reviews.push({ id: String(row.id ?? `${file}:${index + 1}`), text: row.text, label: row.label });
  });
  return reviews;
}

function readAclImdb(dir: string, split: Split, hash: ReturnType<typeof createHash>): Review[] {
  const reviews: Review[] = [];
  for (const [folder, label] of [
    ['neg', 0],
    ['pos', 1],
  ] as const) {
    const path = join(dir, split, folder);
    const files = readdirSync(path)
      .filter((f) => f.endsWith('.txt'))
      .sort();
    for (const file of files) {
      const bytes = readFileSync(join(path, file));
      hash.update(`${split}/${folder}/${file}\n`).update(bytes);
      reviews.push({ id: `${split}/${folder}/${file.replace(/\.txt$/, '')}`, text: bytes.toString('utf8'), label });
    }
  }
  return reviews;
}

/** Reads one split. Throws DataNotFoundError with download instructions when no data is found. */
export function loadSplit(split: Split, dataDir?: string): Dataset {
  const { dir, layout } = findDataDir(dataDir);
  const hash = createHash('sha256');
  let reviews: Review[];
  if (layout === 'jsonl') {
    const file = join(dir, `${split}.jsonl.gz`);
    const buffer = readFileSync(file);
    hash.update(buffer);
    reviews = parseJsonl(buffer, file);
  } else {
    reviews = readAclImdb(dir, split, hash);
  }
  return { source: dir, layout, sha256: hash.digest('hex'), reviews };
}
