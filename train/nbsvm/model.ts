/**
 * The served NBSVM model: one weight per hashed bucket (the NB ratio already folded in) and a bias,
 * score = sigmoid(bias + sum of the weights of the buckets present in a review), in float32 or int8.
 *
 * File format (little endian): "NBSV", uint32 header length, the header as UTF-8 JSON (space-padded to a multiple of
 * 4 bytes), then 2^bits weights, float32 or int8. The header names what a reader must match to score the same
 * way: bits, hash, features, tokenizer version, quantization (and the int8 scale).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { TOKENIZER_VERSION } from '../../src/tokenizer/index.ts';
import { checkBits, FEATURES_NAME, FeatureExtractor, HASH_NAME } from './features.ts';

export type Quantization = 'float32' | 'int8';

export interface NbsvmHeader {
  format: 'nbsvm';
  version: 1;
  bits: number;
  hash: string;
  features: string;
  tokenizer: string;
  quantization: Quantization;
  bias: number;
  /** weight = scale * stored value (1 for float32). */
  scale: number;
  /** How the model was trained (classifier, hyper-parameters, data), for people; not read back by scoring. */
  info?: Record<string, unknown>;
}

const MAGIC = [0x4e, 0x42, 0x53, 0x56]; // "NBSV"

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

export class NbsvmModel {
  readonly bits: number;
  readonly bias: number;
  /** One per bucket; weight = scale * weights[i]. */
  readonly weights: Float32Array | Int8Array;
  readonly scale: number;
  readonly info: Record<string, unknown>;
  private extractor: FeatureExtractor | undefined;

  constructor(
    bits: number,
    bias: number,
    weights: Float32Array | Int8Array,
    scale = 1,
    info: Record<string, unknown> = {},
  ) {
    checkBits(bits);
    if (weights.length !== 1 << bits) {
      throw new Error(`expected ${1 << bits} weights for ${bits} bits, got ${weights.length}`);
    }
    if (weights instanceof Float32Array && scale !== 1) throw new Error('float32 weights take no scale');
    this.bits = bits;
    this.bias = bias;
    this.weights = weights;
    this.scale = scale;
    this.info = info;
  }

  get quantization(): Quantization {
    return this.weights instanceof Int8Array ? 'int8' : 'float32';
  }

  /** The log-odds of a positive review. */
  logit(text: string): number {
    this.extractor ??= new FeatureExtractor(this.bits);
    const count = this.extractor.extract(text);
    return this.logitOfBuckets(this.extractor.buckets, count);
  }

  /** The log-odds from distinct buckets (buckets[0, count)). */
  logitOfBuckets(buckets: ArrayLike<number>, count: number): number {
    const { weights } = this;
    // One loop per array type keeps each element access monomorphic for V8. For int8 the sum is of integers
    // (exact), scaled once.
    let sum = 0;
    if (weights instanceof Int8Array) {
      for (let k = 0; k < count; k++) sum += weights[buckets[k]!]!;
    } else {
      for (let k = 0; k < count; k++) sum += weights[buckets[k]!]!;
    }
    return this.bias + this.scale * sum;
  }

  /** Probability of a positive review, for each text. */
  score(texts: readonly string[]): Float32Array {
    const out = new Float32Array(texts.length);
    for (let i = 0; i < texts.length; i++) out[i] = sigmoid(this.logit(texts[i]!));
    return out;
  }

  /** Symmetric per-tensor int8: scale = max |w| / 127, q = round(w / scale). */
  quantize(): NbsvmModel {
    if (this.weights instanceof Int8Array) return this;
    let max = 0;
    for (const w of this.weights) max = Math.max(max, Math.abs(w));
    const scale = max > 0 ? max / 127 : 1;
    const q = new Int8Array(this.weights.length);
    for (let i = 0; i < q.length; i++) q[i] = Math.max(-127, Math.min(127, Math.round(this.weights[i]! / scale)));
    return new NbsvmModel(this.bits, this.bias, q, scale, this.info);
  }

  header(): NbsvmHeader {
    return {
      format: 'nbsvm',
      version: 1,
      bits: this.bits,
      hash: HASH_NAME,
      features: FEATURES_NAME,
      tokenizer: TOKENIZER_VERSION,
      quantization: this.quantization,
      bias: this.bias,
      scale: this.scale,
      info: this.info,
    };
  }

  toBytes(): Uint8Array {
    const json = new TextEncoder().encode(JSON.stringify(this.header()));
    // Space padding keeps the JSON valid and the weights 4-byte aligned.
    const header = new Uint8Array(Math.ceil(json.length / 4) * 4).fill(0x20);
    header.set(json);
    const elementSize = this.weights instanceof Int8Array ? 1 : 4;
    const bytes = new Uint8Array(8 + header.length + this.weights.length * elementSize);
    const view = new DataView(bytes.buffer);
    bytes.set(MAGIC, 0);
    view.setUint32(4, header.length, true);
    bytes.set(header, 8);
    const start = 8 + header.length;
    if (this.weights instanceof Int8Array) {
      bytes.set(new Uint8Array(this.weights.buffer, this.weights.byteOffset, this.weights.length), start);
    } else {
      for (let i = 0; i < this.weights.length; i++) view.setFloat32(start + 4 * i, this.weights[i]!, true);
    }
    return bytes;
  }

  static fromBytes(bytes: Uint8Array): NbsvmModel {
    if (bytes.length < 8 || MAGIC.some((b, i) => bytes[i] !== b)) {
      throw new Error('not an NBSVM model file (bad magic)');
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const headerLength = view.getUint32(4, true);
    if (8 + headerLength > bytes.length) throw new Error('NBSVM model file truncated in its header');
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as NbsvmHeader;
    if (header.format !== 'nbsvm' || header.version !== 1) {
      throw new Error(`unsupported model format ${header.format} v${header.version}`);
    }
    if (header.hash !== HASH_NAME) throw new Error(`model hashes with ${header.hash}, this code with ${HASH_NAME}`);
    if (header.features !== FEATURES_NAME) {
      throw new Error(`model features are ${header.features}, this code's ${FEATURES_NAME}`);
    }
    if (header.tokenizer !== TOKENIZER_VERSION) {
      throw new Error(`model was trained with tokenizer ${header.tokenizer}, this code has ${TOKENIZER_VERSION}`);
    }
    checkBits(header.bits);
    const n = 1 << header.bits;
    const start = 8 + headerLength;
    const elementSize = header.quantization === 'int8' ? 1 : header.quantization === 'float32' ? 4 : 0;
    if (elementSize === 0) throw new Error(`unknown quantization ${header.quantization}`);
    if (bytes.length !== start + n * elementSize) {
      throw new Error(`NBSVM model file has ${bytes.length} bytes, expected ${start + n * elementSize}`);
    }
    let weights: Float32Array | Int8Array;
    if (elementSize === 1) {
      weights = new Int8Array(n);
      weights.set(new Int8Array(bytes.buffer, bytes.byteOffset + start, n));
    } else {
      weights = new Float32Array(n);
      for (let i = 0; i < n; i++) weights[i] = view.getFloat32(start + 4 * i, true);
    }
    return new NbsvmModel(header.bits, header.bias, weights, header.scale, header.info ?? {});
  }
}

export function saveModel(path: string, model: NbsvmModel): number {
  const bytes = model.toBytes();
  writeFileSync(path, bytes);
  return bytes.length;
}

export function loadModel(path: string): NbsvmModel {
  return NbsvmModel.fromBytes(readFileSync(path));
}
