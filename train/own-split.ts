/**
 * Splits of a data file of your own (own-data.ts reads it): unless a separate test file is given, a test split is
 * carved from the file first, by a shuffle with a fixed seed, and is never trained or validated on; validation is
 * then carved from the remaining rows as from IMDB's train split (training-data.ts). What was carved is recorded
 * in the model's metadata.json (training.data) so that `npm run eval` can cut exactly the same test rows again.
 */
import { existsSync } from 'node:fs';
import { basename, isAbsolute, relative, resolve } from 'node:path';
import { OptionError } from './cli-options.ts';
import type { Review } from './data.ts';
import type { Table, TableColumns, TableFormat } from './own-data.ts';
import { checkBothClasses, DataError, readTable, rowCount } from './own-data.ts';
import { seededRandom, shuffled } from './random.ts';

/**
 * Seed of the test split's shuffle. Fixed, not --seed: runs with other seeds are then tested on the same rows,
 * and a seed tried for validation never moves test rows into training.
 */
export const TEST_SPLIT_SEED = 20_240_601;

/** Share of a file's rows held out as its test split, and as validation, when no size is given. */
export const HELD_OUT_SHARE = 0.1;

/** Training batches needed at least after test and validation are held out. */
export const MIN_TRAIN_BATCHES = 2;

/** A table file as metadata.json records it. */
export interface FileRecord {
  /** The path as given, relative to the project folder when inside it. */
  file: string;
  sha256: string;
  format: TableFormat;
  textColumn: string;
  labelColumn: string;
  rows: number;
}

/**
 * training.data in metadata.json for a model trained on a file: the file, its columns, and how its rows were split.
 * test.kind "carved": `rows` rows picked by a shuffle of the file's rows with `seed` (carveTestSplit);
 * test.kind "file": a separate test file, every row of it.
 */
export interface OwnDataRecord extends FileRecord {
  test: { kind: 'carved'; seed: number; rows: number } | ({ kind: 'file' } & FileRecord);
  /** Carved from the rows left after the test split, by training.settings.seed (splitTrainValidation). */
  validation: { seed: number; rows: number };
  train: { rows: number };
}

/** The path to record: relative to the working folder (the project, under npm) when inside it. */
export function recordedPath(file: string): string {
  const rel = relative(process.cwd(), resolve(file));
  return rel.startsWith('..') || isAbsolute(rel) ? resolve(file) : rel;
}

export function fileRecord(table: Table, columns: TableColumns): FileRecord {
  return {
    file: recordedPath(table.file),
    sha256: table.sha256,
    format: table.format,
    textColumn: columns.text,
    labelColumn: columns.label,
    rows: table.reviews.length,
  };
}

/** A file name made safe for a folder or model name: "My Reviews.csv" -> "my-reviews". */
export function fileStem(file: string): string {
  const stem = basename(file).replace(/\.[^.]*$/, '');
  return (
    stem
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'data'
  );
}

/** The default size of a held-out split of `rows` rows: HELD_OUT_SHARE of them, at least 1. */
export function heldOutSize(rows: number): number {
  return Math.max(1, Math.round(rows * HELD_OUT_SHARE));
}

/** The test split: `size` rows picked by a seeded shuffle; both parts keep the file's order. */
export function carveTestSplit(
  reviews: readonly Review[],
  seed: number,
  size: number,
): { test: Review[]; rest: Review[] } {
  const picked = new Set(
    shuffled(
      reviews.map((_, i) => i),
      seededRandom(seed),
    ).slice(0, size),
  );
  return { test: reviews.filter((_, i) => picked.has(i)), rest: reviews.filter((_, i) => !picked.has(i)) };
}

export interface OwnDataOptions {
  file: string;
  testFile?: string;
  columns: TableColumns;
  /** Rows carved as the test split (no testFile); default heldOutSize. */
  testSize?: number;
  /** Validation rows; default heldOutSize of the rows left after the test split. */
  validationSize?: number;
  batchSize: number;
  seed: number;
  trainLimit?: number;
}

/** What training reads from a data file: the rows to train and validate on, and what to record. */
export interface OwnTrainingData {
  /** The rows left after the test split, in file order: validation is carved from them. */
  pool: Review[];
  validationSize: number;
  record: OwnDataRecord;
}

/**
 * Reads the data file (and test file), checks there is enough of both classes to train on, and carves the test
 * split. Throws OptionError for a path that cannot be used, DataError for a file that cannot.
 */
