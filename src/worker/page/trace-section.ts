/** The word-by-word part of a result: the score chart and the tinted words. */
import { html } from 'hono/html';
import type { ModelMetadata } from '../../model/metadata.ts';
import type { TraceStep } from '../sentiment/analyse.ts';
import { thousands } from './format.ts';
import { scoreChart } from './score-chart.ts';
import { scoreMoves, tintedWords, tintLegend } from './tinted-words.ts';

export function traceSection(steps: readonly TraceStep[], start: number, metadata: ModelMetadata, truncated: boolean) {
  if (steps.length === 0) return '';
  const moves = scoreMoves(steps, start);
  const kept = metadata.tokenizer.truncation === 'end' ? 'last' : 'first';
  const cut = truncated ? ` (it read only the ${kept} ${thousands(steps.length)} words)` : '';
  return html`<section class="trace" aria-labelledby="trace-heading" id="trace">
<h2 id="trace-heading">Word by word</h2>
<p class="help">The network reads the review one word at a time; the line is its score after each word${cut}.</p>
<figure class="chart">
${scoreChart(steps, start, moves)}
</figure>
<h3 id="trace-words-heading">How each word moved the score</h3>
${tintLegend(start, metadata.tokenizer.markNegation === true)}
<div class="trace-words" role="region" aria-labelledby="trace-words-heading" tabindex="0">
${tintedWords(steps, moves)}
</div>
</section>`;
}
