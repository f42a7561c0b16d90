/**
 * GET /how, "How the network reads": five sections on the served model, every number from its files and runs.
 * Server-rendered, no script (the Content-Security-Policy allows none), styled only by /style.css; every value is
 * escaped by hono's `html` tag.
 */
import { html } from 'hono/html';
import type { ModelMetadata } from '../../model/metadata.ts';
import { pageMessage } from '../page/messages.ts';
import { cellName } from './architecture-section.ts';
import { embeddingSection } from './embedding-section.ts';
import type { Memory } from './memory.ts';
import { memoryFigure, memorySection } from './memory-section.ts';
import type { Neighbors } from './neighbors.ts';
import type { HowParts } from './parts.ts';
import { EXAMPLE_TEXT } from './parts.ts';

type PageError = { code: string; message: string };

export interface HowState {
  /** The word as sent, its neighbours or why there are none. */
  word?: string;
  neighbors?: Neighbors;
  wordError?: PageError;
  /** The text as sent, its memory or why there is none. */
  text?: string;
  memory?: Memory;
  textError?: PageError;
  /** An error with the whole request (the rate limit): the page shows its default parts. */
  error?: PageError;
}

const SECTIONS = [
  ['architecture', 'The network and its parameters'],
  ['embedding', 'Words as vectors'],
  ['memory', 'Memory over time'],
  ['gradient', 'The vanishing gradient, measured'],
  ['order', 'Order matters'],
] as const;

/** The page without a trace (a bidirectional model): what the memory and order sections would need. */
function noTrace(id: string, title: string, number: number) {
  return html`<section id="${id}" aria-labelledby="${id}-heading">
<h2 id="${id}-heading">${number}. ${title}</h2>
<p>This model reads every word in both directions before it scores, so it has no state after each word to
 show.</p>
</section>`;
}

export function renderHowPage(metadata: ModelMetadata, emptyScore: number, parts: HowParts, state: HowState = {}) {
  const visitor = state.word !== undefined || state.text !== undefined;
  const failed = state.error ?? state.wordError ?? state.textError;
  const textForm = { text: state.text, word: state.word, error: state.textError };
  // The example's heatmap when no text was sent; none for a text that could not be read (its form says why).
  const figure = state.memory
    ? memoryFigure(state.memory, emptyScore, metadata)
    : state.text === undefined
      ? parts.memory
      : '';
  const memory =
    parts.memory === ''
      ? noTrace('memory', SECTIONS[2][1], 3)
      : memorySection(metadata, textForm, EXAMPLE_TEXT, figure);
  const order = parts.order === '' ? noTrace('order', SECTIONS[4][1], 5) : parts.order;
  const alert = state.error
    ? html`<p class="error" role="alert" data-error="${state.error.code}">${pageMessage(state.error.code)}</p>`
    : '';
  const toc = SECTIONS.map(([id, title]) => html`<li><a href="#${id}">${title}</a></li>`);
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${failed ? 'Error – ' : ''}How the network reads – Movie review sentiment</title>
${visitor ? html`<meta name="robots" content="noindex">` : ''}
<link rel="stylesheet" href="/style.css">
<link rel="icon" href="/favicon.ico" sizes="32x32">
</head>
<body>
<main class="how">
<p class="crumbs"><a href="/">Movie review sentiment</a></p>
<h1>How the network reads</h1>
<p class="model">What the served model, <strong>${metadata.name}</strong> (${cellName(metadata.architecture)}), does
 with a review. Every number on this page comes from this model: its files and its runs in this Worker.</p>
${alert}
<nav aria-label="On this page"><ol class="toc">${toc}</ol></nav>
${parts.architecture}
${embeddingSection(metadata, parts.int8, { word: state.word, text: state.text, error: state.wordError }, state.neighbors, parts.cards)}
${memory}
${parts.gradient}
${order}
<footer>
<p><a href="/">Analyse a review</a>. JSON: <a href="/api/neighbors?word=good">/api/neighbors?word=good</a>,
 <a href="/api/model">/api/model</a>.</p>
</footer>
</main>
</body>
</html>
`;
}
