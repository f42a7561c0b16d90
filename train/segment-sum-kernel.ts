/**
 * A fast UnsortedSegmentSum for tfjs's pure-JS `cpu` backend.
 *
 * The Embedding layer's gradient is a Gather gradient, which tfjs computes with UnsortedSegmentSum. The cpu
 * backend's own kernel builds one mask per segment (O(segments x rows)): with a 20,000-word vocabulary that is
 * minutes per batch. This kernel adds each row into its segment once (O(rows x dim)). Hand-written because no
 * package provides it; tests/node/segment-sum-kernel.test.ts checks it against tfjs's own kernel.
 */
import * as tf from '@tensorflow/tfjs';

type CpuBackend = tf.KernelBackend & {
  readSync(dataId: object): tf.backend_util.BackendValues;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: tf.backend_util.BackendValues): tf.TensorInfo;
};

/**
 * out[segmentIds[r], ...] += x[r, ...], where r runs over the leading axes of x that segmentIds covers.
 * Ids outside [0, numSegments) are dropped, as in TensorFlow.
 */
export function segmentSum(
  x: ArrayLike<number>,
  segmentIds: ArrayLike<number>,
  numSegments: number,
  out: Float32Array | Int32Array,
): void {
  const rows = segmentIds.length;
  const inner = rows === 0 ? 0 : x.length / rows;
  for (let r = 0; r < rows; r++) {
    const segment = segmentIds[r]!;
    if (segment < 0 || segment >= numSegments) continue;
    const from = r * inner;
    const to = segment * inner;
    for (let k = 0; k < inner; k++) out[to + k]! += x[from + k]!;
  }
}

const unsortedSegmentSumCpu: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const cpu = backend as CpuBackend;
  const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const numSegments = (attrs as { numSegments: number }).numSegments;
  const outShape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
  const size = outShape.reduce((a, b) => a * b, 1);
  const out = x.dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
  segmentSum(cpu.readSync(x.dataId) as ArrayLike<number>, cpu.readSync(segmentIds.dataId) as ArrayLike<number>, numSegments, out);
  return cpu.makeTensorInfo(outShape, x.dtype, out);
};

/** Replaces the cpu backend's UnsortedSegmentSum with the fast one. Safe to call more than once. */
export function registerFastSegmentSum(): void {
  if (tf.getKernel('UnsortedSegmentSum', 'cpu')) tf.unregisterKernel('UnsortedSegmentSum', 'cpu');
  tf.registerKernel({ kernelName: 'UnsortedSegmentSum', backendName: 'cpu', kernelFunc: unsortedSegmentSumCpu });
}
