import { describe, expect, it } from 'vitest';
import {
  buildVocabulary,
  encode,
  normalize,
  PAD_ID,
  readWords,
  splitWords,
  TOKENIZER_VERSION,
  TokenizerVersionError,
  tokenOf,
  UNK_ID,
  Vocabulary,
} from '../../src/tokenizer/index.ts';

describe('splitWords', () => {
  it.each([
    ['The food is good', ['the', 'food', 'is', 'good']],
    ["I don't like it.<br /><br />It isn't GOOD!", ['i', "don't", 'like', 'it', 'it', "isn't", 'good']],
    ['Don’t (curly apostrophe) can`t', ["don't", 'curly', 'apostrophe', "can't"]],
    ['not bad, NOT good', ['not', 'bad', 'not', 'good']],
    ['Caf\u0065\u0301 ｆｕｌｌｗｉｄｔｈ', ['café', 'fullwidth']],
    ['Tom &amp; Jerry &lt;3', ['tom', 'jerry', '3']],
    ['10/10 would watch', ['10', '10', 'would', 'watch']],
    ["'quoted' words' ends", ['quoted', 'words', 'ends']],
    ['<i>italic</i> <a href="x">link</a>', ['italic', 'link']],
    ['?!... --- !!!', []],
    ['', []],
  ])('%j -> %j', (text, words) => {
    expect(splitWords(text)).toEqual(words);
  });

  it.each([
    ['The food is not good.', ['the', 'food', 'is', 'not', 'not_good']],
    [
      "I didn't like it, but the ending was great!",
      ['i', "didn't", 'not_like', 'not_it', 'but', 'the', 'ending', 'was', 'great'],
    ],
    ['Never boring<br />Great acting', ['never', 'not_boring', 'great', 'acting']],
    ['no (really) not', ['no', 'really', 'not']],
  ])('with negation marked, %j -> %j', (text, words) => {
    expect(splitWords(text, { markNegation: true })).toEqual(words);
    // readWords keeps each word as the text has it and flags the scope instead.
    const read = readWords(text, { markNegation: true });
    expect(read.map((r) => r.word)).toEqual(words.map((w) => w.replace(/^not_/, '')));
    expect(read.map((r) => r.negated)).toEqual(words.map((w) => w.startsWith('not_')));
    expect(read.map(tokenOf)).toEqual(words);
  });

  it('normalises Unicode so equivalent texts give equal words', () => {
    expect(normalize('e\u0301')).toBe(normalize('\u00e9'));
  });
});

describe('vocabulary', () => {
  const file = buildVocabulary([['b', 'a', 'b'], ['c', 'b', 'a'], ['d']], 4);

  it('puts padding and unknown first, then words by frequency with ties alphabetical', () => {
    expect(file.words).toEqual(['<pad>', '<unk>', 'b', 'a']);
    expect(file.tokenizerVersion).toBe(TOKENIZER_VERSION);
  });

  it('maps unknown words to UNK_ID and never to PAD_ID', () => {
    const vocabulary = new Vocabulary(file);
    expect(vocabulary.idOf('b')).toBe(2);
    expect(vocabulary.idOf('zzz')).toBe(UNK_ID);
    expect(vocabulary.idOf('<pad>')).toBe(PAD_ID); // only reachable by the literal token, which splitWords never yields
    expect(splitWords('<pad>')).toEqual([]);
  });

  it('refuses a vocabulary made by another tokenizer version', () => {
    expect(() => new Vocabulary({ ...file, tokenizerVersion: 'other-v0' })).toThrow(TokenizerVersionError);
  });
});

describe('encode', () => {
  const vocabulary = new Vocabulary(buildVocabulary([['the', 'food', 'is', 'good', 'not', 'the', 'food']], 10));
  const ids = (words: string[]) => words.map((w) => vocabulary.idOf(w));

  it.each([
    ['The food is good', { maxLength: 10, truncation: 'end' as const }, ['the', 'food', 'is', 'good'], false],
    ['The food is good', { maxLength: 4, truncation: 'end' as const }, ['the', 'food', 'is', 'good'], false],
    ['The food is NOT good', { maxLength: 3, truncation: 'end' as const }, ['is', 'not', 'good'], true],
    ['The food is NOT good', { maxLength: 3, truncation: 'start' as const }, ['the', 'food', 'is'], true],
    ['The food is NOT good', { maxLength: 4, truncation: 'start' as const }, ['the', 'food', 'is', 'not'], true],
  ])('%j with %j', (text, options, words, truncated) => {
    const encoded = encode(text, vocabulary, options);
    expect(encoded.words).toEqual(words);
    expect(encoded.tokens).toEqual(words); // no negation marking in this vocabulary
    expect(encoded.negated).toEqual(words.map(() => false));
    expect(encoded.ids).toEqual(ids(words));
    expect(encoded.truncated).toBe(truncated);
    // `truncated` says exactly whether the text has more words than were kept.
    expect(encoded.words.length < splitWords(text).length).toBe(truncated);
  });

  it('reads negation scopes when the vocabulary was built so', () => {
    const words = splitWords('the food is not good', { markNegation: true });
    const file = buildVocabulary([words], 10, { markNegation: true });
    expect(file.markNegation).toBe(true);
    const negating = new Vocabulary(file);
    const options = { maxLength: 10, truncation: 'end' as const };
    const marked = encode('The food is not good. Fine', negating, options);
    expect(marked.tokens).toEqual(['the', 'food', 'is', 'not', 'not_good', 'fine']);
    // The words stay the text's own; the negation scope is a flag (closed by the full stop).
    expect(marked.words).toEqual(['the', 'food', 'is', 'not', 'good', 'fine']);
    expect(marked.negated).toEqual([false, false, false, false, true, false]);
    expect(marked.ids).toEqual(marked.tokens.map((t) => negating.idOf(t)));
    const plain = encode('The food is not good', vocabulary, options);
    expect(plain.tokens).toEqual(['the', 'food', 'is', 'not', 'good']);
    expect(plain.negated).toEqual([false, false, false, false, false]);
  });

  it('marks out-of-vocabulary words', () => {
    const encoded = encode('the spaceship is good', vocabulary, { maxLength: 10, truncation: 'end' });
    expect(encoded.ids[1]).toBe(UNK_ID);
    expect(encoded.unknown).toEqual([false, true, false, false]);
  });
});
