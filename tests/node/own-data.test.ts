/**
 * Data files of your own (train/own-data.ts, train/own-split.ts): the CSV, TSV and JSONL readers, the label
 * mapping, the errors that say what is wrong and where, and the seeded test split that npm run eval cuts again.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OptionError } from '../../train/cli-options.ts';
import {
  checkTablePath,
  DataError,
  parseLabel,
  parseTable,
  readTable,
  type TableFormat,
  tableFormat,
} from '../../train/own-data.ts';
import {
  carveTestSplit,
  fileStem,
  heldOutSize,
  planOwnData,
  recordedPool,
  recordedTestSplit,
  TEST_SPLIT_SEED,
} from '../../train/own-split.ts';
import { modelDir, ownDataOptions, runDir, TRAIN_CLI, trainSettings } from '../../train/train-options.ts';
import { splitTrainValidation } from '../../train/training-data.ts';
import { csvText, jsonlText, syntheticRows, writeTable } from './fixtures/synthetic-table.ts';

const COLUMNS = { text: 'text', label: 'label' };
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** [text, label, line] of each row of `content` read as `format`. */
const rowsOf = (content: string, format: TableFormat, columns = COLUMNS) =>
  parseTable(Buffer.from(content), `f.${format}`, format, columns).reviews.map((r) => [
    r.text,
    r.label,
    Number(r.id.split(':')[1]),
  ]);

const dataError = (content: string, format: TableFormat, columns = COLUMNS) => {
  try {
    parseTable(Buffer.from(content), `f.${format}`, format, columns);
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    return (error as Error).message;
  }
  throw new Error('no DataError');
};

describe('labels', () => {
  it.each([
    [0, 0],
    [1, 1],
    ['0', 0],
    ['1', 1],
    ['negative', 0],
    ['positive', 1],
    ['NEGATIVE', 0],
    [' Positive ', 1],
    ['neg', undefined],
    ['pos', undefined],
    ['neutral', undefined],
    ['2', undefined],
    ['1.0', undefined],
    ['', undefined],
    [2, undefined],
    [true, undefined],
    [null, undefined],
  ])('%j -> %j', (value, label) => {
    expect(parseLabel(value)).toBe(label);
  });
});

describe('formats by extension', () => {
  it.each([
    ['reviews.csv', 'csv'],
    ['REVIEWS.CSV', 'csv'],
    ['a/b.tsv', 'tsv'],
    ['x.jsonl', 'jsonl'],
    ['x.json', undefined],
    ['x.csv.gz', undefined],
    ['x.txt', undefined],
    ['aclImdb', undefined],
  ])('%s -> %s', (path, format) => {
    expect(tableFormat(path)).toBe(format);
  });
});

describe('CSV', () => {
  it.each([
    [
      'a plain file',
      'text,label\nGood food,1\nCold soup,0\n',
      [
        ['Good food', 1, 2],
        ['Cold soup', 0, 3],
      ],
    ],
    ['no final newline', 'text,label\nGood food,1', [['Good food', 1, 2]]],
    ['a quoted comma', 'text,label\n"Slow, but friendly",positive\n', [['Slow, but friendly', 1, 2]]],
    ['doubled quotes', 'text,label\n"They said ""never again""",0\n', [['They said "never again"', 0, 2]]],
    [
      'a line break in quotes (the next row starts two lines on)',
      'text,label\n"first line\nsecond line",1\nnext,0\n',
      [
        ['first line\nsecond line', 1, 2],
        ['next', 0, 4],
      ],
    ],
    [
      'a BOM and CRLF line ends',
      '\uFEFFtext,label\r\n"a, b",Negative\r\n"c\r\nd",POSITIVE\r\ne,1\r\n',
      [
        ['a, b', 0, 2],
        ['c\r\nd', 1, 3],
        ['e', 1, 5],
      ],
    ],
    [
      'empty lines skipped',
      'text,label\n\nfine,1\n\n\nbad,0\n',
      [
        ['fine', 1, 3],
        ['bad', 0, 6],
      ],
    ],
    ['a quote inside an unquoted field', 'text,label\nThe 5" screen cracked,0\n', [['The 5" screen cracked', 0, 2]]],
    ['columns in another order, and others', 'id,label,stars,text\n7,1,5,"Loved it"\n', [['Loved it', 1, 2]]],
    ['spaces around header names', ' text , label \nok then,1\n', [['ok then', 1, 2]]],
  ])('%s', (_, content, rows) => {
    expect(rowsOf(content, 'csv')).toEqual(rows);
  });

  it('reads other column names', () => {
    const rows = rowsOf('review,sentiment\nGreat,positive\n', 'csv', { text: 'review', label: 'sentiment' });
    expect(rows).toEqual([['Great', 1, 2]]);
  });
});

