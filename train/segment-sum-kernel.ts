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
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: tf.backend_util.BackendValues): tf.TensorInfo;
};
type WasmBackend = tf.KernelBackend & {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): tf.backend_util.TypedArray;
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

function computeSegmentSum(backend: tf.KernelBackend, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap) {
  const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const numSegments = (attrs as unknown as { numSegments: number }).numSegments;
  const shape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
  const size = shape.reduce((a, b) => a * b, 1);
  const values = x.dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
  segmentSum(
    backend.readSync(x.dataId) as ArrayLike<number>,
    backend.readSync(segmentIds.dataId) as ArrayLike<number>,
    numSegments,
    values,
  );
  return { shape, dtype: x.dtype, values };
}

const kernels: Record<'cpu' | 'wasm', tf.KernelFunc> = {
  cpu: ({ inputs, backend, attrs }) => {
    const { shape, dtype, values } = computeSegmentSum(backend as tf.KernelBackend, inputs, attrs ?? {});
    return (backend as CpuBackend).makeTensorInfo(shape, dtype, values);
  },
  // The wasm backend has no UnsortedSegmentSum at all; its tensors live on the wasm heap.
  wasm: ({ inputs, backend, attrs }) => {
    const wasm = backend as WasmBackend;
    const { shape, dtype, values } = computeSegmentSum(wasm, inputs, attrs ?? {});
    const out = wasm.makeOutput(shape, dtype);
    wasm.typedArrayFromHeap(out).set(values);
    return out;
  },
};

/** Installs the fast UnsortedSegmentSum for the cpu or wasm backend, replacing any. Safe to call twice. */
export function registerFastSegmentSum(backendName: 'cpu' | 'wasm'): void {
  if (tf.getKernel('UnsortedSegmentSum', backendName)) tf.unregisterKernel('UnsortedSegmentSum', backendName);
  tf.registerKernel({ kernelName: 'UnsortedSegmentSum', backendName, kernelFunc: kernels[backendName] });
}
