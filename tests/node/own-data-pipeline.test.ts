/**
 * A data file of your own end to end from the command line: `npm run train -- --quick --data FILE` carves a test
 * split, trains and exports a model folder that records the split; `npm run eval` scores exactly that split (or a
 * separate test file); `npm run validate` reads the run's file again. Then every error a user can make, with its
 * exit code (2: the command line, 1: the data) and a message that says what to do.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelMetadata } from '../../src/model/metadata.ts';
import { loadFloatModel } from '../../train/artifacts.ts';
import { selectBackend } from '../../train/backend.ts';
import { openModelFolder } from '../../train/model-folder.ts';
import { type OwnDataRecord, planOwnData, TEST_SPLIT_SEED } from '../../train/own-split.ts';
import { SILENT } from '../../train/progress.ts';
import { QUICK_RECIPE } from '../../train/recipe.ts';
import { scoreWithTfjs } from '../../train/score-tfjs.ts';
import { train } from '../../train/train.ts';
import { syntheticRows, writeTable } from './fixtures/synthetic-table.ts';

const execute = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `train/<script>` as npm would (cwd: the project), resolving with its exit code instead of rejecting. */
async function cli(script: string, ...args: string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await execute(process.execPath, ['--import', 'tsx', `train/${script}`, ...args], {
      cwd: ROOT,
      maxBuffer: 1 << 24,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

const metadataOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8')) as ModelMetadata;

describe('npm run train -- --quick --data reviews.csv, then npm run eval', () => {
  const out = mkdtempSync(join(tmpdir(), 'own-run-'));
  const modelDir = join(out, 'model');
  // Spreadsheet-style: a BOM, CRLF, an id column first, and column names of its own.
  const file = writeTable('Shop Reviews.csv', syntheticRows(300), {
    windows: true,
    idColumn: true,
    columns: ['review', 'sentiment'],
  });
  const columns = ['--text-column', 'review', '--label-column', 'sentiment'];
  let train: Outcome;

  beforeAll(async () => {
    const output = ['--out', join(out, 'run'), '--model-dir', modelDir];
    train = await cli('cli.ts', '--quick', '--data', file, ...columns, ...output);
  }, 180_000);

  it('trains on the rows left after the test split and tells how to score it', () => {
    expect(train.code, train.stderr).toBe(0);
    expect(train.stderr).toContain(`data: ${file} (csv, sha256 `);
    expect(train.stderr).toContain('30 test rows held out): 170 train, 100 validation reviews');
    expect(train.stderr).toContain(`score its test split with: npm run eval -- --model-dir ${modelDir} --data ${file}`);
  });

  it('records the file, its columns and the splits in metadata.json, and names the model after the file', async () => {
    const metadata = metadataOf(modelDir);
    expect(metadata.name).toBe('shop-reviews-simplernn-meanmaxpool-int8');
    const data = metadata.training.data as OwnDataRecord;
    expect(data).toMatchObject({
      file,
      format: 'csv',
      textColumn: 'review',
      labelColumn: 'sentiment',
      rows: 300,
      test: { kind: 'carved', seed: TEST_SPLIT_SEED, rows: 30 },
      validation: { seed: 42, rows: 100 },
      train: { rows: 170 },
    });
    expect(data.sha256).toBe(metadata.training.dataSha256);
    expect(metadata.training.trainExamples).toBe(170);
    // The folder serves what was trained: its int8 graph scores as the float checkpoint beside it does.
    const model = await openModelFolder(modelDir);
    const encoded = model.encode('Excellent, friendly staff.');
    const [score] = await model.score([encoded]);
    await selectBackend('cpu');
    const [float] = scoreWithTfjs(loadFloatModel(modelDir), [{ ids: encoded.ids, label: 0 }]);
    expect(Math.abs(score! - float!)).toBeLessThan(0.01);
  });

  it('npm run eval -- --data FILE scores the carved test split and writes the metrics naming the file', async () => {
    const result = await cli('evaluate-cli.ts', '--model-dir', modelDir, '--data', file);
    expect(result.code, result.stderr).toBe(0);
    const split = `test split carved with seed ${TEST_SPLIT_SEED} (30 of 300 rows)`;
    expect(result.stdout).toContain(`${file}: ${split}, sha256 `);
    expect(result.stdout).toMatch(/\| onnxInt8 \| \d\.\d{4} \|/);
    const metrics = metadataOf(modelDir).metrics as NonNullable<ModelMetadata['metrics']> & { testSet: unknown };
    const { sha256 } = metadataOf(modelDir).training.data as OwnDataRecord;
    expect(metrics.split).toBe(`${file}: ${split}, sha256 ${sha256}`);
    expect(metrics.command).toBe(`npm run eval -- --model-dir ${modelDir} --data ${file}`);
    expect(metrics.testSet).toMatchObject({ file, textColumn: 'review', carved: { seed: TEST_SPLIT_SEED, rows: 30 } });
    expect(metrics.results.onnxInt8!.examples).toBe(30);
    expect(metrics.results.afinn!.examples).toBe(30);
  }, 120_000);

  it('npm run eval without --data scores the same split, from the path in metadata.json', async () => {
    const result = await cli('evaluate-cli.ts', '--model-dir', modelDir, '--no-write');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`${file}: test split carved with seed ${TEST_SPLIT_SEED} (30 of 300 rows)`);
  }, 120_000);

  it('npm run eval -- --test-data FILE scores every row of another file', async () => {
    const other = writeTable('more.jsonl', syntheticRows(40, 7), { columns: ['review', 'sentiment'] });
    const result = await cli('evaluate-cli.ts', '--model-dir', modelDir, '--test-data', other, '--no-write');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`${other}: every row (40 rows), sha256 `);
  }, 120_000);

  it('npm run validate reads the file again, without its test split', async () => {
    const result = await cli('validate-cli.ts', '--out', join(out, 'run'), '--max-lengths', '100');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/\| .*run \(epoch 1\) \| 100 \| 100 \| \d\.\d{4} \| \d\.\d{4} \|/);
  }, 120_000);

  it.each([
    [
      'a changed file',
      (edited: string) => ['--data', edited],
      1,
      /is not the file .* was trained on .*To score every row of .* use --test-data/s,
    ],
    [
      'the training file as a whole test set',
      () => ['--test-data', file],
      2,
      /is the file .* was trained on: all its rows but the test split were trained or validated on\. Use --data/,
    ],
    ['two test sets', (edited: string) => ['--data', file, '--test-data', edited], 2, /give one of them/],
    ['columns for a carved split', () => ['--data', file, '--text-column', 'x'], 2, /go with --test-data/],
  ])(
    'npm run eval refuses %s',
    async (_, args, code, message) => {
      const edited = join(mkdtempSync(join(tmpdir(), 'edited-')), 'Shop Reviews.csv');
      copyFileSync(file, edited);
      writeFileSync(edited, readFileSync(edited, 'utf8').replace('r1,', 'r1x,'));
      const result = await cli('evaluate-cli.ts', '--model-dir', modelDir, ...args(edited), '--no-write');
      expect(result.code).toBe(code);
      expect(result.stderr).toMatch(message);
    },
    60_000,
  );
});

