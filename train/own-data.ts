/**
 * Labelled texts of your own, from one file whose extension says its format:
 * - `.csv`: comma-separated, RFC 4180 (fields in double quotes may hold commas, newlines and doubled quotes ""),
 *   a header row naming the columns; a UTF-8 BOM and CRLF line ends are fine;
 * - `.tsv`: the same with tabs (quoted fields too, as spreadsheets and pandas write them);
 * - `.jsonl`: one JSON object a line, its keys the columns.
 * A label is 0 or 1, or negative or positive in any case (JSONL may also give the numbers 0 and 1).
 * Usage errors (a missing file, an unknown extension) are OptionErrors; what is wrong inside a file is a DataError.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import { splitWords } from '../src/tokenizer/index.ts';
import { OptionError } from './cli-options.ts';
import type { Review } from './data.ts';

export type TableFormat = 'csv' | 'tsv' | 'jsonl';

export const TABLE_EXTENSIONS: Record<string, TableFormat> = { '.csv': 'csv', '.tsv': 'tsv', '.jsonl': 'jsonl' };

/** The labels a file may use, as the errors list them (case does not matter). */
export const ACCEPTED_LABELS = ['0', '1', 'negative', 'positive'] as const;

export const DEFAULT_COLUMNS: TableColumns = { text: 'text', label: 'label' };

/** Rows an error shows at most. */
const SHOWN = 5;

/** Something in a data file keeps it from being used: the message says what and where (exit code 1). */
export class DataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataError';
  }
}

export interface TableColumns {
  text: string;
  label: string;
}

export interface Table {
  /** The path as given. */
  file: string;
  format: TableFormat;
  /** sha256 of the file's bytes. */
  sha256: string;
  /** The columns the file has (the CSV/TSV header; the keys the JSONL objects use, first seen first). */
  columns: string[];
  /** One a row, in file order; id `<file name>:<line the row starts on>`. */
  reviews: Review[];
}

/** The format a path's extension names (any case), or undefined. */
export function tableFormat(path: string): TableFormat | undefined {
  return TABLE_EXTENSIONS[extname(path).toLowerCase()];
}

const EXTENSIONS_HELP = `${Object.keys(TABLE_EXTENSIONS).join(', ')} (the format is chosen by the extension)`;

/**
 * Checks that `path` is a readable file of a known format; `option` names the option that gave it (--data).
 * Throws OptionError (a usage error) otherwise.
 */
export function checkTablePath(path: string, option: string): TableFormat {
  if (!existsSync(path)) throw new OptionError(`${option} ${path}: no such file`);
  if (statSync(path).isDirectory()) {
    throw new OptionError(`${option} ${path} is a folder; a data file must be ${EXTENSIONS_HELP}`);
  }
  const format = tableFormat(path);
  if (!format) {
    const extension = extname(path) || '(none)';
    throw new OptionError(
      `${option} ${path}: unknown extension ${extension}; a data file must be ${EXTENSIONS_HELP}. ` +
        'Rename it if its content is one of these formats, or save it as CSV from your spreadsheet.',
    );
  }
  return format;
}

/**
 * Whether a --data path names a data file of your own (by its extension) rather than an IMDB folder. An existing
 * file of another extension is a usage error (OptionError), not a folder to look for IMDB in.
 */
export function isTableFile(path: string, option: string): boolean {
  if (tableFormat(path)) return true;
  if (existsSync(path)) {
    if (!statSync(path).isDirectory()) checkTablePath(path, option);
  } else if (extname(path) !== '') {
    // A missing reviews.xlsx is a mistyped file name, not an IMDB folder to give download instructions for.
    throw new OptionError(
      `${option} ${path}: no such file or folder; ${option} takes an IMDB folder or a file: ${EXTENSIONS_HELP}`,
    );
  }
  return false;
}

/** 0 or 1 for an accepted label (surrounding spaces ignored), else undefined. */
export function parseLabel(value: unknown): 0 | 1 | undefined {
  if (value === 0 || value === 1) return value;
  if (typeof value !== 'string') return undefined;
  const label = value.trim().toLowerCase();
  if (label === '0' || label === 'negative') return 0;
  if (label === '1' || label === 'positive') return 1;
  return undefined;
}

