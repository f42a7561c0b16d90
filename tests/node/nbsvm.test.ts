import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TOKENIZER_VERSION } from '../../src/tokenizer/index.ts';
import {
  extractRows,
  FeatureExtractor,
  fnv1a32,
  foldHash,
  ngramBucket,
  type SparseRows,
} from '../../train/nbsvm/features.ts';
import { loadModel, NbsvmModel, saveModel } from '../../train/nbsvm/model.ts';
import { type LabelledText, nbRatio, trainNbsvm } from '../../train/nbsvm/train.ts';
import { seededRandom } from '../../train/random.ts';

/** FNV-1a over bytes, straight from the definition. */
function referenceFnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}

function bucketsOf(text: string, bits: number): number[] {
  const extractor = new FeatureExtractor(bits);
  const count = extractor.extract(text);
  return Array.from(extractor.buckets.subarray(0, count));
}

/**
 * Reviews of filler words with two sentiment phrases. "not", "bad" and "great" each occur as often in positive
 * reviews ("great", "not bad") as in negative ones ("bad", "not great"): only bigrams tell those phrases apart.
 */
function syntheticReviews(n: number, seed: number): LabelledText[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const filler = Array.from({ length: 200 }, (_, i) => `filler${i}`);
  const positive = ['great', 'superb', 'moving', 'not bad', 'loved'];
  const negative = ['not great', 'boring', 'bad', 'dull', 'hated'];
  return Array.from({ length: n }, () => {
    const label = random() < 0.5 ? 0 : 1;
    const words = Array.from({ length: 30 }, () => pick(filler));
    for (let k = 0; k < 2; k++) words.splice(Math.floor(random() * words.length), 0, pick(label ? positive : negative));
    return { text: words.join(' '), label };
  });
}

describe('NBSVM features', () => {
  it('hashes with 32-bit FNV-1a over UTF-8 bytes', () => {
    // Published FNV-1a test vectors.
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
    for (const text of ["don't", 'café', 'naïve résumé', '日本語', 'emoji 🎬!', 'lone \ud800 surrogate']) {
      expect(fnv1a32(text)).toBe(referenceFnv1a(new TextEncoder().encode(text)));
    }
  });

  it('is deterministic and spreads tokens over the buckets', () => {
    const tokens = Array.from({ length: 10_000 }, (_, i) => `word${i}`);
    expect(tokens.map((t) => ngramBucket([t], 18))).toEqual(tokens.map((t) => ngramBucket([t], 18)));
    // 10,000 tokens in 256 buckets: about 39 each; a poor hash (e.g. of the last characters only) piles them up.
    const loads = new Array<number>(256).fill(0);
    for (const t of tokens) loads[ngramBucket([t], 8)]!++;
    expect(Math.min(...loads)).toBeGreaterThan(15);
    expect(Math.max(...loads)).toBeLessThan(70);
    // In 2^18 buckets, 10,000 tokens collide about 190 times (n²/2m).
    expect(new Set(tokens.map((t) => ngramBucket([t], 18))).size).toBeGreaterThan(9_700);
  });

  it('folds every hash into [0, 2^bits) by xor-folding the bits above onto the low bits', () => {
    // The fold as the file header names it, in plain arithmetic: bit k of the bucket is bit k of the hash xor
    // bit k + bits of the hash, for k < bits.
    const bit = (n: number, k: number) => Math.floor(n / 2 ** k) % 2;
    const fold = (hash: number, bits: number) =>
      Array.from({ length: bits }, (_, k) => (bit(hash, k) !== bit(hash, k + bits) ? 2 ** k : 0)).reduce(
        (a, b) => a + b,
      );
    for (const bits of [1, 5, 18, 30]) {
      for (const hash of [0, 1, 0x811c9dc5, 0xffffffff, fnv1a32('x')]) {
        expect(foldHash(hash, bits), `${hash} in ${bits} bits`).toBe(fold(hash, bits));
      }
    }
  });

  it('counts unigrams and adjacent bigrams once each, after the tokenizer', () => {
    const bits = 20;
    const expected = [['good'], ['movie'], ['good', 'movie'], ['movie', 'good'], ['not'], ['good', 'not']];
    const buckets = bucketsOf('Good movie <br /> GOOD. Movie good not!', bits);
    // good, movie, "good movie", "movie good", not, "good not": repeats are binarized away.
    expect(new Set(buckets)).toEqual(new Set(expected.map((g) => ngramBucket(g, bits))));
    expect(buckets).toHaveLength(6);
    expect(bucketsOf('not good', bits)).toContain(ngramBucket(['not', 'good'], bits));
    expect(ngramBucket(['not', 'good'], bits)).not.toBe(ngramBucket(['good', 'not'], bits));
    expect(bucketsOf('', bits)).toEqual([]);
  });

  it('keeps the buckets of each review separate when extracting many', () => {
    const texts = ['a b', 'b a c', '', 'a'];
    const rows = extractRows(texts, 16);
    expect(Array.from(rows.offsets)).toEqual([0, 3, 8, 8, 9]);
    texts.forEach((text, i) => {
      const row = Array.from(rows.indices.subarray(rows.offsets[i], rows.offsets[i + 1]));
      expect(row).toEqual(bucketsOf(text, 16));
    });
  });
});

