/**
 * The Worker in workerd for the benchmarks that look inside its isolate: `wrangler dev` with a PLAN of our
 * choosing and an inspector port, and a Chrome DevTools Protocol client on the Worker's isolate.
 */
import { createRequire } from 'node:module';
import { spawnDevServer, waitFor } from '../scripts/dev-server.ts';

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
export interface Cdp {
  send<T = unknown>(method: string, params?: object): Promise<T>;
  /** Calls `listener` with the params of every event named `method`, until the returned function is called. */
  on(method: string, listener: (params: unknown) => void): () => void;
  close(): void;
}

async function connectCdp(url: string): Promise<Cdp> {
  const socket = new WebSocket(url, { headers: { Origin: 'http://localhost' } });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();
  const listeners = new Map<string, ((params: unknown) => void)[]>();
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
      params?: unknown;
      result?: unknown;
      error?: { message: string };
    };
    if (message.id === undefined) {
      for (const listener of listeners.get(message.method ?? '') ?? []) listener(message.params);
      return;
    }
    // Replies are matched by id only: they may carry `method` too, and workerd answers some commands
    // (Profiler.start, HeapProfiler.takeHeapSnapshot...) with the request itself, {id, method, params}, no result.
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.error) waiter.reject(new Error(`inspector: ${message.error.message}`));
    else waiter.resolve(message.result);
  });
  return {
    send: <T>(method: string, params: object = {}) =>
      new Promise<T>((resolve, reject) => {
        const id = ++nextId;
        pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
        socket.send(JSON.stringify({ id, method, params }));
      }),
    on(method, listener) {
      listeners.set(method, [...(listeners.get(method) ?? []), listener]);
      return () =>
        listeners.set(
          method,
          (listeners.get(method) ?? []).filter((l) => l !== listener),
        );
    },
    close: () => socket.close(),
  };
}

export interface RunningWorker {
  url: string;
  /** The Worker's isolate (not the dev tooling's own workers in front of it). */
  inspector: Cdp;
  /** Everything wrangler printed so far. */
  output(): string;
  /** POSTs `body` as JSON to `path`; reads the whole answer. */
  post(path: string, body: unknown): Promise<{ status: number; bytes: number }>;
  stop(): Promise<void>;
}

/**
 * Starts the Worker with `PLAN` = `plan` (`wrangler dev --var`) and connects to its isolate's inspector once
 * wrangler prints "Ready on": the isolate has run its global scope (model started and warmed up) by then, and
 * no request has reached it. wrangler is stopped on `stop()`, on a failed start, and if this process exits.
 */
export async function startWorker(options: { plan: 'free' | 'paid'; timeoutMs?: number }): Promise<RunningWorker> {
  const server = await spawnDevServer({ args: ['--var', `PLAN:${options.plan}`] });
  const { exited, inspectorPort, url, output } = server;
  let inspector: Cdp | undefined;
  const stop = async () => {
    inspector?.close();
    await server.stop();
  };

  try {
    const died = exited.then(() =>
      Promise.reject(new Error(`wrangler dev exited early.\nwrangler said:\n${output()}`)),
    );
    died.catch(() => {}); // it rejects later, on our own stop, once the race below is long over
    // A build error leaves wrangler dev running, waiting for a fix: fail at once rather than at the timeout.
    const ready = async () => {
      if (/\[ERROR\]/.test(output())) throw new Error(`wrangler dev could not start the Worker:\n${output()}`);
      return /Ready on/.test(output());
    };
    let buildError: unknown;
    const check = () =>
      ready().catch((error: unknown) => {
        buildError = error;
        return true;
      });
    const timeoutMs = options.timeoutMs ?? 90_000;
    await Promise.race([died, waitFor(check, timeoutMs, '"Ready on" from wrangler dev', output)]);
    if (buildError) throw buildError;
    const listing = await fetch(`http://127.0.0.1:${inspectorPort}/json`);
    const targets = (await listing.json()) as { webSocketDebuggerUrl?: string }[];
    const target = targets.find((t) => t.webSocketDebuggerUrl);
    if (!target) throw new Error(`No inspector target at 127.0.0.1:${inspectorPort}/json: ${JSON.stringify(targets)}`);
    inspector = await connectCdp(target.webSocketDebuggerUrl!);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    inspector,
    output,
    async post(path, body) {
      const response = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, bytes: (await response.arrayBuffer()).byteLength };
    },
    stop,
  };
}