describe('npm run train -- --quick --data reviews.tsv --test-data holdout.jsonl', () => {
  const out = mkdtempSync(join(tmpdir(), 'own-run-tsv-'));
  // No --model-dir: a data file's model goes to <out>/model.
  const modelDir = join(out, 'run', 'model');
  const file = writeTable('reviews.tsv', syntheticRows(240, 3));
  const testFile = writeTable('holdout.jsonl', syntheticRows(50, 4));
  let train: Outcome;

  beforeAll(async () => {
    train = await cli('cli.ts', '--quick', '--data', file, '--test-data', testFile, '--out', join(out, 'run'));
  }, 180_000);

  it('trains on every row of the file, exports to <out>/model, and records the test file', () => {
    expect(train.code, train.stderr).toBe(0);
    expect(train.stderr).toContain(`test file ${testFile}): 140 train, 100 validation reviews`);
    expect(existsSync(join(modelDir, 'sentiment.onnx'))).toBe(true);
    const data = metadataOf(modelDir).training.data as OwnDataRecord;
    expect(data).toMatchObject({ format: 'tsv', rows: 240, test: { kind: 'file', file: testFile, format: 'jsonl' } });
  });

  it('npm run eval scores the recorded test file, refuses --data FILE (nothing carved) and FILE itself', async () => {
    const result = await cli('evaluate-cli.ts', '--model-dir', modelDir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`${testFile}: every row (50 rows)`);
    expect(metadataOf(modelDir).metrics!.results.onnxInt8!.examples).toBe(50);
    const refused = await cli('evaluate-cli.ts', '--model-dir', modelDir, '--data', file);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`was trained on every row of ${file}`);
    expect(refused.stderr).toContain(`Use --test-data ${testFile}`);
    const trainedOn = await cli('evaluate-cli.ts', '--model-dir', modelDir, '--test-data', file);
    expect(trainedOn.code).toBe(2);
    expect(trainedOn.stderr).toContain(`every row of it was trained or validated on. Its test set is ${testFile}`);
  }, 120_000);
});

