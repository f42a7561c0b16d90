/**
 * Command-line options declared once each, over node:util's parseArgs: the declaration gives the option's type,
 * default and help line, and from it come the --help text, the validation (with errors that name the option) and
 * the typed values.
 *
 *   const cli = defineCli({ command: 'npm run train --', options: { units: { type: 'integer', min: 1, default: 64,
 *     help: 'hidden units' } }, presets: { quick: { units: 16 } } });
 *   const values = cli.parseOrExit(); // values.units: number
 */
import { parseArgs } from 'node:util';

interface BaseSpec {
  /** What the option does, as --help shows it (wrapped; the default is appended). */
  help: string;
  /** Heading the option is listed under in --help (options keep their declaration order). */
  group?: string;
  /** Placeholder for the value in --help (default: N for integers, R for numbers, VALUE for strings). */
  value?: string;
  /** The default as --help shows it when no fixed `default` can say it (e.g. "runs/<cell>"). */
  defaultHelp?: string;
  /** Missing is an error (for a repeatable or list option: no value at all is). */
  required?: boolean;
}

interface ValueSpec extends BaseSpec {
  /** The option may be given more than once; the value is an array. */
  multiple?: boolean;
  /** The value is a comma-separated list; the value is an array. */
  list?: boolean;
}

export interface StringSpec extends ValueSpec {
  type: 'string';
  default?: string | readonly string[];
}

export interface IntegerSpec extends ValueSpec {
  type: 'integer';
  default?: number | readonly number[];
  min?: number;
  max?: number;
}

export interface NumberSpec extends ValueSpec {
  type: 'number';
  default?: number | readonly number[];
  min?: number;
  max?: number;
  /** Exclusive upper bound (a probability below 1, say). */
  below?: number;
}

export interface ChoiceSpec extends ValueSpec {
  type: 'choice';
  choices: readonly string[];
  default?: string | readonly string[];
}

/** A flag: true when given, else false (or a preset's value). */
export interface BooleanSpec extends BaseSpec {
  type: 'boolean';
}

export type OptionSpec = StringSpec | IntegerSpec | NumberSpec | ChoiceSpec | BooleanSpec;
export type OptionSpecs = Record<string, OptionSpec>;

type ScalarOf<S> = S extends { type: 'string' }
  ? string
  : S extends { type: 'integer' | 'number' }
    ? number
    : S extends { type: 'choice'; choices: readonly (infer C)[] }
      ? C
      : never;
type IsMany<S> = S extends { multiple: true } ? true : S extends { list: true } ? true : false;
type AlwaysSet<S> = S extends { default: unknown } ? true : S extends { required: true } ? true : false;

/** The parsed value of one option: undefined only when it has neither a default nor `required`. */
export type ValueOf<S> = S extends { type: 'boolean' }
  ? boolean
  : (IsMany<S> extends true ? ScalarOf<S>[] : ScalarOf<S>) | (AlwaysSet<S> extends true ? never : undefined);

export type Values<O extends OptionSpecs> = { -readonly [K in keyof O]: ValueOf<O[K]> };

type FlagOf<O extends OptionSpecs> = { [K in keyof O]: O[K] extends { type: 'boolean' } ? K : never }[keyof O];

/** Defaults that a flag changes (e.g. --quick: a smaller model); options given explicitly still win. */
export type Presets<O extends OptionSpecs> = { [F in FlagOf<O>]?: Partial<Values<O>> };

export interface CliSpec<O extends OptionSpecs> {
  /** How the command is run, e.g. "npm run train --": the usage line and the errors' --help hint use it. */
  command: string;
  /** Text printed after the usage line, as written. */
  intro?: string;
  options: O;
  presets?: NoInfer<Presets<O>>;
}

/** A bad command line: the message names the option. */
export class OptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OptionError';
  }
}

export type ParseResult<O extends OptionSpecs> = { help: true } | { help: false; values: Values<O> };

