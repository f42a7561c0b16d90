/**
 * Symmetric per-row int8 quantization: each row of a [rows, cols] matrix gets its own float32 scale
 * maxabs(row) / 127, and value ≈ q * scale with q in [-127, 127] (never -128, so the range is symmetric).
 * The rounding error of every element is at most scale / 2.
 */

export interface QuantizedRows {
  rows: number;
  cols: number;
  /** Row-major int8 values, rows * cols. */
  values: Int8Array;
  /** One float32 scale per row; 0 for an all-zero row. */
  scales: Float32Array;
}

export function quantizeRows(data: Float32Array, rows: number, cols: number): QuantizedRows {
  if (data.length !== rows * cols)
    throw new Error(`quantizeRows: expected ${rows}x${cols} values, got ${data.length}.`);
  const values = new Int8Array(rows * cols);
  const scales = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const offset = r * cols;
    let maxAbs = 0;
    for (let c = 0; c < cols; c++) maxAbs = Math.max(maxAbs, Math.abs(data[offset + c]!));
    if (!Number.isFinite(maxAbs)) throw new Error(`quantizeRows: row ${r} holds a non-finite value.`);
    // The scale is rounded to float32 first and the values are divided by the rounded scale, so the bound
    // |x - q * scale| <= scale / 2 holds for the scale the graph actually multiplies by.
    const scale = Math.fround(maxAbs / 127);
    scales[r] = scale;
    if (scale === 0) continue;
    for (let c = 0; c < cols; c++) {
      values[offset + c] = Math.max(-127, Math.min(127, Math.round(data[offset + c]! / scale)));
    }
  }
  return { rows, cols, values, scales };
}

/** The float32 values the graph computes: Cast(q) * scale, per row. */
export function dequantizeRows({ rows, cols, values, scales }: QuantizedRows): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const scale = scales[r]!;
    for (let c = 0; c < cols; c++) out[r * cols + c] = values[r * cols + c]! * scale;
  }
  return out;
}
