/**
 * The Worker: the app of app.ts with the model bundled from `model/`, started (and warmed up) while the
 * isolate starts up, so that this costs start-up CPU, not the first request's.
 *
 * Start-up waits for the model, so a model that cannot start fails the isolate's start-up: `wrangler deploy`
 * refuses such a Worker, and in production the platform discards the isolate and starts a fresh one for the
 * next request, instead of an isolate answering 503 for the rest of its life (ONNX Runtime cannot be
 * initialised twice in one isolate).
 */
import { createApp } from './app.ts';
import { metadata } from './model/bundled.ts';
import { startBundledModel } from './model/start.ts';
import { warmUp } from './warm-up.ts';

const model = startBundledModel();
const app = createApp({ metadata, model });
const started = await model.catch((error: unknown) => {
  const reason = error instanceof Error ? error.message : String(error);
  throw new Error(
    `The sentiment model could not be started (${reason}), so this isolate cannot serve: its start-up fails.`,
    {
      cause: error,
    },
  );
});
await warmUp(app, started);

export default app;