export interface Cli<O extends OptionSpecs> {
  readonly spec: CliSpec<O>;
  /** The --help text. */
  help(): string;
  /** The typed values, or help: true when --help was given (then nothing else is checked); throws OptionError. */
  parse(argv: readonly string[]): ParseResult<O>;
  /** parse, printing the help (exit 0) or the error with a pointer to --help (exit 2). */
  parseOrExit(argv?: readonly string[]): Values<O>;
  /** A usage error found after parsing (options that do not go together, a missing file): print it, exit 2. */
  exitUsage(message: string): never;
}

const HELP_WIDTH = 120;
const HELP_COLUMN = 26;

function isMany(spec: OptionSpec): boolean {
  return spec.type !== 'boolean' && (spec.multiple === true || spec.list === true);
}

function placeholder(spec: OptionSpec): string {
  if (spec.type === 'boolean') return '';
  const kind = { string: 'VALUE', integer: 'N', number: 'R' } as const;
  const one = spec.value ?? (spec.type === 'choice' ? spec.choices.join('|') : kind[spec.type]);
  return spec.list && spec.value === undefined ? `${one},...` : one;
}

function formatValue(value: unknown): string {
  return Array.isArray(value) ? value.join(',') : String(value);
}

/** "an integer >= 1", "a number >= 0 and below 1", "one of a, b"; plural: "integers >= 1", ... */
function expectation(spec: Exclude<OptionSpec, BooleanSpec>, plural: boolean): string {
  if (spec.type === 'string') return plural ? 'values' : 'a value';
  if (spec.type === 'choice') return `${plural ? 'each ' : ''}one of ${spec.choices.join(', ')}`;
  const bounds = [
    spec.min !== undefined ? `>= ${spec.min}` : '',
    spec.max !== undefined ? `<= ${spec.max}` : '',
    spec.type === 'number' && spec.below !== undefined ? `below ${spec.below}` : '',
  ].filter(Boolean);
  const kind = spec.type === 'integer' ? (plural ? 'integers' : 'an integer') : plural ? 'numbers' : 'a number';
  return `${kind}${bounds.length ? ` ${bounds.join(' and ')}` : ''}`;
}

/** One value of an option; `whole` is what was given, for the error. */
function convert(name: string, spec: Exclude<OptionSpec, BooleanSpec>, raw: string, whole: string): unknown {
  const bad = () => {
    const what = spec.list ? `${expectation(spec, true)} separated by commas` : expectation(spec, false);
    return new OptionError(`--${name} must be ${what}, got "${whole}"`);
  };
  if (spec.type === 'string') return raw;
  if (spec.type === 'choice') {
    if (!spec.choices.includes(raw)) throw bad();
    return raw;
  }
  const n = raw.trim() === '' ? Number.NaN : Number(raw);
  if (!Number.isFinite(n) || (spec.type === 'integer' && !Number.isInteger(n))) throw bad();
  if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) throw bad();
  if (spec.type === 'number' && spec.below !== undefined && n >= spec.below) throw bad();
  return n;
}

