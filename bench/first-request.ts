/**
 * Run in a fresh Node process by bench/request-cpu.ts: starts the app as the Worker does (model started before
 * the first request), then prints the first request's CPU for the text on stdin, as one JSON line.
 * Usage: node --import tsx bench/first-request.ts MODEL_DIR < text
 */
import { text as readAll } from 'node:stream/consumers';
import { nodeApp, timeRequest } from './request-cpu.ts';

const text = await readAll(process.stdin);
const app = await nodeApp(process.argv[2] ?? 'model');
// Node loads its fetch classes (undici) on first use, which workerd does not have to: load them before timing.
await new Response(new Request('http://warm-up/', { method: 'POST', body: '{}' }).body).text();
process.stdout.write(
  `${JSON.stringify(await timeRequest(app, { label: 'first', texts: [text], trace: false }, 'free'))}\n`,
);
