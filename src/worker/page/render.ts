/**
 * The server-rendered page: a form that works with no JavaScript at all, the result of the last review,
 * examples, and the model's name and measured accuracy. Every value is escaped by hono's `html` tag.
 *
 * With a result, the order is: the result's summary, the form (holding the review, so it can be edited and sent
 * again without scrolling past a long result), then the word-by-word view. The review is not echoed elsewhere.
 */
import { html } from 'hono/html';
import type { ModelMetadata } from '../../model/metadata.ts';
import { LIMITS } from '../contract/limits.ts';
import type { SentimentResult } from '../sentiment/analyse.ts';
import { EXAMPLE_REVIEWS } from './examples.ts';
import { thousands } from './format.ts';
import { pageMessage } from './messages.ts';
import { resultSection } from './result-section.ts';
import { traceSection } from './trace-section.ts';

export interface PageState {
  /** The review to show in the text box: the one analysed, or the one that failed. */
  text?: string;
  result?: SentimentResult;
  /** The model's score for an empty review, where the result's trace (if any) starts. */
  traceStart?: number;
  /** The error's code picks the page's sentence; the API's message is not shown. */
  error?: { code: string; message: string };
}

const percent = (x: number, digits = 1) => `${(100 * x).toFixed(digits)}%`;

function modelLine(metadata: ModelMetadata) {
  const measured = metadata.metrics?.results.onnxInt8;
  const accuracy = measured
    ? html`${percent(measured.accuracy)} accuracy on ${thousands(measured.examples)} IMDB test reviews`
    : html`accuracy not measured yet`;
  // The first word of the quantization description ("int8 embedding and ..." -> "int8"); /api/model has it all.
  const quantization = metadata.onnx.quantization.split(/[\s,;(]/)[0];
  const cells: Record<string, string> = { simplernn: 'SimpleRNN', gru: 'GRU', lstm: 'LSTM' };
  const cell = cells[metadata.architecture.cell] ?? metadata.architecture.cell;
  return html`<p class="model">Model: <strong>${metadata.name}</strong> (${cell}, ${quantization} ONNX)
 &middot; ${accuracy}</p>`;
}

function title(state: PageState) {
  if (state.error) return 'Error – ';
  if (!state.result) return '';
  if (!state.result.reliable) return 'Unreliable result – ';
  return state.result.label === 'positive' ? 'Positive – ' : 'Negative – ';
}

function reviewForm(metadata: ModelMetadata, state: PageState) {
  const { error } = state;
  const message = error
    ? html`<p class="error" role="alert" id="text-error"
 data-error="${error.code}">${pageMessage(error.code, state.text)}</p>`
    : '';
  const kept = metadata.tokenizer.truncation === 'end' ? 'last' : 'first';
  const invalid = error ? html` aria-invalid="true"` : '';
  // After an error the box is marked invalid and described by the message, and holds the text that was sent.
  return html`<form method="post" action="/" aria-label="Analyse a review">
  ${message}
  <label for="text">Your movie review (English)</label>
  <textarea id="text" name="text" rows="8" maxlength="${LIMITS.maxTextChars}" required
   aria-describedby="${error ? 'text-error ' : ''}text-help"${invalid}>${state.text ?? ''}</textarea>
  <p id="text-help" class="help">Up to ${thousands(LIMITS.maxTextChars)} characters; the model reads the ${kept}
   ${metadata.tokenizer.maxLength} words.</p>
  <button type="submit">Analyse sentiment</button>
</form>`;
}

export function renderPage(metadata: ModelMetadata, state: PageState = {}) {
  const { result, text } = state;
  const shown = result && text !== undefined ? result : undefined;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title(state)}Movie review sentiment</title>
${shown ? html`<meta name="robots" content="noindex">` : ''}
<link rel="stylesheet" href="/style.css">
<link rel="icon" href="/favicon.ico" sizes="32x32">
</head>
<body>
<main>
<h1>Movie review sentiment</h1>
${modelLine(metadata)}
${shown ? resultSection(metadata, text!, shown) : ''}
${reviewForm(metadata, state)}
${shown?.trace ? traceSection(shown.trace, state.traceStart ?? 0.5, metadata, shown.truncated) : ''}
<h2>Examples</h2>
<ul class="examples">
${EXAMPLE_REVIEWS.map(
  (example) => html`<li><form method="post" action="/"><input type="hidden" name="text" value="${example}">
<button type="submit">${example}</button></form></li>
`,
)}</ul>
<footer>
<p><a href="/how">How the network reads</a>: its parameters, its word vectors, its memory word by word.</p>
<p>Runs in a Cloudflare Worker with ONNX Runtime Web. JSON API: <code>POST /api/sentiment</code>;
 model details: <a href="/api/model">/api/model</a>.</p>
</footer>
</main>
</body>
</html>
`;
}