describe('--resume with a data file', () => {
  it('continues on the same file (by its content, whatever the path) and refuses another', async () => {
    await selectBackend('cpu');
    const options = { columns: { text: 'text', label: 'label' }, batchSize: 32, seed: 42, validationSize: 40 };
    const file = writeTable('a.csv', syntheticRows(200));
    const copy = join(mkdtempSync(join(tmpdir(), 'copy-')), 'renamed.csv');
    copyFileSync(file, copy);
    const settings = { ...QUICK_RECIPE, validationSize: 40, trainLimit: undefined, epochs: 2 };
    const runDir = mkdtempSync(join(tmpdir(), 'own-resume-'));
    const quiet = () => {};
    const stop = new AbortController();
    const first = await train(settings, {
      ownData: planOwnData({ ...options, file }),
      runDir,
      resume: false,
      log: quiet,
      progress: SILENT,
      signal: stop.signal,
      onBatch: (epoch, batch) => epoch === 2 && batch === 1 && stop.abort(),
    });
    expect(first.interrupted).toBe(true);
    const other = planOwnData({ ...options, file: writeTable('a.csv', syntheticRows(200, 5)) });
    await expect(
      train(settings, { ownData: other, runDir, resume: true, log: quiet, progress: SILENT }),
    ).rejects.toThrow(`was trained on ${file} (sha256 `);
    const same = planOwnData({ ...options, file: copy });
    const resumed = await train(settings, { ownData: same, runDir, resume: true, log: quiet, progress: SILENT });
    expect(resumed.history).toHaveLength(2);
    expect(resumed.data).toMatchObject({ file, rows: 200, test: { rows: 20 } });
  }, 60_000);
});

describe('npm run train errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'own-errors-'));
  const write = (name: string, content: string) => {
    writeFileSync(join(dir, name), content);
    return join(dir, name);
  };
  const rows = (n: number, label: (i: number) => string) =>
    ['text,label', ...Array.from({ length: n }, (_, i) => `"good, food ${i}",${label(i)}`)].join('\n');

  it.each([
    ['a missing file', 2, () => ['--data', join(dir, 'nope.csv')], ['--data', 'nope.csv: no such file']],
    [
      'an unknown extension',
      2,
      () => ['--data', write('reviews.xlsx', 'x')],
      ['unknown extension .xlsx; a data file must be .csv, .tsv, .jsonl (the format is chosen by the extension)'],
    ],
    [
      'a missing column',
      1,
      () => ['--data', write('cols.csv', 'id,body,stars\n1,good,1\n'), '--label-column', 'stars'],
      ['no text column "text"; columns found: "id", "body", "stars". Name the text column with --text-column.'],
    ],
    [
      'unknown labels',
      1,
      () => [
        '--data',
        write(
          'labels.csv',
          rows(300, (i) => (i % 50 === 3 ? 'neutral' : String(i % 2))),
        ),
      ],
      ['6 rows have a label other than 0, 1, negative, positive (any case)', 'line 5: "neutral"', 'line 55: "neutral"'],
    ],
    [
      'too few rows',
      1,
      () => [
        '--data',
        write(
          'few.csv',
          rows(100, (i) => String(i % 2)),
        ),
      ],
      ['has 100 rows, too few: training needs 10 rows for the test split', '= 147 rows at least'],
    ],
    [
      'a single class',
      1,
      () => [
        '--data',
        write(
          'one.csv',
          rows(300, () => 'Positive'),
        ),
      ],
      ['all 300 rows are positive (1); training needs both negative and positive rows'],
    ],
    [
      'options for a data file with IMDB',
      2,
      () => ['--test-data', write('t.csv', 'text,label\n')],
      ['--test-data goes with a data file of your own'],
    ],
  ])(
    '%s: exit %i',
    async (_, code, args, messages) => {
      const result = await cli('cli.ts', ...args(), '--out', join(dir, 'run'));
      expect(result.code).toBe(code);
      for (const message of messages) expect(result.stderr).toContain(message);
      expect(result.stderr).not.toMatch(/^\s+at /m);
      expect(existsSync(join(dir, 'run'))).toBe(false);
    },
    30_000,
  );
});
