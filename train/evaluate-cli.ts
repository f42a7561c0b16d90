/**
 * `npm run eval -- [options]`: scores a test set and writes the metrics into the model folder's metadata.json: the
 * whole IMDB test split (25,000 reviews); for a model trained on a data file of your own, the test split carved
 * from that file (the same rows as at training, from metadata.json's training.data) or its separate test file;
 * or every row of any labelled file (--test-data).
 * Exit codes: 2 for a bad command line (options, a missing file), 1 for data that cannot be used or a failure.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelMetadata } from '../src/model/metadata.ts';
import { readMetadata, writeMetadata } from './artifacts.ts';
import { selectBackend } from './backend.ts';
import { defineCli, OptionError } from './cli-options.ts';
import { loadSplit, type Review } from './data.ts';
import { evaluate, formatTable } from './evaluate.ts';
import { checkBothClasses, DEFAULT_COLUMNS, isTableFile, readTable, type TableColumns } from './own-data.ts';
import { describeTestSet, type FileRecord, fileRecord, type OwnDataRecord, recordedTestSplit } from './own-split.ts';

const EVAL_CLI = defineCli({
  command: 'npm run eval --',
  intro: `Scores a test set with the exported int8 ONNX model, the float tfjs model and the lexicon tools, and writes
the metrics into the model folder's metadata.json. The test set: the IMDB test split; for a model trained on a
data file of your own, the test split carved from that file (the same rows as at training, as metadata.json
records them) or the separate --test-data it was trained with; or every row of any labelled file (--test-data).`,
  options: {
    'model-dir': { type: 'string', value: 'DIR', default: 'model', help: 'the model folder to score' },
    data: {
      type: 'string',
      value: 'PATH',
      help:
        'an IMDB folder: score its test split; or the data file (.csv, .tsv, .jsonl) the model was trained on: ' +
        'score the test split carved from it at training (checked by its sha256)',
      defaultHelp: "the data file in the model's metadata.json, else as npm run train",
    },
    'test-data': {
      type: 'string',
      value: 'FILE',
      help: 'score every row of this labelled file (.csv, .tsv or .jsonl), e.g. a separate test file',
      defaultHelp: 'the --test-data the model was trained with, if any',
    },
    'text-column': {
      type: 'string',
      value: 'NAME',
      help: "--test-data's column holding the text",
      defaultHelp: `as at training, else ${DEFAULT_COLUMNS.text}`,
    },
    'label-column': {
      type: 'string',
      value: 'NAME',
      help: "--test-data's column holding the label",
      defaultHelp: `as at training, else ${DEFAULT_COLUMNS.label}`,
    },
    limit: {
      type: 'integer',
      min: 1,
      help: 'score N test reviews spread over the split instead of all; the metrics are then not written',
    },
    'no-write': { type: 'boolean', help: 'print the metrics without writing them into metadata.json' },
  },
});

type EvalValues = ReturnType<typeof EVAL_CLI.parseOrExit>;

interface TestSet {
  reviews: Review[];
  /** metrics.split: names the file or split, its size and sha256. */
  split: string;
  /** The title of the printed table. */
  title: string;
  /** metrics.testSet for a file of your own: which file and columns, and the carved split if it is one. */
  record?: FileRecord & { carved?: { seed: number; rows: number } };
}

function ownTestFile(file: string, columns: TableColumns, option: string): TestSet {
  const table = readTable(file, columns, option);
  checkBothClasses(table, 'a test set');
  const split = describeTestSet(table);
  return { reviews: table.reviews, split, title: split, record: fileRecord(table, columns) };
}

