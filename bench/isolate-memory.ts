/**
 * Memory of the Worker's isolate in workerd, which is what Cloudflare's 128 MB per-isolate limit applies to
 * (process RSS also counts wrangler, workerd itself and shared pages). Starts `wrangler dev`, takes V8 heap
 * snapshots through its inspector, and splits each into ONNX Runtime's wasm memory and the rest.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { freePort, OFFLINE_ENV, ROOT, waitFor } from '../scripts/dev-server.ts';

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

/** The part of the `ws` package used here: it is wrangler's dependency and ships no types of its own. */
interface Socket {
  on(event: 'message', listener: (data: Buffer) => void): void;
  once(event: 'open' | 'close', listener: () => void): void;
  once(event: 'error', listener: (error: Error) => void): void;
  send(data: string): void;
  close(): void;
}
// `ws`, not Node's WebSocket: the inspector proxy refuses connections without an Origin header, which only
// `ws` lets us set. Loaded with require so the missing type declarations do not matter.
const WebSocket = createRequire(import.meta.url)('ws') as new (
  url: string,
  options: { headers: Record<string, string> },
) => Socket;

/** A Chrome DevTools Protocol session on one inspector target. */
async function connect(url: string) {
  const socket = new WebSocket(url, { headers: { Origin: 'http://localhost' } });
  await new Promise<void>((resolve, reject) => (socket.once('open', resolve), socket.once('error', reject)));
  const pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();
  let chunks: string[] = [];
  let nextId = 0;
  const failAll = (error: Error) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  socket.once('error', failAll);
  // The Worker reloading (a source file changed) or workerd dying closes the socket: fail, do not hang.
  socket.once('close', () => failAll(new Error('The inspector connection closed.')));
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as {
      id?: number;
      method?: string;
      params?: { chunk?: string };
      result?: unknown;
      error?: { message: string };
    };
    if (message.method === 'HeapProfiler.addHeapSnapshotChunk') chunks.push(message.params!.chunk!);
    // Replies are matched by id only: this proxy echoes `method` in them too.
    const waiter = message.id === undefined ? undefined : pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id!);
    if (message.error) waiter.reject(new Error(`inspector: ${message.error.message}`));
    else waiter.resolve(message.result);
  });
  const send = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve, reject) => {
      const id = ++nextId;
      pending.set(id, { resolve, reject });
      socket.send(JSON.stringify({ id, method, params }));
    });
  await send('HeapProfiler.enable');
  return {
    /** The snapshot's JSON text; V8 collects garbage first, so this is what stays retained. */
    async snapshot(): Promise<string> {
      chunks = [];
      await send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
      return chunks.join('');
    },
    close: () => socket.close(),
  };
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
export function summariseSnapshot(text: string): { totalBytes: number; wasmBytes: number; wasmCodeBytes: number } {
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

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

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
  const [port, inspectorPort] = [await freePort(), await freePort()];
  const bin = join(ROOT, 'node_modules', '.bin');
  // Spawned here rather than with spawnDevServer, which takes no extra arguments (--var) and keeps its
  // inspector port to itself. node_modules/.bin goes first on PATH as `npm start` has it, so wrangler runs on the
  // project's own Node (wrangler needs a newer one than the system's may be).
  const child = spawn(
    join(bin, 'wrangler'),
    ['dev', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspectorPort),
      '--var', `PLAN:${options.plan}`, '--show-interactive-dev-session=false'],
    {
      cwd: ROOT,
      env: { ...process.env, ...OFFLINE_ENV, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // wrangler runs workerd as its child: signal the whole process group (ours, as it is detached).
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  // A detached group outlives us: kill it if this process exits without reaching `finally`.
  const onExit = () => killGroup('SIGKILL');
  process.once('exit', onExit);

  const url = `http://127.0.0.1:${port}`;
  let inspector: Awaited<ReturnType<typeof connect>> | undefined;
  try {
    const died = exited.then(() => Promise.reject(new Error(`wrangler dev exited early.\nwrangler said:\n${output}`)));
    died.catch(() => {}); // it rejects later, on our own stop, once the race below is long over
    const healthy = async () => (await fetch(`${url}/healthz`)).status === 200;
    await Promise.race([died, waitFor(healthy, 90_000, `${url}/healthz`, () => output)]);
    const listing = await fetch(`http://127.0.0.1:${inspectorPort}/json`);
    const targets = (await listing.json()) as { webSocketDebuggerUrl?: string }[];
    const target = targets.find((t) => t.webSocketDebuggerUrl);
    if (!target) throw new Error(`No inspector target at 127.0.0.1:${inspectorPort}/json: ${JSON.stringify(targets)}`);
    inspector = await connect(target.webSocketDebuggerUrl!);
    const startOutput = output.length;

    const row = async (label: string, status: number): Promise<IsolateMemoryRow> => {
      const { totalBytes, wasmBytes, wasmCodeBytes } = summariseSnapshot(await inspector!.snapshot());
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
      const response = await fetch(`${url}${request.path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(request.body),
      });
      await response.arrayBuffer(); // the request is over before the snapshot
      afterEach.push(await row(request.label, response.status));
    }
    // A source file changed meanwhile: workerd restarted the Worker and the rows mix two isolates.
    if (/reloading/i.test(output.slice(startOutput))) log('warning: the Worker reloaded during the measurement');
    return { afterStart, afterEach };
  } finally {
    inspector?.close();
    // Even when wrangler itself has exited, workerd may still be running in its group.
    killGroup('SIGTERM');
    if (child.exitCode === null && child.signalCode === null) {
      const timer = setTimeout(() => killGroup('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    process.off('exit', onExit);
  }
}