/** Greedy word wrap of one paragraph to `width` columns. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

function defaultNote<O extends OptionSpecs>(name: string, spec: OptionSpec, presets: Presets<O>): string {
  const parts: string[] = spec.required ? ['required'] : [];
  const fixed = 'default' in spec && spec.default !== undefined ? formatValue(spec.default) : undefined;
  const shown = spec.defaultHelp ?? fixed;
  if (shown !== undefined) parts.push(`default ${shown}`);
  for (const [flag, values] of Object.entries(presets as Record<string, Record<string, unknown> | undefined>)) {
    const value = values?.[name];
    if (value !== undefined && formatValue(value) !== fixed) parts.push(`--${flag}: ${formatValue(value)}`);
  }
  return parts.length ? ` (${parts.join('; ')})` : '';
}

function helpText<O extends OptionSpecs>(cli: CliSpec<O>): string {
  const out = [`Usage: ${cli.command} [options]`, ''];
  if (cli.intro) out.push(cli.intro.trim(), '');
  let group: string | undefined;
  for (const [name, spec] of Object.entries(cli.options)) {
    if (spec.group !== undefined && spec.group !== group) {
      if (group !== undefined) out.push('');
      out.push(spec.group);
      group = spec.group;
    }
    const left = `  --${name}${spec.type === 'boolean' ? '' : ` ${placeholder(spec)}`}`;
    const text = wrap(`${spec.help}${defaultNote(name, spec, cli.presets ?? {})}`, HELP_WIDTH - HELP_COLUMN);
    const indent = ' '.repeat(HELP_COLUMN);
    if (left.length < HELP_COLUMN - 1) {
      out.push(`${left.padEnd(HELP_COLUMN)}${text[0] ?? ''}`.trimEnd(), ...text.slice(1).map((l) => indent + l));
    } else {
      out.push(left, ...text.map((l) => indent + l));
    }
  }
  return `${out.join('\n')}\n`;
}

function checkSpec(name: string, spec: OptionSpec): void {
  if (name === 'help') throw new Error('--help is built in: do not declare it');
  if (spec.type !== 'boolean' && spec.default !== undefined && Array.isArray(spec.default) !== isMany(spec)) {
    throw new Error(`--${name}: the default must ${isMany(spec) ? '' : 'not '}be an array`);
  }
}

export function defineCli<const O extends OptionSpecs>(spec: CliSpec<O>): Cli<O> {
  for (const [name, option] of Object.entries(spec.options)) checkSpec(name, option);
  const hint = `(${spec.command} --help lists the options)`;

  const parse = (argv: readonly string[]): ParseResult<O> => {
    const config: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = { help: { type: 'boolean' } };
    for (const [name, option] of Object.entries(spec.options)) {
      const multiple = option.type !== 'boolean' && option.multiple === true;
      config[name] = option.type === 'boolean' ? { type: 'boolean' } : { type: 'string', multiple };
    }
    let parsed: Record<string, string | boolean | (string | boolean)[] | undefined>;
    try {
      parsed = parseArgs({ args: [...argv], options: config, strict: true, allowPositionals: false }).values;
    } catch (error) {
      throw new OptionError(error instanceof Error ? error.message : String(error));
    }
    if (parsed.help === true) return { help: true };
    const presets = Object.entries((spec.presets ?? {}) as Record<string, Record<string, unknown> | undefined>)
      .filter(([flag]) => parsed[flag] === true)
      .map(([, values]) => values ?? {});
    const values: Record<string, unknown> = {};
    for (const [name, option] of Object.entries(spec.options)) {
      const raw = parsed[name];
      const preset = presets.findLast((p) => p[name] !== undefined)?.[name];
      if (option.type === 'boolean') {
        values[name] = raw === true || (raw === undefined && preset === true);
        continue;
      }
      if (raw === undefined) {
        const fallback = preset ?? option.default;
        if (fallback === undefined && option.required) throw new OptionError(`--${name} is required`);
        values[name] = Array.isArray(fallback) ? [...fallback] : fallback;
        continue;
      }
      const given = (Array.isArray(raw) ? raw : [raw]).map(String);
      if (!isMany(option)) {
        values[name] = convert(name, option, given[0]!, given[0]!);
        continue;
      }
      const items = (whole: string) => (option.list ? whole.split(',') : [whole]);
      values[name] = given.flatMap((whole) => items(whole).map((item) => convert(name, option, item, whole)));
    }
    return { help: false, values: values as Values<O> };
  };

  const exitUsage = (message: string): never => {
    process.stderr.write(`error: ${message}\n${hint}\n`);
    process.exit(2);
  };

  return {
    spec,
    help: () => helpText(spec),
    parse,
    parseOrExit(argv = process.argv.slice(2)) {
      try {
        const result = parse(argv);
        if (!result.help) return result.values;
        process.stdout.write(helpText(spec));
        process.exit(0);
      } catch (error) {
        if (!(error instanceof OptionError)) throw error;
        return exitUsage(error.message);
      }
    },
    exitUsage,
  };
}
