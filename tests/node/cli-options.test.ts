import { describe, expect, it } from 'vitest';
import { defineCli, OptionError } from '../../train/cli-options.ts';

const cli = defineCli({
  command: 'npm run demo --',
  intro: 'Demonstrates every kind of option.',
  options: {
    name: { type: 'string', group: 'Input', value: 'NAME', help: 'a name', defaultHelp: 'the folder name' },
    count: { type: 'integer', group: 'Input', min: 1, max: 10, default: 3, help: 'how many' },
    rate: { type: 'number', group: 'Numbers', min: 0, below: 1, default: 0.5, help: 'a probability' },
    mode: { type: 'choice', group: 'Numbers', choices: ['fast', 'slow'], default: 'fast', help: 'how' },
    sizes: { type: 'integer', list: true, min: 1, default: [1, 2], help: 'sizes' },
    tag: { type: 'string', multiple: true, help: 'a tag' },
    need: { type: 'choice', choices: ['a', 'b'], list: true, multiple: true, required: true, help: 'needed' },
    small: { type: 'boolean', help: 'small defaults' },
  },
  presets: { small: { count: 1, sizes: [1], name: 'tiny' } },
});

const values = (...argv: string[]) => {
  const result = cli.parse(['--need', 'a', ...argv]);
  if (result.help) throw new Error('unexpected --help');
  return result.values;
};

describe('defineCli', () => {
  it('returns typed values, with the defaults for options not given', () => {
    const defaults = { name: undefined, count: 3, rate: 0.5, mode: 'fast', sizes: [1, 2], tag: undefined };
    expect(values()).toEqual({ ...defaults, need: ['a'], small: false });
    const given = values(
      ...['--name', 'x', '--count', '10', '--rate', '0', '--mode', 'slow'],
      ...['--sizes', '4,5,6', '--tag', 'p', '--tag', 'q'],
    );
    expect(given).toMatchObject({ name: 'x', count: 10, rate: 0, mode: 'slow', sizes: [4, 5, 6], tag: ['p', 'q'] });
  });

  it('reads repeatable lists as one list', () => {
    expect(values('--need', 'b,a', '--need', 'b').need).toEqual(['a', 'b', 'a', 'b']);
  });

  it("takes a preset's defaults when its flag is given, and explicit options over both", () => {
    expect(values('--small')).toMatchObject({ small: true, count: 1, sizes: [1], name: 'tiny', rate: 0.5 });
    expect(values('--small', '--count', '7')).toMatchObject({ count: 7, sizes: [1] });
  });

  it('does not share a default array between parses', () => {
    values().sizes.push(99);
    expect(values().sizes).toEqual([1, 2]);
  });

  it.each([
    [['--count', '0'], '--count must be an integer >= 1 and <= 10, got "0"'],
    [['--count', '11'], '--count must be an integer >= 1 and <= 10, got "11"'],
    [['--count', '2.5'], '--count must be an integer >= 1 and <= 10, got "2.5"'],
    [['--count', ''], '--count must be an integer >= 1 and <= 10, got ""'],
    [['--rate', '1'], '--rate must be a number >= 0 and below 1, got "1"'],
    [['--rate', 'NaN'], '--rate must be a number >= 0 and below 1, got "NaN"'],
    [['--mode', 'quick'], '--mode must be one of fast, slow, got "quick"'],
    [['--sizes', '3,,4'], '--sizes must be integers >= 1 separated by commas, got "3,,4"'],
    [['--need', 'c'], '--need must be each one of a, b separated by commas, got "c"'],
    [['--bogus'], "Unknown option '--bogus'"],
    [['--count'], "Option '--count <value>' argument missing"],
  ])('%j: %s', (argv, message) => {
    expect(() => values(...argv)).toThrow(OptionError);
    expect(() => values(...argv)).toThrow(message);
  });

  it('refuses a missing required option', () => {
    expect(() => cli.parse([])).toThrow('--need is required');
  });

  it('answers --help before checking anything else', () => {
    expect(cli.parse(['--help', '--count', 'x'])).toEqual({ help: true });
  });

  it('writes the help from the declarations: groups, placeholders, defaults, presets', () => {
    expect(cli.help()).toBe(`Usage: npm run demo -- [options]

Demonstrates every kind of option.

Input
  --name NAME             a name (default the folder name; --small: tiny)
  --count N               how many (default 3; --small: 1)

Numbers
  --rate R                a probability (default 0.5)
  --mode fast|slow        how (default fast)
  --sizes N,...           sizes (default 1,2; --small: 1)
  --tag VALUE             a tag
  --need a|b,...          needed (required)
  --small                 small defaults
`);
  });

  it('wraps long help to 120 columns', () => {
    const long = defineCli({ command: 'x', options: { opt: { type: 'boolean', help: 'word '.repeat(60) } } });
    const lines = long.help().split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(120);
    expect(lines.filter((l) => l.includes('word')).length).toBeGreaterThan(2);
  });

  it('refuses a default that does not match the option', () => {
    const options = { n: { type: 'integer', list: true, default: 3, help: '' } } as const;
    expect(() => defineCli({ command: 'x', options })).toThrow('--n: the default must be an array');
  });
});