/** The test set the options (and the model's metadata.json) name. Throws OptionError or DataError. */
function testSet(values: EvalValues, modelDir: string, metadata: ModelMetadata): TestSet {
  const record = metadata.training.data as OwnDataRecord | undefined;
  const recordedColumns = record && { text: record.textColumn, label: record.labelColumn };
  const testFile = values['test-data'];
  if (testFile !== undefined) {
    if (values.data !== undefined) throw new OptionError('--data and --test-data name two test sets: give one of them');
    const columns = {
      text: values['text-column'] ?? recordedColumns?.text ?? DEFAULT_COLUMNS.text,
      label: values['label-column'] ?? recordedColumns?.label ?? DEFAULT_COLUMNS.label,
    };
    const set = ownTestFile(testFile, columns, '--test-data');
    if (record && set.record!.sha256 === record.sha256) {
      const instead =
        record.test.kind === 'carved'
          ? `all its rows but the test split were trained or validated on. Use --data ${testFile} to score the ` +
            'test split carved from it.'
          : `every row of it was trained or validated on. Its test set is ${record.test.file}.`;
      throw new OptionError(`${testFile} is the file ${modelDir} was trained on: ${instead}`);
    }
    return set;
  }
  if (values['text-column'] !== undefined || values['label-column'] !== undefined) {
    throw new OptionError(
      '--text-column and --label-column go with --test-data; a test split carved from --data is read with the ' +
        "columns recorded in the model's metadata.json",
    );
  }
  const file = values.data !== undefined && isTableFile(values.data, '--data') ? values.data : undefined;
  if (file === undefined && values.data !== undefined) return imdb(values.data);
  if (file === undefined && !record) return imdb(undefined);
  if (!record) {
    throw new OptionError(
      `${modelDir} was trained on IMDB, not on a data file, so no test split was carved from ${file}. ` +
        `To score every row of it, use --test-data ${file}.`,
    );
  }
  if (record.test.kind === 'file') {
    if (file !== undefined) {
      throw new OptionError(
        `${modelDir} was trained on every row of ${record.file} (none was held out: its test set is ` +
          `${record.test.file}). Use --test-data ${record.test.file}, or --test-data with another file.`,
      );
    }
    if (!existsSync(record.test.file)) {
      throw new OptionError(
        `${modelDir} was tested on ${record.test.file}, which is not there any more: ` +
          'pass its new path with --test-data',
      );
    }
    return ownTestFile(record.test.file, recordedColumns!, '--test-data');
  }
  const { table, test } = recordedTestSplit(record, modelDir, file);
  const split = describeTestSet(table, record.test);
  const carved = { seed: record.test.seed, rows: record.test.rows };
  return { reviews: test, split, title: split, record: { ...fileRecord(table, recordedColumns!), carved } };
}

function imdb(dataDir: string | undefined): TestSet {
  const data = loadSplit('test', dataDir);
  const split = `IMDB test (${data.reviews.length} reviews, sha256 ${data.sha256})`;
  return { reviews: data.reviews, split, title: `IMDB test split (${data.source})` };
}

const values = EVAL_CLI.parseOrExit();
const log = (line: string) => process.stderr.write(`${line}\n`);
try {
  const modelDir = values['model-dir'];
  if (!existsSync(join(modelDir, 'metadata.json'))) {
    throw new OptionError(`--model-dir ${modelDir} holds no metadata.json: export a model there first (npm run train)`);
  }
  const set = testSet(values, modelDir, readMetadata(modelDir));
  const backend = await selectBackend('auto');
  log(`tfjs backend: ${backend.backend} (${backend.package})`);
  const limit = values.limit;
  // A limited run takes reviews spread over the split (IMDB's is sorted by label), not the first N.
  const step = limit === undefined ? 1 : Math.ceil(set.reviews.length / limit);
  const reviews = limit === undefined ? set.reviews : set.reviews.filter((_, i) => i % step === 0);
  log(`test set: ${set.split}${limit === undefined ? '' : `; scoring ${reviews.length} of them`}`);
  const report = await evaluate(modelDir, reviews, log);
  const { floatParity: parity } = report;
  process.stdout.write(`\n${set.title}: ${reviews.length} reviews\n${formatTable(report.results)}\n`);
  process.stdout.write(
    `float ONNX vs float tfjs on ${parity.reviews} reviews: max |diff| ${parity.maxAbsDiff.toExponential(2)}\n`,
  );
  for (const b of report.behaviour) process.stdout.write(`${b.passed ? 'PASS' : 'FAIL'}  ${b.check} (${b.detail})\n`);
  for (const e of report.examples) {
    process.stdout.write(`${e.score.toFixed(4)}  ${e.score >= 0.5 ? 'positive' : 'negative'}  "${e.text}"\n`);
  }
  if (limit === undefined && !values['no-write']) {
    const metadata = readMetadata(modelDir);
    const args = process.argv.slice(2);
    const { nbsvm: _model, ...measured } = report;
    const metrics = {
      split: set.split,
      command: ['npm run eval', ...(args.length > 0 ? ['--', ...args] : [])].join(' '),
      measuredAt: new Date().toISOString(),
      ...(set.record ? { testSet: set.record } : {}),
      ...measured,
    };
    metadata.metrics = metrics;
    writeMetadata(modelDir, metadata);
    log(`metrics written to ${modelDir}/metadata.json`);
  }
} catch (error) {
  if (error instanceof OptionError) EVAL_CLI.exitUsage(error.message);
  log(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
