/**
 * The scoring graph's input tensor, as plain data: id sequences right-padded into a row-major int32
 * [batch, time] array. Shared by the Worker and the Node tools, which build their `Tensor` from different
 * onnxruntime-web entry points.
 */
export interface PaddedIds {
  data: Int32Array;
  dims: [batch: number, time: number];
}

/**
 * Right-pads each row with `padId` to the longest row (time >= 1, so an empty text is one step of padding,
 * which the graph reads as length 0). Throws on an id that is not a word id (a non-negative integer other than padId).
 */
export function padIds(rows: readonly (readonly number[])[], padId: number): PaddedIds {
  const time = Math.max(1, ...rows.map((ids) => ids.length));
  const data = new Int32Array(rows.length * time).fill(padId);
  rows.forEach((ids, row) => {
    ids.forEach((id, t) => {
      if (!Number.isInteger(id) || id < 0 || id > 0x7fffffff || id === padId) {
        throw new Error(`Row ${row}, position ${t}: ${id} is not a word id (${padId} is padding).`);
      }
      data[row * time + t] = id;
    });
  });
  return { data, dims: [rows.length, time] };
}