interface Row {
  /** The line the row starts on (1-based; the header is line 1 of a CSV). */
  line: number;
  values: Record<string, unknown>;
}

interface RawTable {
  columns: string[];
  rows: Row[];
}

/** "1 row", "3 rows" */
export function rowCount(n: number): string {
  return `${n} row${n === 1 ? '' : 's'}`;
}

/** "line 4", "lines 4, 9, 12 and 3 more" */
function lineList(lines: readonly number[]): string {
  const shown = lines.slice(0, SHOWN).join(', ');
  const more = lines.length > SHOWN ? ` and ${lines.length - SHOWN} more` : '';
  return `line${lines.length > 1 ? 's' : ''} ${shown}${more}`;
}

/** Line number (1-based) of each byte offset, by binary search over the newline offsets. */
function lineFinder(bytes: Buffer): (offset: number) => number {
  const newlines: number[] = [];
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) newlines.push(i);
  return (offset) => {
    let lo = 0;
    let hi = newlines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (newlines[mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
}

interface CsvRecord {
  record: string[];
  info: { bytes: number };
}

/** CSV or TSV through csv-parse; its info.bytes (where each record ends) gives each row's first line. */
function parseDelimited(bytes: Buffer, file: string, delimiter: string): RawTable {
  let records: CsvRecord[];
  try {
    records = parse(bytes, {
      delimiter,
      bom: true,
      info: true,
      // A quote inside an unquoted field (5" screen) is taken as written, as spreadsheets read it.
      relax_quotes: true,
      // Rows with too few or too many fields are reported below, all at once, with their lines.
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as CsvRecord[];
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new DataError(
      `${file}: cannot be read as ${delimiter === '\t' ? 'TSV' : 'CSV'}: ${message}. A field holding ` +
        `${delimiter === '\t' ? 'tabs' : 'commas'}, quotes or line breaks must be in double quotes, ` +
        'with each quote inside it doubled ("").',
    );
  }
  const lineOf = lineFinder(bytes);
  let end = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const located = records.map(({ record, info }) => {
    // Skipped empty lines lie between the previous record's end and this record's first byte.
    let start = end;
    while (bytes[start] === 10 || bytes[start] === 13) start++;
    end = info.bytes;
    return { line: lineOf(start), record };
  });
  const [header, ...body] = located;
  if (!header) return { columns: [], rows: [] };
  const columns = header.record.map((c) => c.trim());
  const ragged = body.filter((r) => r.record.length !== columns.length);
  if (ragged.length > 0) {
    const counts = [...new Set(ragged.map((r) => r.record.length))].join(' or ');
    throw new DataError(
      `${file}: ${ragged.length} row${ragged.length > 1 ? 's have' : ' has'} ${counts} fields where the header ` +
        `has ${columns.length} (${lineList(ragged.map((r) => r.line))}). A field holding ` +
        `${delimiter === '\t' ? 'tabs' : 'commas'}, quotes or line breaks must be in double quotes.`,
    );
  }
  const rows = body.map(({ line, record }) => ({
    line,
    values: Object.fromEntries(columns.map((column, i) => [column, record[i]])),
  }));
  return { columns, rows };
}

function parseJsonLines(bytes: Buffer, file: string): RawTable {
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const columns = new Set<string>();
  const rows: Row[] = [];
  const bad: number[] = [];
  text.split('\n').forEach((content, index) => {
    if (!content.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(content);
    } catch {
      bad.push(index + 1);
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      bad.push(index + 1);
      return;
    }
    Object.keys(value).forEach((key) => columns.add(key));
    rows.push({ line: index + 1, values: value as Record<string, unknown> });
  });
  if (bad.length > 0) {
    throw new DataError(
      `${file}: ${lineList(bad)} ${bad.length > 1 ? 'are not JSON objects' : 'is not a JSON object'}; ` +
        'a .jsonl file holds one object a line, e.g. {"text": "Great service", "label": 1}.',
    );
  }
  return { columns: [...columns], rows };
}

function describeValue(value: unknown): string {
  if (value === undefined) return '(missing)';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}...` : text);
}

/** The reviews of a parsed table: both columns present, every label accepted, every text with words. */
function toReviews(raw: RawTable, file: string, columns: TableColumns): Review[] {
  const found = raw.columns.length > 0 ? raw.columns.map((c) => JSON.stringify(c)).join(', ') : 'none';
  for (const [what, column] of [
    ['text', columns.text],
    ['label', columns.label],
  ] as const) {
    const option = `--${what}-column`;
    const matches = raw.columns.filter((c) => c === column).length;
    if (matches === 0) {
      throw new DataError(
        `${file}: no ${what} column ${JSON.stringify(column)}; columns found: ${found}. ` +
          `Name the ${what} column with ${option}.`,
      );
    }
    if (matches > 1) throw new DataError(`${file}: the header has the column ${JSON.stringify(column)} twice.`);
    const missing = raw.rows.filter((r) => r.values[column] === undefined || r.values[column] === null);
    if (missing.length > 0) {
      throw new DataError(
        `${file}: ${missing.length} row${missing.length > 1 ? 's have' : ' has'} no ${JSON.stringify(column)} ` +
          `(${lineList(missing.map((r) => r.line))}).`,
      );
    }
  }
  const unknown = raw.rows.filter((r) => parseLabel(r.values[columns.label]) === undefined);
  if (unknown.length > 0) {
    const examples = unknown.slice(0, SHOWN).map((r) => `  line ${r.line}: ${describeValue(r.values[columns.label])}`);
    throw new DataError(
      [
        `${file}: ${rowCount(unknown.length)} ${unknown.length > 1 ? 'have' : 'has'} a label other than ` +
          `${ACCEPTED_LABELS.join(', ')} (any case) in column ${JSON.stringify(columns.label)}:`,
        ...examples,
        ...(unknown.length > SHOWN ? [`  ... and ${unknown.length - SHOWN} more`] : []),
        'Map your labels to 0/1 or negative/positive (drop neutral or mixed rows), or name the label column ' +
          'with --label-column.',
      ].join('\n'),
    );
  }
  const notText = raw.rows.filter((r) => typeof r.values[columns.text] !== 'string');
  if (notText.length > 0) {
    throw new DataError(
      `${file}: the ${JSON.stringify(columns.text)} of ${lineList(notText.map((r) => r.line))} is not a string.`,
    );
  }
  // The model reads words only: a row with none (empty, or only punctuation, markup or symbols) teaches nothing,
  // and could not be scored in a test split.
  const wordless = raw.rows.filter((r) => splitWords(r.values[columns.text] as string).length === 0);
  if (wordless.length > 0) {
    throw new DataError(
      `${file}: ${wordless.length} row${wordless.length > 1 ? 's have' : ' has'} no words in column ` +
        `${JSON.stringify(columns.text)} (empty, or only punctuation, markup or symbols): ` +
        `${lineList(wordless.map((r) => r.line))}. Remove ${wordless.length > 1 ? 'them' : 'it'} or fill in the text.`,
    );
  }
  const name = basename(file);
  return raw.rows.map((r) => ({
    id: `${name}:${r.line}`,
    text: r.values[columns.text] as string,
    label: parseLabel(r.values[columns.label])!,
  }));
}

/** Parses the bytes of a table file (the path names it in errors). Throws DataError. */
export function parseTable(bytes: Buffer, file: string, format: TableFormat, columns: TableColumns): Table {
  const raw =
    format === 'jsonl' ? parseJsonLines(bytes, file) : parseDelimited(bytes, file, format === 'tsv' ? '\t' : ',');
  return {
    file,
    format,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    columns: raw.columns,
    reviews: toReviews(raw, file, columns),
  };
}

/** Reads a table file; `option` (--data, --test-data) names where the path came from in usage errors. */
export function readTable(file: string, columns: TableColumns, option = '--data'): Table {
  const format = checkTablePath(file, option);
  return parseTable(readFileSync(file), file, format, columns);
}

/** Both labels must occur: a file of one class cannot teach (or test) telling them apart. */
export function checkBothClasses(table: Table, role: string): void {
  const positives = table.reviews.filter((r) => r.label === 1).length;
  if (positives > 0 && positives < table.reviews.length) return;
  const only = positives > 0 ? 'positive (1)' : 'negative (0)';
  throw new DataError(
    `${table.file}: all ${table.reviews.length} rows are ${only}; ${role} needs both negative and positive rows.`,
  );
}