export function planOwnData(options: OwnDataOptions): OwnTrainingData {
  const table = readTable(options.file, options.columns, '--data');
  const testTable = options.testFile ? readTable(options.testFile, options.columns, '--test-data') : undefined;
  if (testTable?.sha256 === table.sha256) {
    throw new OptionError(
      `--test-data ${testTable.file} holds the same rows as --data ${table.file}: a model is not tested on what ` +
        'it trained on. Drop --test-data to carve a test split from --data.',
    );
  }
  const rows = table.reviews.length;
  const testSize = testTable ? 0 : (options.testSize ?? heldOutSize(rows));
  const validationSize = options.validationSize ?? heldOutSize(rows - testSize);
  const minTrain = MIN_TRAIN_BATCHES * options.batchSize;
  if (rows < testSize + validationSize + minTrain) {
    const test = testTable ? '' : `${rowCount(testSize)} for the test split (--test-size) + `;
    throw new DataError(
      `${table.file} has ${rowCount(rows)}, too few: training needs ${test}${rowCount(validationSize)} for ` +
        `validation (--validation-size) + ${MIN_TRAIN_BATCHES} batches of ${options.batchSize} training rows ` +
        `(--batch-size) = ` +
        `${testSize + validationSize + minTrain} rows at least. Add rows, or lower ` +
        `${testTable ? '' : '--test-size, '}--validation-size or --batch-size.`,
    );
  }
  checkBothClasses(table, 'training');
  if (testTable) checkBothClasses(testTable, 'a test set');
  const { test, rest } = carveTestSplit(table.reviews, TEST_SPLIT_SEED, testSize);
  const trainRows = rest.length - validationSize;
  const record: OwnDataRecord = {
    ...fileRecord(table, options.columns),
    test: testTable
      ? { kind: 'file', ...fileRecord(testTable, options.columns) }
      : { kind: 'carved', seed: TEST_SPLIT_SEED, rows: test.length },
    validation: { seed: options.seed, rows: validationSize },
    train: { rows: options.trainLimit === undefined ? trainRows : Math.min(trainRows, options.trainLimit) },
  };
  return { pool: rest, validationSize, record };
}

/** Reads the recorded data file again (or `file` in its place) and checks it is the same file. */
function readRecordedFile(record: FileRecord, modelDir: string, given?: string): Table {
  const file = given ?? record.file;
  if (given === undefined && !existsSync(file)) {
    throw new OptionError(
      `${modelDir} was trained on ${file}, which is not there any more: pass its new path with --data FILE`,
    );
  }
  const table = readTable(file, { text: record.textColumn, label: record.labelColumn }, '--data');
  if (table.sha256 !== record.sha256 || table.reviews.length !== record.rows) {
    throw new DataError(
      `${file} is not the file ${modelDir} was trained on (${record.file}: sha256 ${record.sha256.slice(0, 12)}..., ` +
        `${record.rows} rows; this one: sha256 ${table.sha256.slice(0, 12)}..., ${table.reviews.length} rows). ` +
        'The test split can only be carved again from that file as it was. ' +
        `To score every row of ${file} as a test set, use --test-data ${file}.`,
    );
  }
  return table;
}

/** The carved test split of a model trained on a file, cut again from that file (or `file`, the same bytes). */
export function recordedTestSplit(
  record: OwnDataRecord,
  modelDir: string,
  file?: string,
): { table: Table; test: Review[] } {
  if (record.test.kind !== 'carved') throw new Error('recordedTestSplit: the model was tested on a separate file');
  const table = readRecordedFile(record, modelDir, file);
  const { test } = carveTestSplit(table.reviews, record.test.seed, record.test.rows);
  return { table, test };
}

/** The rows a model trained on a file trained and validated on (its test split left out), for npm run validate. */
export function recordedPool(record: OwnDataRecord, runDir: string, file?: string): Review[] {
  const table = readRecordedFile(record, runDir, file);
  if (record.test.kind !== 'carved') return table.reviews;
  return carveTestSplit(table.reviews, record.test.seed, record.test.rows).rest;
}

/** One line on where a test set came from, for metrics.split and the eval output. */
export function describeTestSet(table: Table, carved?: { seed: number; rows: number }): string {
  const what = carved
    ? `test split carved with seed ${carved.seed} (${carved.rows} of ${table.reviews.length} rows)`
    : `every row (${table.reviews.length} rows)`;
  return `${recordedPath(table.file)}: ${what}, sha256 ${table.sha256}`;
}
