/**
 * Memory of the Worker's isolate in workerd, which is what Cloudflare's 128 MB per-isolate limit applies to
 * (process RSS also counts wrangler, workerd itself and shared pages). Starts `wrangler dev`, takes V8 heap
 * snapshots through its inspector, and splits each into ONNX Runtime's wasm memory and the rest.
 */
import { waitFor } from '../scripts/dev-server.ts';
import { mib } from './stats.ts';
import { type Cdp, startWorker } from './workerd.ts';

export interface IsolateRequest {
  label: string;
  path: string;
  /** Sent as JSON. */
  body: unknown;
}

export interface IsolateMemoryRow {
  label: string;
  /** HTTP status of the request before the snapshot (GET /healthz for the first). */
  status: number;
  /** Sum of every heap snapshot node's self size (V8 heap + ArrayBuffer backing stores + compiled wasm). */
  totalBytes: number;
  /** WebAssembly.Memory backing stores (ONNX Runtime's heap); it only grows, so it also shows the peak. */
  wasmBytes: number;
  /** totalBytes - wasmBytes: the JS heap, other ArrayBuffers (the model's bytes) and compiled wasm code. */
  jsBytes: number;
}

/** A heap snapshot's JSON text; V8 collects garbage first, so this is what stays retained. */
async function snapshot(inspector: Cdp): Promise<string> {
  const chunks: string[] = [];
  const collect = (params: unknown) => chunks.push((params as { chunk: string }).chunk);
  const off = inspector.on('HeapProfiler.addHeapSnapshotChunk', collect);
  try {
    await inspector.send('HeapProfiler.enable');
    await inspector.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  } finally {
    off();
  }
  return chunks.join('');
}

interface HeapSnapshot {
  snapshot: {
    meta: {
      node_fields: string[];
      node_types: [string[], ...unknown[]];
      edge_fields: string[];
      edge_types: [string[], ...unknown[]];
    };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

/** Total, wasm-memory and compiled-wasm-code bytes of a .heapsnapshot. */
function summariseSnapshot(text: string): { totalBytes: number; wasmBytes: number; wasmCodeBytes: number } {
  const { snapshot, nodes, edges, strings } = JSON.parse(text) as HeapSnapshot;
  const nf = snapshot.meta.node_fields;
  const ef = snapshot.meta.edge_fields;
  const [N, E] = [nf.length, ef.length];
  const [NAME, SIZE, EDGES] = [nf.indexOf('name'), nf.indexOf('self_size'), nf.indexOf('edge_count')];
  const [EDGE_TYPE, EDGE_NAME, TO] = [ef.indexOf('type'), ef.indexOf('name_or_index'), ef.indexOf('to_node')];
  const [TYPE, types, edgeTypes] = [nf.indexOf('type'), snapshot.meta.node_types[0], snapshot.meta.edge_types[0]];
  const count = nodes.length / N;
  // Edges are stored in node order, each node owning `edge_count` of them.
  const firstEdge = new Uint32Array(count + 1);
  for (let i = 0; i < count; i++) firstEdge[i + 1] = firstEdge[i]! + nodes[i * N + EDGES]! * E;
  const name = (node: number) => strings[nodes[node * N + NAME]!]!;
  const size = (node: number) => nodes[node * N + SIZE]!;
  function* children(node: number): Generator<{ to: number; name: string | number }> {
    for (let e = firstEdge[node]!; e < firstEdge[node + 1]!; e += E) {
      const type = edgeTypes[edges[e + EDGE_TYPE]!];
      const raw = edges[e + EDGE_NAME]!;
      yield { to: edges[e + TO]! / N, name: type === 'element' || type === 'hidden' ? raw : strings[raw]! };
    }
  }

  // Wasm memory shows up as a plain "system / JSArrayBufferData" node (the backing store of a SharedArrayBuffer
  // here, as ONNX Runtime's build uses shared memory), so it is found by its owner rather than by name or size:
  // a WebAssembly.Memory object (named "Memory"; V8 also links each instance to it through `memory_objects`)
  // -> its (Shared)ArrayBuffer -> `backing_store`.
  const memories = new Set<number>();
  let totalBytes = 0;
  let wasmCodeBytes = 0;
  for (let i = 0; i < count; i++) {
    totalBytes += size(i);
    if (name(i) === 'Memory' && types[nodes[i * N + TYPE]!] === 'object') memories.add(i);
    // Machine code of compiled wasm modules: reported apart, as it is not ONNX Runtime's data.
    if (name(i).includes('WasmNativeModule')) wasmCodeBytes += size(i);
    for (const edge of children(i)) {
      if (edge.name !== 'memory_objects') continue;
      for (const memory of children(edge.to)) memories.add(memory.to);
    }
  }
  const stores = new Set<number>();
  for (const memory of memories) {
    for (const buffer of children(memory)) {
      if (name(buffer.to) !== 'ArrayBuffer' && name(buffer.to) !== 'SharedArrayBuffer') continue;
      for (const store of children(buffer.to)) if (store.name === 'backing_store') stores.add(store.to);
    }
  }
  let wasmBytes = 0;
  for (const store of stores) wasmBytes += size(store);
  return { totalBytes, wasmBytes, wasmCodeBytes };
}

/**
 * Starts the Worker with `PLAN` = `plan` (wrangler dev --var), snapshots its isolate once /healthz answers 200,
 * then POSTs each request in order and snapshots after each. wrangler is stopped whatever happens.
 */
export async function measureIsolateMemory(options: {
  plan: 'free' | 'paid';
  requests: IsolateRequest[];
  log?: (line: string) => void;
}): Promise<{ afterStart: IsolateMemoryRow; afterEach: IsolateMemoryRow[] }> {
  const log = options.log ?? (() => {});
  const worker = await startWorker({ plan: options.plan });
  try {
    const healthy = async () => (await fetch(`${worker.url}/healthz`)).status === 200;
    await waitFor(healthy, 90_000, `${worker.url}/healthz`, worker.output);
    const startOutput = worker.output().length;

    const row = async (label: string, status: number): Promise<IsolateMemoryRow> => {
      const { totalBytes, wasmBytes, wasmCodeBytes } = summariseSnapshot(await snapshot(worker.inspector));
      if (wasmBytes === 0) log(`${label}: no WebAssembly.Memory found in the snapshot; wasmBytes is 0`);
      log(
        `${label}: HTTP ${status}, isolate ${mib(totalBytes)} = wasm memory ${mib(wasmBytes)} + the rest ` +
          `${mib(totalBytes - wasmBytes)} (of which compiled wasm code ${mib(wasmCodeBytes)})`,
      );
      return { label, status, totalBytes, wasmBytes, jsBytes: totalBytes - wasmBytes };
    };
    const afterStart = await row('after start', 200);
    const afterEach: IsolateMemoryRow[] = [];
    for (const request of options.requests) {
      // The whole answer is read before the snapshot: the request is over.
      const { status } = await worker.post(request.path, request.body);
      afterEach.push(await row(request.label, status));
    }
    // A source file changed meanwhile: workerd restarted the Worker and the rows mix two isolates.
    if (/reloading/i.test(worker.output().slice(startOutput))) {
      log('warning: the Worker reloaded during the measurement');
    }
    return { afterStart, afterEach };
  } finally {
    await worker.stop();
  }
}
