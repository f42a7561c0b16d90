/**
 * Work done once while the isolate starts, so that the first request does not pay for it: the wasm functions
 * ONNX Runtime calls compile lazily on first call, and Hono builds its router on the first request, which made
 * the first request in a fresh isolate cost several times a warm one (see the README's limits).
 *
 * workerd forbids I/O in the global scope, creating a Request or Response included, so the warm-up cannot go
 * through the app's fetch: it runs the analysis the API runs (tokenizer, scoring and trace runs, the JSON answer)
 * and has the router match the API's route, which builds it.
 */
import { plan } from './contract/limits.ts';
import { type HowModel, isHowModel } from './how/model.ts';
import { neighborsOf } from './how/neighbors.ts';
import { renderHowPage } from './how/page.ts';
import { howParts } from './how/parts.ts';
import { EXAMPLE_REVIEWS } from './page/examples.ts';
import { analyseBatch, analyseText, type Scorer } from './sentiment/analyse.ts';

interface Routed {
  router: { match(method: string, path: string): unknown };
}

/**
 * The page's examples as one batch and one alone, plain and with the trace when the model has one (runs of one
 * row and of several take different kernels), then the API's route.
 */
export async function warmUp(app: Routed, model: Scorer): Promise<void> {
  const paid = plan('paid', Number.MAX_SAFE_INTEGER);
  const long = Array.from({ length: 40 }, () => EXAMPLE_REVIEWS.join(' ')).join(' ');
  const batch = [long, ...EXAMPLE_REVIEWS];
  for (const trace of model.hasTrace ? [false, true] : [false]) {
    JSON.stringify(await analyseBatch(model, batch, { trace, plan: paid }));
    JSON.stringify(await analyseText(model, batch[0]!, { trace, plan: paid }));
  }
  app.router.match('POST', '/api/sentiment');
  // GET /how is not worth failing the isolate's start-up for: if its parts cannot be built now, its first
  // request tries again and answers the error.
  if (isHowModel(model)) await warmUpHow(model).catch(() => undefined);
}

/**
 * GET /how's parts that are the same for every request (the default words' neighbours, which runs the
 * neighbours graph, the example's states and heatmap, the pairs' traces), then the page once with a word and with the
 * example's memory, so that the code a visitor's request runs is compiled too.
 */
async function warmUpHow(model: HowModel): Promise<void> {
  const parts = await howParts(model);
  const word = parts.defaults[0]?.word;
  const neighbors = word === undefined ? undefined : await neighborsOf(model, word);
  await renderHowPage(model.metadata, model.emptyScore, parts, { word, neighbors });
}