describe('TSV', () => {
  it.each([
    ['plain', 'text\tlabel\nGood, really\t1\n', [['Good, really', 1, 2]]],
    ['a quoted tab and quotes', 'text\tlabel\n"a\tb ""c"""\t0\n', [['a\tb "c"', 0, 2]]],
    ['a BOM and CRLF', '\uFEFFlabel\ttext\r\nnegative\tmeh\r\n', [['meh', 0, 2]]],
  ])('%s', (_, content, rows) => {
    expect(rowsOf(content, 'tsv')).toEqual(rows);
  });
});

describe('JSONL', () => {
  it('reads numbers and strings as labels, skips blank lines, ignores other keys, takes a BOM and CRLF', () => {
    const content = '\uFEFF{"text":"Great","label":1}\r\n\n{"text":"Bad","label":"Negative","id":4}\r\n';
    expect(rowsOf(content, 'jsonl')).toEqual([
      ['Great', 1, 1],
      ['Bad', 0, 3],
    ]);
  });
});

describe('every format reads back what the fixture wrote', () => {
  const rows = syntheticRows(60);
  it.each([
    ['csv', csvText(rows, ',', { windows: true, idColumn: true })],
    ['tsv', csvText(rows, '\t')],
    ['jsonl', jsonlText(rows)],
  ] as const)('%s', (format, content) => {
    expect(rows.some((r) => /[",\n\t]/.test(r.text))).toBe(true);
    const read = parseTable(Buffer.from(content), `f.${format}`, format, COLUMNS);
    expect(read.reviews.map((r) => ({ text: r.text, label: r.label }))).toEqual(rows);
    expect(read.sha256).toBe(sha256(Buffer.from(content)));
  });
});

describe('data errors say what is wrong and where', () => {
  it('a missing column: lists the columns found and the option to name it', () => {
    const message = dataError('id,body,stars\n1,Good,1\n', 'csv');
    expect(message).toContain('no text column "text"; columns found: "id", "body", "stars"');
    expect(message).toContain('--text-column');
    const label = dataError('text,stars\nGood,1\n', 'csv');
    expect(label).toContain('no label column "label"; columns found: "text", "stars"');
  });

  it('unknown labels: shows the first rows with their lines and the accepted labels', () => {
    const lines = ['text,label', 'a,1', 'b,neutral', 'c,', 'd,5', 'e,0', 'f,x', 'g,y', 'h,z', 'i,w'];
    const message = dataError(`${lines.join('\n')}\n`, 'csv');
    expect(message).toContain('7 rows have a label other than 0, 1, negative, positive (any case) in column "label"');
    expect(message).toContain('line 3: "neutral"\n  line 4: ""\n  line 5: "5"\n  line 7: "x"\n  line 8: "y"\n');
    expect(message).toContain('... and 2 more');
    expect(message).not.toContain('line 9');
  });

  it('a row with more or fewer fields than the header (an unquoted comma)', () => {
    const message = dataError('text,label\nGood, really good,1\nok,1\nshort\n', 'csv');
    expect(message).toContain('2 rows have 3 or 1 fields where the header has 2 (lines 2, 4)');
    expect(message).toContain('must be in double quotes');
  });

  it('a quote that is never closed', () => {
    expect(dataError('text,label\n"never closed,1\nb,0\n', 'csv')).toMatch(/cannot be read as CSV: Quote Not Closed/);
  });

  it('a text with no words', () => {
    const message = dataError('text,label\nfine,1\n,0\n"!!! ...",1\n', 'csv');
    expect(message).toContain('2 rows have no words in column "text"');
    expect(message).toContain('lines 3, 4');
  });

  it('a JSONL line that is not an object, and a row without the text', () => {
    const notObjects = dataError('{"text":"a","label":1}\n[1,2]\nnot json\n', 'jsonl');
    expect(notObjects).toContain('lines 2, 3 are not JSON objects');
    expect(dataError('{"text":"a","label":1}\n{"label":0}\n', 'jsonl')).toContain('1 row has no "text" (line 2)');
    expect(dataError('{"text":5,"label":1}\n', 'jsonl')).toContain('the "text" of line 1 is not a string');
  });

  it('a column twice', () => {
    expect(dataError('text,text,label\na,b,1\n', 'csv')).toContain('the header has the column "text" twice');
  });
});

describe('paths that cannot be data files are usage errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'paths-'));
  writeFileSync(join(dir, 'reviews.xlsx'), 'binary');
  mkdirSync(join(dir, 'folder.csv'));
  it.each([
    [join(dir, 'missing.csv'), 'no such file'],
    [join(dir, 'reviews.xlsx'), 'unknown extension .xlsx; a data file must be .csv, .tsv, .jsonl'],
    [join(dir, 'folder.csv'), 'is a folder'],
  ])('%s', (path, message) => {
    expect(() => checkTablePath(path, '--data')).toThrow(OptionError);
    expect(() => checkTablePath(path, '--data')).toThrow(message);
  });
});

describe('splits of a data file', () => {
  const rows = syntheticRows(300);
  const file = writeTable('Shop Reviews.csv', rows);
  const options = { file, columns: COLUMNS, batchSize: 32, seed: 42 };

  it('carves the test split by a seeded shuffle: repeatable, disjoint, in file order', () => {
    const reviews = readTable(file, COLUMNS).reviews;
    const a = carveTestSplit(reviews, TEST_SPLIT_SEED, 30);
    const b = carveTestSplit(reviews, TEST_SPLIT_SEED, 30);
    expect(a.test.map((r) => r.id)).toEqual(b.test.map((r) => r.id));
    expect([a.test.length, a.rest.length]).toEqual([30, 270]);
    const test = new Set(a.test.map((r) => r.id));
    expect(a.rest.some((r) => test.has(r.id))).toBe(false);
    const line = (id: string) => Number(id.split(':')[1]);
    expect(a.test.map((r) => line(r.id))).toEqual(a.test.map((r) => line(r.id)).sort((x, y) => x - y));
    expect(carveTestSplit(reviews, 1, 30).test.map((r) => r.id)).not.toEqual(a.test.map((r) => r.id));
  });

  it('holds out 10% for test and 10% of the rest for validation, and records what eval needs', () => {
    const plan = planOwnData(options);
    expect(plan.validationSize).toBe(27);
    expect(plan.pool).toHaveLength(270);
    expect(plan.record).toMatchObject({
      format: 'csv',
      textColumn: 'text',
      labelColumn: 'label',
      rows: 300,
      test: { kind: 'carved', seed: TEST_SPLIT_SEED, rows: 30 },
      validation: { seed: 42, rows: 27 },
      train: { rows: 243 },
    });
    expect(plan.record.sha256).toBe(sha256(readFileSync(file)));
    // Cut again from the record alone: the same test rows, none of which training or validation saw.
    const { test } = recordedTestSplit(plan.record, 'model');
    const pool = new Set(plan.pool.map((r) => r.id));
    expect(test).toHaveLength(30);
    expect(test.some((r) => pool.has(r.id))).toBe(false);
    expect(recordedPool(plan.record, 'run').map((r) => r.id)).toEqual(plan.pool.map((r) => r.id));
    const { validation } = splitTrainValidation(plan.pool, { seed: 42, validationSize: plan.validationSize });
    expect(validation.some((r) => test.some((t) => t.id === r.id))).toBe(false);
  });

  it('takes the sizes and the train limit given', () => {
    const plan = planOwnData({ ...options, testSize: 50, validationSize: 40, trainLimit: 100 });
    expect(plan.record).toMatchObject({ test: { rows: 50 }, validation: { rows: 40 }, train: { rows: 100 } });
  });

  it('with a test file, carves no test split and records that file', () => {
    const testFile = writeTable('holdout.jsonl', syntheticRows(40, 9));
    const plan = planOwnData({ ...options, testFile });
    expect(plan.pool).toHaveLength(300);
    expect(plan.record.test).toMatchObject({ kind: 'file', format: 'jsonl', rows: 40 });
    expect(plan.validationSize).toBe(30);
  });

  it('refuses a test file with the same rows as the data file', () => {
    const copy = join(mkdtempSync(join(tmpdir(), 'same-')), 'copy.csv');
    writeFileSync(copy, readFileSync(file));
    expect(() => planOwnData({ ...options, testFile: copy })).toThrow(OptionError);
    expect(() => planOwnData({ ...options, testFile: copy })).toThrow('holds the same rows as --data');
  });

  it('refuses a file that is not the one the split was carved from', () => {
    const plan = planOwnData(options);
    const other = writeTable('Shop Reviews.csv', syntheticRows(300, 2));
    expect(() => recordedTestSplit(plan.record, 'runs/x/model', other)).toThrow(
      /is not the file runs\/x\/model was trained on .* use --test-data/,
    );
  });

  it('needs test + validation + 2 batches of rows, and says so', () => {
    // The defaults of the served recipe (batches of 64): 158 rows are the fewest that train.
    const enough = writeTable('a.csv', syntheticRows(158));
    expect(() => planOwnData({ ...options, file: enough, batchSize: 64 })).not.toThrow();
    const few = writeTable('few.csv', syntheticRows(157));
    expect(() => planOwnData({ ...options, file: few, batchSize: 64 })).toThrow(
      'has 157 rows, too few: training needs 16 rows for the test split (--test-size) + 14 rows for validation ' +
        '(--validation-size) + 2 batches of 64 training rows (--batch-size) = 158 rows at least',
    );
    expect(heldOutSize(157)).toBe(16);
  });

  it('needs both classes', () => {
    const one = writeTable(
      'one.csv',
      syntheticRows(300).map((r) => ({ ...r, label: 1 as const })),
    );
    expect(() => planOwnData({ ...options, file: one })).toThrow(
      'all 300 rows are positive (1); training needs both negative and positive rows',
    );
  });

  it('names folders and models after the file', () => {
    expect(fileStem('data/Shop Reviews.csv')).toBe('shop-reviews');
    expect(fileStem('support_2024.v2.jsonl')).toBe('support_2024.v2');
  });
});

describe('npm run train options for a data file', () => {
  const file = writeTable('support.csv', syntheticRows(10));
  const parse = (...argv: string[]) => {
    const result = TRAIN_CLI.parse(argv);
    if (result.help) throw new Error('unexpected --help');
    return result.values;
  };

  it('writes under runs/<file name>, never into model/ unless --model-dir says so', () => {
    expect([runDir(parse('--data', file)), modelDir(parse('--data', file))]).toEqual([
      'runs/support',
      'runs/support/model',
    ]);
    expect(modelDir(parse('--data', file, '--quick'))).toBe('runs/support-quick/model');
    expect(modelDir(parse('--data', file, '--out', 'runs/t2'))).toBe('runs/t2/model');
    expect(modelDir(parse('--data', file, '--model-dir', 'model'))).toBe('model');
  });

  it('reads the columns and sizes given; the validation default waits for the row count', () => {
    const values = parse('--data', file, '--text-column', 'body', '--label-column', 'y', '--test-size', '5');
    expect(ownDataOptions(values)).toMatchObject({ columns: { text: 'body', label: 'y' }, testSize: 5 });
    expect(ownDataOptions(values)?.validationSize).toBeUndefined();
    expect(trainSettings(values, 17).validationSize).toBe(17);
    expect(trainSettings(parse()).validationSize).toBe(1000);
    expect(ownDataOptions(parse())).toBeUndefined();
  });

  it.each([
    [['--test-size', '5'], '--test-size goes with a data file of your own (--data FILE.csv, .tsv or .jsonl)'],
    [['--data', 'aclImdb', '--text-column', 'body'], '--text-column goes with a data file of your own'],
    [['--data', '$FILE', '--test-data', '$FILE', '--test-size', '3'], 'with --test-data that file is the test split'],
    [['--data', '$FILE', '--test-data', 'missing.tsv'], '--test-data missing.tsv: no such file'],
    [['--data', 'missing.jsonl'], '--data missing.jsonl: no such file'],
    [['--data', 'missing.xlsx'], '--data missing.xlsx: no such file or folder; --data takes an IMDB folder or a file'],
  ])('%j: %s', (argv, message) => {
    const values = parse(...argv.map((a) => (a === '$FILE' ? file : a)));
    expect(() => ownDataOptions(values)).toThrow(OptionError);
    expect(() => ownDataOptions(values)).toThrow(message);
  });
});
