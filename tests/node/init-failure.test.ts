/**
 * When ONNX Runtime cannot start, the Worker's start-up fails (src/worker/index.ts waits for the model), so no
 * isolate is left answering 503 for the rest of its life: ONNX Runtime refuses to initialise again in an isolate
 * where it failed once. Here onnxruntime-web is replaced by a stand-in that fails as it does
 * (tests/fixtures/init-failure/), and the real Worker is started with `wrangler dev`.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { freePort, OFFLINE_ENV, ROOT, WRANGLER } from '../../scripts/dev-server.ts';

describe('a Worker whose ONNX Runtime cannot start', () => {
  it('fails its start-up with the reason, instead of serving', async () => {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [
        WRANGLER,
        'dev',
        '--config',
        'tests/fixtures/init-failure/wrangler.toml',
        '--ip',
        '127.0.0.1',
        '--port',
        String(port),
        '--inspector-port',
        String(await freePort()),
      ],
      { cwd: ROOT, env: { ...process.env, ...OFFLINE_ENV }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    clearTimeout(timer);
    expect(code, output).not.toBe(0);
    expect(output).toContain('The sentiment model could not be started (WebAssembly.instantiate(): Out of memory');
    expect(output).toMatch(/runtime failed to start/i);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  }, 120_000);
});