describe('NB log-count ratio', () => {
  it('equals the hand-computed values on a small table', () => {
    // Three positive rows and one negative row over 4 buckets.
    const rows: SparseRows = {
      bits: 2,
      indices: Int32Array.from([0, 1, 0, 0, 3, 2]),
      offsets: Int32Array.from([0, 2, 3, 5, 6]),
    };
    const r = nbRatio(rows, [1, 1, 1, 0], 1);
    // p = 1 + [3, 1, 0, 1] = [4, 2, 1, 2], |p| = 9; q = 1 + [0, 0, 1, 0] = [1, 1, 2, 1], |q| = 5;
    // r_j = log((p_j / 9) / (q_j / 5)).
    const expected = [Math.log(20 / 9), Math.log(10 / 9), Math.log(5 / 18), Math.log(10 / 9)];
    expected.forEach((value, j) => expect(r[j]).toBeCloseTo(value, 12));
  });
});

describe('NBSVM training', () => {
  const train = syntheticReviews(1500, 1);
  const validation = syntheticReviews(300, 2);
  const test = syntheticReviews(500, 3);
  const options = { bits: 14, l2: [1e-4], epochs: 4, svmC: [0.1], seed: 7 };

  it('separates a synthetic dataset, bigrams included, in float32 and int8', () => {
    const result = trainNbsvm(train, validation, options);
    expect(result.validation.float32.accuracy).toBeGreaterThan(0.97);
    const labels = test.map((t) => t.label);
    const float = result.model.score(test.map((t) => t.text));
    const int8 = result.quantized.score(test.map((t) => t.text));
    const accuracy = (scores: Float32Array) =>
      labels.filter((label, i) => (scores[i]! >= 0.5 ? 1 : 0) === label).length / labels.length;
    expect(accuracy(float)).toBeGreaterThan(0.97);
    expect(accuracy(int8)).toBeGreaterThan(0.97);
    let maxDiff = 0;
    float.forEach((s, i) => (maxDiff = Math.max(maxDiff, Math.abs(s - int8[i]!))));
    expect(maxDiff).toBeLessThan(0.02);
    // These differ in "bad" and "great", which are as frequent in either class, and in the decisive bigrams.
    const [notBad, notGreat] = result.model.score(['filler1 not bad filler2', 'filler1 not great filler2']);
    expect(notBad).toBeGreaterThan(0.8);
    expect(notGreat).toBeLessThan(0.2);
    expect(result.quantized.weights).toBeInstanceOf(Int8Array);
    expect(result.model.quantization).toBe('float32');
  });

  it('is deterministic for a seed', () => {
    const a = trainNbsvm(train, validation, { ...options, classifiers: ['logistic'] });
    const b = trainNbsvm(train, validation, { ...options, classifiers: ['logistic'] });
    expect(b.model.weights).toEqual(a.model.weights);
    expect(b.model.bias).toBe(a.model.bias);
  });

  it('trains each classifier alone and records every candidate', () => {
    const logistic = trainNbsvm(train, validation, { ...options, classifiers: ['logistic'] });
    expect(logistic.choice.classifier).toBe('logistic');
    expect(logistic.candidates).toHaveLength(4); // one λ, validated after each of 4 epochs
    const svm = trainNbsvm(train, validation, { ...options, classifiers: ['svm'], betas: [0.25, 1] });
    expect(svm.choice.classifier).toBe('svm');
    expect(svm.candidates.map((c) => c.beta)).toEqual([0.25, 1]);
    expect(svm.validation.float32.accuracy).toBeGreaterThan(0.97);
  });
});

