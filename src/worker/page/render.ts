/**
 * The server-rendered page: a form that works with no JavaScript at all, the result of the last review,
 * examples, and the model's name and measured accuracy. Every value is escaped by hono's `html` tag.
 */
import { html } from 'hono/html';
import type { ModelMetadata } from '../../model/metadata.ts';
import { LIMITS } from '../contract/limits.ts';
import type { SentimentResult } from '../sentiment/analyse.ts';
import { EXAMPLE_REVIEWS } from './examples.ts';
import { traceSection } from './trace-section.ts';

export interface PageState {
  /** The review to show in the text box (and echo with its result). */
  text?: string;
  result?: SentimentResult;
  /** The model's score for an empty review, where the result's trace (if any) starts. */
  traceStart?: number;
  error?: { code: string; message: string };
}

const percent = (x: number, digits = 1) => `${(100 * x).toFixed(digits)}%`;

function modelLine(metadata: ModelMetadata) {
  const measured = metadata.metrics?.results.onnxInt8;
  const accuracy = measured
    ? html`${percent(measured.accuracy)} accuracy on ${measured.examples.toLocaleString('en-US')} IMDB test reviews`
    : html`accuracy not measured yet`;
  // The first word of the quantization description ("int8 embedding and ..." -> "int8"); /api/model has it all.
  const quantization = metadata.onnx.quantization.split(/[\s,;(]/)[0];
  const cell = { simplernn: 'SimpleRNN', gru: 'GRU', lstm: 'LSTM' }[metadata.architecture.cell] ?? metadata.architecture.cell;
  return html`<p class="model">Model: <strong>${metadata.name}</strong> (${cell}, ${quantization} ONNX) &middot; ${accuracy}</p>`;
}

function resultSection(metadata: ModelMetadata, text: string, result: SentimentResult, traceStart = 0.5) {
  const label = result.label === 'positive' ? 'Positive' : 'Negative';
  return html`<section class="result ${result.label}" aria-labelledby="result-heading" id="result">
  <h2 id="result-heading">Result</h2>
  <p class="label" data-label="${result.label}">${label}</p>
  <label for="probability">Probability positive: <span data-score="${result.score}">${percent(result.score)}</span></label>
  <meter id="probability" min="0" max="1" low="0.5" optimum="1" value="${result.score}">${percent(result.score)}</meter>
  <p>The model read ${result.tokens} word${result.tokens === 1 ? '' : 's'}${result.truncated ? ' (the review was longer: the rest was cut)' : ''}.</p>
  ${result.trace ? traceSection(result.trace, traceStart, metadata, result.truncated) : ''}
  <h3>Your review</h3>
  <blockquote data-echo>${text}</blockquote>
</section>`;
}

export function renderPage(metadata: ModelMetadata, state: PageState = {}) {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${state.result ? `${state.result.label} – ` : ''}Movie review sentiment</title>
<link rel="stylesheet" href="/style.css">
<link rel="icon" href="/favicon.ico" sizes="32x32">
</head>
<body>
<main>
<h1>Movie review sentiment</h1>
${modelLine(metadata)}
${state.error ? html`<p class="error" role="alert" data-error="${state.error.code}">${state.error.message}</p>` : ''}
${state.result && state.text !== undefined ? resultSection(metadata, state.text, state.result, state.traceStart) : ''}
<form method="post" action="/">
  <label for="text">Your movie review (English)</label>
  <textarea id="text" name="text" rows="8" maxlength="${LIMITS.maxTextChars}" required aria-describedby="text-help">${state.text ?? ''}</textarea>
  <p id="text-help" class="model">Up to ${LIMITS.maxTextChars.toLocaleString('en-US')} characters; the model reads the ${metadata.tokenizer.truncation === 'end' ? 'last' : 'first'} ${metadata.tokenizer.maxLength} words.</p>
  <button type="submit">Analyse sentiment</button>
</form>
<h2>Examples</h2>
<ul class="examples">
${EXAMPLE_REVIEWS.map(
  (example) => html`<li><form method="post" action="/"><input type="hidden" name="text" value="${example}"><button type="submit">${example}</button></form></li>
`,
)}</ul>
<footer>
<p>Runs in a Cloudflare Worker with ONNX Runtime Web. JSON API: <code>POST /api/sentiment</code>; model details: <a href="/api/model">/api/model</a>.</p>
</footer>
</main>
</body>
</html>
`;
}
