/**
 * ONNX Runtime Web inside workerd.
 *
 * workerd refuses to compile WebAssembly from bytes at run time, so the runtime's `.wasm` is bundled as a
 * `CompiledWasm` module (wrangler.toml) and reaches the Worker as a ready `WebAssembly.Module`. ONNX Runtime
 * 1.30 has no option that takes a compiled module: with `env.wasm.wasmBinary` set, its Emscripten loader calls
 * `WebAssembly.instantiate(new Uint8Array(wasmBinary), imports)`. So we give it a tiny marker buffer instead of
 * the real bytes and, only while the first session is being created, answer `WebAssembly.instantiate` for that
 * marker with an instance of the compiled module. Every other call goes to the real function, which is put
 * back as soon as the session exists.
 *
 * `import.meta.url` is empty in workerd, so ONNX Runtime must never look for files: the binary is "given" (the
 * marker), `numThreads` is 1 (no worker threads, no SharedArrayBuffer) and the proxy worker is off.
 */
import * as ort from 'onnxruntime-web/wasm';

export type OrtModule = typeof ort;

/** "\0asm" and version 1: looks like a wasm binary, recognised by identity of its buffer. */
const marker = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]).buffer;

type Instantiate = (source: unknown, imports?: WebAssembly.Imports) => Promise<unknown>;

/** Runs `create` (which makes ONNX Runtime start its backend) with the compiled runtime module in reach. */
export async function withOrt<T>(
  wasmModule: WebAssembly.Module,
  create: (runtime: OrtModule) => Promise<T>,
): Promise<T> {
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  ort.env.wasm.wasmBinary = marker;
  ort.env.logLevel = 'error';

  const original = WebAssembly.instantiate as unknown as Instantiate;
  const patched: Instantiate = (source, imports) => {
    const isMarker = source === marker || (ArrayBuffer.isView(source) && source.buffer === marker);
    if (!isMarker) return original.call(WebAssembly, source, imports);
    return original.call(WebAssembly, wasmModule, imports).then((instance) => ({ instance, module: wasmModule }));
  };
  WebAssembly.instantiate = patched as unknown as typeof WebAssembly.instantiate;
  try {
    return await create(ort);
  } finally {
    if ((WebAssembly.instantiate as unknown) === patched)
      WebAssembly.instantiate = original as unknown as typeof WebAssembly.instantiate;
  }
}
