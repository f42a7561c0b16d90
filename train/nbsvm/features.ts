/**
 * Hashed, binarized unigram + bigram features of a review, for the NBSVM baseline.
 *
 * Words come from the project's tokenizer (splitWords, without negation marking: the bigrams see "not good").
 * Each unigram "w" and each adjacent pair "a b" (the two words joined by one space, so no pair can equal a word)
 * is hashed with 32-bit FNV-1a over its UTF-8 bytes and xor-folded to `bits` bits, the folding FNV's authors
 * recommend for power-of-two tables. Hashing by hand: Node's crypto hashes are far too slow per word, and the
 * bytes are walked without encoding each word into a buffer.
 */
import { splitWords } from '../../src/tokenizer/index.ts';

/** Names the hash in model files, so a reader with another hash refuses the model. */
export const HASH_NAME = 'fnv1a32-utf8-xorfold';
/** Names the features in model files. */
export const FEATURES_NAME = 'unigram+bigram-binary';
export const DEFAULT_BITS = 18;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const SPACE = 0x20;

/** Continues a 32-bit FNV-1a hash `h` over the UTF-8 bytes of `text` (lone surrogates as U+FFFD, as TextEncoder). */
export function fnv1aContinue(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      h = Math.imul(h ^ c, FNV_PRIME);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
        h = Math.imul(h ^ (0xf0 | (c >>> 18)), FNV_PRIME);
        h = Math.imul(h ^ (0x80 | ((c >>> 12) & 0x3f)), FNV_PRIME);
        h = Math.imul(h ^ (0x80 | ((c >>> 6) & 0x3f)), FNV_PRIME);
        h = Math.imul(h ^ (0x80 | (c & 0x3f)), FNV_PRIME);
        continue;
      }
      c = 0xfffd;
    }
    if (c < 0x800) {
      h = Math.imul(h ^ (0xc0 | (c >>> 6)), FNV_PRIME);
    } else {
      h = Math.imul(h ^ (0xe0 | (c >>> 12)), FNV_PRIME);
      h = Math.imul(h ^ (0x80 | ((c >>> 6) & 0x3f)), FNV_PRIME);
    }
    h = Math.imul(h ^ (0x80 | (c & 0x3f)), FNV_PRIME);
  }
  return h >>> 0;
}

/** 32-bit FNV-1a of the UTF-8 bytes of `text`, unsigned. */
export function fnv1a32(text: string): number {
  return fnv1aContinue(FNV_OFFSET, text);
}

/** The bucket, in [0, 2^bits), of a 32-bit hash. */
export function foldHash(hash: number, bits: number): number {
  return bits >= 32 ? hash >>> 0 : ((hash >>> bits) ^ hash) & ((1 << bits) - 1);
}

/** The bucket of one n-gram given as its words (one or two), as FeatureExtractor computes it. */
export function ngramBucket(words: readonly string[], bits: number): number {
  return foldHash(fnv1a32(words.join(' ')), bits);
}

export function checkBits(bits: number): void {
  if (!Number.isInteger(bits) || bits < 1 || bits > 30) {
    throw new Error(`bits must be an integer in 1..30, got ${bits}`);
  }
}

/**
 * Extracts the distinct buckets of a review into a reused buffer. One extractor per model (or per thread): the
 * buffers make it stateful. Distinctness is tracked with a stamp per bucket, so nothing is cleared or sorted
 * between reviews.
 */
export class FeatureExtractor {
  readonly bits: number;
  /** Distinct buckets of the last review, in first-seen order, in buckets[0, count). */
  buckets = new Int32Array(1024);
  private readonly stamps: Uint32Array;
  private stamp = 0;

  constructor(bits = DEFAULT_BITS) {
    checkBits(bits);
    this.bits = bits;
    this.stamps = new Uint32Array(1 << bits);
  }

  /** Fills `buckets` with the distinct buckets of `text` and returns how many there are. */
  extract(text: string): number {
    return this.extractWords(splitWords(text));
  }

  /** As extract, from words already split. */
  extractWords(words: readonly string[]): number {
    if (this.buckets.length < 2 * words.length) this.buckets = new Int32Array(2 * words.length + 1024);
    if (++this.stamp === 0xffffffff) {
      this.stamps.fill(0);
      this.stamp = 1;
    }
    const { bits, stamps, stamp, buckets } = this;
    let count = 0;
    let previous = 0;
    for (let i = 0; i < words.length; i++) {
      const word = words[i]!;
      const hash = fnv1aContinue(FNV_OFFSET, word);
      const unigram = foldHash(hash, bits);
      if (stamps[unigram] !== stamp) {
        stamps[unigram] = stamp;
        buckets[count++] = unigram;
      }
      if (i > 0) {
        // The hash of "previous word" continued over " word": FNV-1a of the pair without building the string.
        const bigram = foldHash(fnv1aContinue(Math.imul(previous ^ SPACE, FNV_PRIME), word), bits);
        if (stamps[bigram] !== stamp) {
          stamps[bigram] = stamp;
          buckets[count++] = bigram;
        }
      }
      previous = hash;
    }
    return count;
  }
}

/** Distinct buckets of many reviews in compressed rows: review i has indices[offsets[i], offsets[i + 1]). */
export interface SparseRows {
  bits: number;
  indices: Int32Array;
  offsets: Int32Array;
}

/** Extracts every review's buckets into one SparseRows; `progress` is called now and then with the reviews done. */
export function extractRows(texts: readonly string[], bits: number, progress?: (done: number) => void): SparseRows {
  const extractor = new FeatureExtractor(bits);
  const offsets = new Int32Array(texts.length + 1);
  let indices = new Int32Array(Math.max(1024, texts.length * 256));
  let size = 0;
  for (let i = 0; i < texts.length; i++) {
    const count = extractor.extract(texts[i]!);
    if (size + count > indices.length) {
      const grown = new Int32Array(Math.max(indices.length * 2, size + count));
      grown.set(indices.subarray(0, size));
      indices = grown;
    }
    indices.set(extractor.buckets.subarray(0, count), size);
    size += count;
    offsets[i + 1] = size;
    if (progress && (i % 1000 === 999 || i === texts.length - 1)) progress(i + 1);
  }
  return { bits, indices: indices.slice(0, size), offsets };
}
