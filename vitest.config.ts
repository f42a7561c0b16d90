/**
 * `npm test` runs three projects:
 * - node: unit tests of the tokenizer and training code, in Node (tests/node);
 * - worker: the Worker in workerd through @cloudflare/vitest-plugin (tests/worker), with onnxruntime-web-in-Node
 *   scores computed beforehand for the parity test (tests/worker/global-setup.ts);
 * - browser: Debian's chromium driving the page served by `wrangler dev` (tests/browser), in Node.
 */
import { fileURLToPath } from 'node:url';
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

// The Worker imports onnxruntime-web's runtime by file (wrangler's module rules read files, not package exports);
// vite honours the package's exports map, which names the file differently.
const ORT_WASM = 'onnxruntime-web/dist/ort-wasm-simd-threaded.wasm';
const ortWasmPath = fileURLToPath(new URL(`./node_modules/${ORT_WASM}`, import.meta.url));

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['tests/node/**/*.test.ts'],
          setupFiles: ['tests/node/quiet.ts'],
          environment: 'node',
        },
      },
      {
        plugins: [cloudflareTest({ wrangler: { configPath: './wrangler.toml' } })],
        resolve: { alias: { [ORT_WASM]: ortWasmPath } },
        test: {
          name: 'worker',
          include: ['tests/worker/**/*.test.ts'],
          globalSetup: ['tests/worker/global-setup.ts'],
          // One workerd isolate for all files: loading onnxruntime-web's 14 MB runtime once, not once per file.
          isolate: false,
          maxWorkers: 1,
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          environment: 'node',
          testTimeout: 90_000,
          hookTimeout: 90_000,
        },
      },
    ],
  },
});
