/**
 * Starts the Worker locally the way `npm start` does (`wrangler dev`, workerd, no account, no network) on a
 * free port, and stops it again. Used by the browser test and by scripts/measure.ts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The environment `npm start` sets: no metrics, no fetch of Cloudflare's request.cf data. */
export const OFFLINE_ENV = { CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' };

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface DevServer {
  url: string;
  /** When the process was spawned (performance.now()). */
  startedAt: number;
  /** Everything wrangler printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/** Spawns `wrangler dev` on `port` (a free one by default); resolves once spawned, not once ready. */
export async function spawnDevServer(port?: number): Promise<DevServer & { child: ChildProcess }> {
  const listenPort = port ?? (await freePort());
  const inspectorPort = await freePort();
  const wrangler = join(dirname(createRequire(import.meta.url).resolve('wrangler')), '..', 'bin', 'wrangler.js');
  const startedAt = performance.now();
  const child = spawn(
    process.execPath,
    [
      wrangler,
      'dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(listenPort),
      '--inspector-port',
      String(inspectorPort),
      '--show-interactive-dev-session=false',
    ],
    { cwd: ROOT, env: { ...process.env, ...OFFLINE_ENV }, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return {
    child,
    url: `http://127.0.0.1:${listenPort}`,
    startedAt,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // wrangler starts workerd as a child: signal the whole process group, which we created (detached).
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        child.kill('SIGTERM');
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `check` until it returns true or `timeoutMs` passes. */
export async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
  output?: () => string,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(
    `Timed out after ${timeoutMs} ms waiting for ${what}.${output ? `\nwrangler said:\n${output()}` : ''}`,
  );
}

/** Starts the Worker and waits until /healthz answers 200 (the model is loaded). */
export async function startDevServer(timeoutMs = 60_000): Promise<DevServer> {
  const server = await spawnDevServer();
  try {
    await waitFor(
      async () => (await fetch(`${server.url}/healthz`)).status === 200,
      timeoutMs,
      `${server.url}/healthz`,
      server.output,
    );
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}
