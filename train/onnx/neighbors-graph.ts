/**
 * The neighbours graph: the words nearest to a word by cosine similarity in the embedding, for GET /how and
 * GET /api/neighbors. Run by ONNX Runtime like the other graphs: a query is vocabulary x dimension multiply-adds,
 * which plain JavaScript ran at 100 ms and more in a fresh isolate (before V8 optimises it) and wasm runs in about
 * a millisecond.
 *
 * - input  `table` [vocab, dim]: the scoring graph's embedding, fed from that file's bytes (int8 in an int8
 *   export: the per-row scales cancel in a cosine, so the int8 rows give the similarities of the dequantized
 *   ones), so the table is not stored twice.
 * - input  `word`  int64 [1]: the word's id.
 * - output `similarity` float32 [k], `ids` int64 [k]: the k most similar rows, most similar first, ties by lower
 *   id (TopK's order); the word itself and the padding and unknown rows are among them and left to the caller.
 */
import type { Architecture } from '../../src/model/metadata.ts';
import { ONNX_NEIGHBORS } from './contract.ts';
import { attr, DataType, GraphBuilder } from './graph.ts';
import { quantizeRows } from './quantize.ts';
import type { OnnxWeights } from './weights.ts';

/** 1 / |row| of each row of a row-major [rows, cols] table (0 for a zero row, whose similarity is then 0). */
export function inverseNorms(values: ArrayLike<number>, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let squares = 0;
    for (let c = 0; c < cols; c++) squares += values[r * cols + c]! ** 2;
    out[r] = squares > 0 ? 1 / Math.sqrt(squares) : 0;
  }
  return out;
}

export function buildNeighborsGraph(w: OnnxWeights, arch: Architecture, quantize: boolean): GraphBuilder {
  const { vocabSize: V, embeddingDim: D } = w;
  const k = Math.min(V, ONNX_NEIGHBORS.k);
  const g = new GraphBuilder(`neighbors_${arch.cell}`);
  const table = g.input(ONNX_NEIGHBORS.table, quantize ? DataType.INT8 : DataType.FLOAT, [V, D]);
  const word = g.input(ONNX_NEIGHBORS.word, DataType.INT64, [1]);
  const rows = quantize ? quantizeRows(w.embedding, V, D).values : w.embedding;
  const norms = g.initializer('inverse_norms', [V], inverseNorms(rows, V, D));
  const query = g.op('Transpose', [g.op('Gather', [table, word], { axis: attr.int(0) }, 'query_row')], {
    perm: attr.ints([1, 0]),
  }); // [D, 1]
  const dots = quantize
    ? g.op('Cast', [g.op('MatMulInteger', [table, query], {}, 'dots_i32')], { to: attr.int(DataType.FLOAT) }, 'dots')
    : g.op('MatMul', [table, query], {}, 'dots');
  const flat = g.op('Reshape', [dots, g.int64s('shape', [-1])], {}, 'dots_v');
  const scaled = g.op('Mul', [
    g.op('Mul', [flat, norms], {}, 'dots_n'),
    g.op('Gather', [norms, word], {}, 'query_norm'),
  ]);
  const [values, ids] = g.opN('TopK', [scaled, g.int64s('k', [k])], ['top_values', 'top_ids'], {
    axis: attr.int(0),
    largest: attr.int(1),
    sorted: attr.int(1),
  });
  g.output(values!, ONNX_NEIGHBORS.similarity, DataType.FLOAT, [k]);
  g.output(ids!, ONNX_NEIGHBORS.ids, DataType.INT64, [k]);
  return g;
}
