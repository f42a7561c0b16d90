/** workerd's configuration for the bundled Worker (bench/plain-workerd.ts): which file becomes which module. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { capnpConfig } from '../../bench/plain-workerd.ts';

const dir = mkdtempSync(join(tmpdir(), 'capnp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('capnpConfig', () => {
  it('lists index.js first as the ES module, the runtime as wasm, the graphs as data, and the vars', () => {
    for (const name of ['0a-ort.wasm', '1b-sentiment.onnx', 'index.js', 'README.md', 'index.js.map']) {
      writeFileSync(join(dir, name), '');
    }
    const config = capnpConfig(dir, 8123, { PLAN: 'free' });
    const modules = /modules = \[(.*)\]/.exec(config)![1]!;
    expect(modules).toBe(
      '(name = "index.js", esModule = embed "index.js"), (name = "0a-ort.wasm", wasm = embed "0a-ort.wasm"), ' +
        '(name = "1b-sentiment.onnx", data = embed "1b-sentiment.onnx")',
    );
    expect(config).toContain('address = "127.0.0.1:8123"');
    expect(config).toContain('bindings = [(name = "PLAN", text = "free")]');
    const date = /^compatibility_date = "(.+)"/m.exec(readFileSync('wrangler.toml', 'utf8'))![1];
    expect(config).toContain(`compatibilityDate = "${date}"`);
  });
});