describe('NBSVM model files', () => {
  function randomModel(bits: number, seed: number): NbsvmModel {
    const random = seededRandom(seed);
    const weights = Float32Array.from({ length: 2 ** bits }, () => (random() - 0.5) * 3);
    return new NbsvmModel(bits, -0.123456789, weights, 1, { note: 'test' });
  }

  it('round-trips float32 and int8 exactly through bytes and files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nbsvm-'));
    try {
      const texts = ['A fine film, not bad at all.', 'Dull <br /> and long', ''];
      for (const model of [randomModel(12, 1), randomModel(12, 1).quantize()]) {
        const back = NbsvmModel.fromBytes(model.toBytes());
        expect(back.quantization).toBe(model.quantization);
        expect(back.bits).toBe(12);
        expect(back.bias).toBe(model.bias);
        expect(back.scale).toBe(model.scale);
        expect(back.weights).toEqual(model.weights);
        expect(back.info).toEqual({ note: 'test' });
        expect(back.score(texts)).toEqual(model.score(texts));
        const path = join(dir, `${model.quantization}.bin`);
        const bytes = saveModel(path, model);
        expect(bytes).toBeLessThan((model.quantization === 'int8' ? 1 : 4) * 2 ** 12 + 512);
        expect(loadModel(path).weights).toEqual(model.weights);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('quantizes symmetrically per tensor, within half a step of each weight', () => {
    const model = randomModel(10, 2);
    const q = model.quantize();
    const max = Math.max(...Array.from(model.weights, Math.abs));
    expect(q.scale).toBeCloseTo(max / 127, 12);
    expect(Math.max(...Array.from(q.weights, Math.abs))).toBe(127);
    const halfStep = q.scale / 2 + 1e-7;
    model.weights.forEach((w, i) => expect(Math.abs(q.scale * q.weights[i]! - w)).toBeLessThanOrEqual(halfStep));
  });

  it('names bits, hash, tokenizer and quantization in the header, and refuses another tokenizer', () => {
    const bytes = randomModel(8, 3).quantize().toBytes();
    const length = new DataView(bytes.buffer).getUint32(4, true);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length)));
    const names = { bits: 8, hash: 'fnv1a32-utf8-xorfold', tokenizer: TOKENIZER_VERSION, quantization: 'int8' };
    expect(header).toMatchObject(names);
    expect(bytes.length).toBe(8 + length + 256);
    const other = new TextEncoder().encode(JSON.stringify({ ...header, tokenizer: 'other-v0' }).padEnd(length, ' '));
    expect(other.length).toBe(length);
    const edited = bytes.slice();
    edited.set(other, 8);
    expect(() => NbsvmModel.fromBytes(edited)).toThrow(/tokenizer other-v0/);
    expect(() => NbsvmModel.fromBytes(bytes.subarray(0, bytes.length - 1))).toThrow(/bytes/);
  });
});
