/**
 * The served model's word vectors: its embedding table, viewed in place in the scoring graph's weights (no copy).
 * The neighbours graph (train/onnx/neighbors-graph.ts) takes it as its input.
 *
 * An int8 export stores row r as int8 values q_r and a positive float scale s_r (the vector is s_r * q_r). The
 * cosine of two such vectors is (s_a s_b q_a.q_b) / (s_a |q_a| s_b |q_b|) = q_a.q_b / (|q_a| |q_b|): the scales
 * cancel, so the int8 rows give the similarities of the dequantized rows.
 */
import { elementCount, OnnxDataType, type OnnxInitializer } from './onnx-initializers.ts';
import { INITIALIZERS } from './parameters.ts';

/** A float32 view of little-endian bytes: in place when aligned (typed arrays need it), else a copy. */
function float32s(raw: Uint8Array): Float32Array {
  if (raw.byteOffset % 4 === 0) return new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
  return new Float32Array(new Uint8Array(raw).buffer);
}

export class EmbeddingTable {
  private constructor(
    /** Row-major [rows, dim]: the int8 values of an int8 export, the float values of a float one. */
    readonly values: Int8Array | Float32Array,
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
}
