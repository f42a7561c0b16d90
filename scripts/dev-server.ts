/**
 * The repository's root and wrangler, for the tools that run the Worker (bench, tests): wrangler run as `npm start`
 * runs it (no account, no network), and `wrangler dev` (workerd) started on a free port and stopped again.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** wrangler's JavaScript entry point. */
export const WRANGLER = join(dirname(createRequire(import.meta.url).resolve('wrangler')), '..', 'bin', 'wrangler.js');

/**
 * The Node wrangler runs on: the project's own (the `node` devDependency, which npm scripts run on too), as
 * wrangler needs a newer one than the system's may be; this process's when there is none.
 */
const PROJECT_NODE = join(ROOT, 'node_modules', '.bin', 'node');
const NODE = existsSync(PROJECT_NODE) ? PROJECT_NODE : process.execPath;

/** The environment `npm start` sets: no metrics, no fetch of Cloudflare's request.cf data. */
export const OFFLINE_ENV = { CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' };

/**
 * Spawns `wrangler ARGS` in ROOT, offline, stdout and stderr piped. `detached`: in a process group of its own, so
 * that stopping it can signal workerd (wrangler's child) too.
 */
export function spawnWrangler(args: readonly string[], options: { detached?: boolean } = {}): ChildProcess {
  return spawn(NODE, [WRANGLER, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...OFFLINE_ENV },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
}

/** Runs `wrangler ARGS` to the end: what it printed (stdout and stderr), or an error with it if it failed. */
export function runWrangler(args: readonly string[]): Promise<string> {
  return new Promise((resolveOutput, reject) => {
    const child = spawnWrangler(args);
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolveOutput(output)
        : reject(new Error(`wrangler ${args.join(' ')} exited with ${code}:\n${output}`)),
    );
  });
}

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

/**
 * Spawns `wrangler dev` on `port` (a free one by default) with `args` added (e.g. `--var`); resolves once
 * spawned, not once ready. wrangler runs workerd as its child, in a process group of its own (detached): `stop()`
 * signals the whole group, as does this process's exit if nothing stopped it.
 */
export async function spawnDevServer(
  options: { port?: number; args?: readonly string[] } = {},
): Promise<DevServer & { child: ChildProcess; inspectorPort: number; exited: Promise<void> }> {
  const listenPort = options.port ?? (await freePort());
  const inspectorPort = await freePort();
  const startedAt = performance.now();
  const child = spawnWrangler(
    [
      'dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(listenPort),
      '--inspector-port',
      String(inspectorPort),
      ...(options.args ?? []),
      '--show-interactive-dev-session=false',
    ],
    { detached: true },
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  // A detached group outlives us: kill it if this process exits without stopping it.
  const onExit = () => killGroup('SIGKILL');
  process.once('exit', onExit);
  return {
    child,
    inspectorPort,
    exited,
    url: `http://127.0.0.1:${listenPort}`,
    startedAt,
    output: () => output,
    async stop() {
      // Even when wrangler itself has exited, workerd may still be running in its group.
      killGroup('SIGTERM');
      if (child.exitCode === null && child.signalCode === null) {
        const timer = setTimeout(() => killGroup('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      process.off('exit', onExit);
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
