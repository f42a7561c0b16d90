/**
 * "Memory over time": the heatmap of the recurrent state for the visitor's text (or an example), with a GET form
 * that works without JavaScript.
 */
import { html } from 'hono/html';
import type { ModelMetadata } from '../../model/metadata.ts';
import { LIMITS } from '../contract/limits.ts';
import { thousands } from '../page/format.ts';
import { pageMessage } from '../page/messages.ts';
import { LINK_MAX_CHARS, resultLink } from '../page/result-section.ts';
import { heatmap, heatmapLegend } from './heatmap.ts';
import { MEMORY_WORDS, type Memory } from './memory.ts';

export interface TextForm {
  /** The visitor's text as sent (undefined: the example). */
  text?: string;
  /** The visitor's word, carried along so the embedding section keeps it. */
  word?: string;
  error?: { code: string; message: string };
}

/** The word after which the state changed most: the mean over units of |h_t - h_(t-1)| (h_(-1) = 0). */
export function biggestRewrite(memory: Memory): { index: number; change: number } {
  const { states, units, steps } = memory;
  let best = { index: 0, change: -1 };
  for (let t = 0; t < steps.length; t++) {
    let sum = 0;
    for (let u = 0; u < units; u++)
      sum += Math.abs(states[t * units + u]! - (t > 0 ? states[(t - 1) * units + u]! : 0));
    if (sum / units > best.change) best = { index: t, change: sum / units };
  }
  return best;
}

/** The figure for a memory: rendered once per isolate for the example, per request for a visitor's text. */
export function memoryFigure(memory: Memory, start: number, metadata: ModelMetadata) {
  const n = memory.steps.length;
  const rewrite = biggestRewrite(memory);
  const word = memory.steps[rewrite.index]!;
  const kept = metadata.tokenizer.truncation === 'end' ? 'last' : 'first';
  const shown =
    memory.wordsRead > n
      ? html`The first ${thousands(n)} of the ${thousands(memory.wordsRead)} words the model read (it reads the ${kept}
 ${thousands(metadata.tokenizer.maxLength)} words of a text); it reads one way, so the words after them do not change
 these columns.`
      : html`All ${thousands(n)} words the model read.`;
  return html`<figure class="heatmap-figure">
<div class="heatmap-scroll" role="region" aria-label="The state after each word (scrolls sideways)" tabindex="0">
${heatmap({ steps: memory.steps, states: memory.states, units: memory.units, start })}
</div>
<figcaption>
${heatmapLegend()}
<p class="help">${shown} The biggest rewrite of the memory came with word ${rewrite.index + 1},
 “<span data-rewrite>${word.word}</span>”: the ${memory.units} units moved by ${rewrite.change.toFixed(2)} on average.</p>
</figcaption>
</figure>`;
}

export function memorySection(
  metadata: ModelMetadata,
  form: TextForm,
  example: string,
  figure: ReturnType<typeof memoryFigure> | '',
) {
  const { error } = form;
  const message = error
    ? html`<p class="error" role="alert" id="text-error" data-error="${error.code}">${pageMessage(error.code, form.text)}</p>`
    : '';
  const describedBy = error ? 'text-error text-help' : 'text-help';
  const invalid = error ? html` aria-invalid="true"` : '';
  const carried = form.word === undefined ? '' : html`<input type="hidden" name="word" value="${form.word}">`;
  const link = form.text === undefined || error ? undefined : resultLink(form.text);
  const whole = link
    ? html` <a href="${link}">The whole review’s result</a> is on the main page.`
    : form.text === undefined
      ? html` The example is one of the main page’s.`
      : '';
  return html`<section id="memory" aria-labelledby="memory-heading">
<h2 id="memory-heading">3. Memory over time</h2>
<p>The state h<sub>t</sub> is all the network remembers: ${metadata.architecture.units} numbers, rewritten after
 every word. Below, each column is the state after one word and each row one unit, coloured by its value; above,
 the probability that the review is positive after each word (the classifier reading the mean and the maximum of the
 states so far). These are the states the served model computed in this request, from its scoring graph.</p>
<form method="get" action="/how#memory" class="text-form" aria-label="Show the memory of a review">
${message}
<label for="text">A review (English)</label>
<textarea id="text" name="text" rows="4" maxlength="${Math.min(LINK_MAX_CHARS, LIMITS.maxTextChars)}" required
 aria-describedby="${describedBy}"${invalid}>${form.text ?? example}</textarea>
<p id="text-help" class="help">Up to ${thousands(LINK_MAX_CHARS)} characters here (the review travels in the
 address); the heatmap shows its first ${MEMORY_WORDS} words.${whole}</p>
${carried}
<button type="submit">Show its memory</button>
</form>
${figure}
</section>`;
}
