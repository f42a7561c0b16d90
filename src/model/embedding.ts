/**
 * The served model's word vectors (its embedding table, read from the scoring graph's weights) and the words
 * nearest to a word by cosine similarity.
 *
 * An int8 export stores row r as int8 values q_r and a positive float scale s_r (the vector is s_r * q_r). The
 * cosine of two such vectors is (s_a s_b q_a.q_b) / (s_a |q_a| s_b |q_b|) = q_a.q_b / (|q_a| |q_b|): the scales
 * cancel, so the similarities are computed on the int8 rows, viewed in place in the model file, and equal those
 * of the dequantized rows up to float rounding.
 */
import { elementCount, OnnxDataType, type OnnxInitializer } from './onnx-initializers.ts';
import { INITIALIZERS } from './parameters.ts';

export interface Neighbour {
  id: number;
  /** Cosine similarity, -1..1. */
  similarity: number;
}

/** A float32 view of little-endian bytes: in place when aligned (typed arrays need it), else a copy. */
function float32s(raw: Uint8Array): Float32Array {
  if (raw.byteOffset % 4 === 0) return new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
  return new Float32Array(new Uint8Array(raw).buffer);
}

/** 1 / |v| (0 for a zero vector, whose similarity to anything is then 0). */
const inverse = (squares: number) => (squares > 0 ? 1 / Math.sqrt(squares) : 0);

/**
 * query . values[offset, offset + dim). A small function of its own: called once per row, it is hot (and compiled
 * by V8's optimizing tier) within the first query, which the isolate's start-up runs, so that a request's query
 * does not run the slow first tiers. `dim` is passed rather than read as query.length: once any ArrayBuffer has
 * been detached in the isolate (Node's Response does it), V8 reloads a typed array's length on every read of it,
 * and a query measured 3.8 ms in Node with query.length against 2.5 ms with `dim` (2.0 ms before any detach).
 */
function rowDot(query: Float64Array, values: Int8Array | Float32Array, offset: number, dim: number): number {
  let dot = 0;
  for (let k = 0; k < dim; k++) dot += query[k]! * values[offset + k]!;
  return dot;
}

/** |values[offset, offset + dim)|^2, like rowDot (and without copying the row). */
function rowSquares(values: Int8Array | Float32Array, offset: number, dim: number): number {
  let sum = 0;
  for (let k = offset, end = offset + dim; k < end; k++) sum += values[k]! * values[k]!;
  return sum;
}

export class EmbeddingTable {
  /** 1 / |row| for each row, computed on first use (one pass over the table). */
  private inverseNorms: Float64Array | undefined;

  private constructor(
    /** Row-major [rows, dim]: the int8 values of an int8 export, the float values of a float one. */
    private readonly values: Int8Array | Float32Array,
    readonly rows: number,
    readonly dim: number,
  ) {}

  /** Whether the rows are the int8 values of an int8 export (true) or float32 values. */
  get int8(): boolean {
    return this.values instanceof Int8Array;
  }

  /** The table of the scoring graph's weights (checked by checkInitializers). */
  static fromInitializers(initializers: ReadonlyMap<string, OnnxInitializer>): EmbeddingTable {
    const int8 = initializers.get(INITIALIZERS.embeddingInt8);
    const table = int8 ?? initializers.get(INITIALIZERS.embeddingFloat);
    if (!table?.raw || table.dims.length !== 2) throw new Error('The scoring graph has no embedding table.');
    const [rows, dim] = table.dims as [number, number];
    const raw = table.raw;
    const values =
      int8 && int8.dataType === OnnxDataType.INT8
        ? new Int8Array(raw.buffer, raw.byteOffset, raw.byteLength)
        : float32s(raw);
    if (values.length !== elementCount(table.dims)) throw new Error('The embedding table is cut short.');
    return new EmbeddingTable(values, rows, dim);
  }

  /** Row `id` as float64 values. */
  private row(id: number): Float64Array {
    return Float64Array.from(this.values.subarray(id * this.dim, (id + 1) * this.dim));
  }

  private norms(): Float64Array {
    if (!this.inverseNorms) {
      const norms = new Float64Array(this.rows);
      for (let r = 0; r < this.rows; r++) norms[r] = inverse(rowSquares(this.values, r * this.dim, this.dim));
      this.inverseNorms = norms;
    }
    return this.inverseNorms;
  }

  /** The cosine similarity of rows `id` and `other`, computed as nearest() computes it (to the last bit). */
  similarity(id: number, other: number): number {
    const norms = this.norms();
    return rowDot(this.row(id), this.values, other * this.dim, this.dim) * norms[other]! * norms[id]!;
  }

  /**
   * The `count` rows most similar to row `id`: similarity descending, then id ascending; `id` itself and the
   * rows in `skip` (padding, unknown word) left out. Reads every row once: rows x dim multiply-adds.
   */
  nearest(id: number, count: number, skip: readonly number[] = []): Neighbour[] {
    const { values, dim, rows } = this;
    if (!Number.isInteger(id) || id < 0 || id >= rows) throw new RangeError(`No row ${id} in the embedding.`);
    const best: Neighbour[] = [];
    if (count < 1) return best;
    const norms = this.norms();
    const query = this.row(id);
    const scale = norms[id]!;
    // Kept sorted: rows come in ascending order, so a row only displaces an earlier one with a strictly higher
    // similarity, and ties keep the lower id first. Most rows fall below the worst one kept.
    let worst = Number.NEGATIVE_INFINITY;
    for (let r = 0; r < rows; r++) {
      const similarity = rowDot(query, values, r * dim, dim) * norms[r]! * scale;
      if (similarity <= worst || r === id || skip.includes(r)) continue;
      let at = best.length;
      while (at > 0 && best[at - 1]!.similarity < similarity) at--;
      best.splice(at, 0, { id: r, similarity });
      if (best.length > count) best.pop();
      if (best.length === count) worst = best[count - 1]!.similarity;
    }
    return best;
  }
}
