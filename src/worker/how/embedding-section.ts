/**
 * "Words as vectors": the words nearest to a few words (and to the visitor's) in the served model's embedding,
 * by cosine similarity, with a GET form that works without JavaScript.
 */
import { html } from 'hono/html';
import type { ModelMetadata } from '../../model/metadata.ts';
import { NEGATED_PREFIX } from '../../tokenizer/index.ts';
import { thousands } from '../page/format.ts';
import { pageMessage } from '../page/messages.ts';
import type { Neighbors } from './neighbors.ts';

/** Words whose neighbours the page always shows. */
export const DEFAULT_WORDS = ['good', 'awful', 'boring'] as const;

export interface WordForm {
  /** The word as sent (kept in the box). */
  word?: string;
  /** The visitor's text, carried along so the memory section keeps it. */
  text?: string;
  error?: { code: string; message: string };
}

/** One word's neighbours: rank, word and similarity, a table so the numbers line up whatever the words' length. */
function card(result: Neighbors, visitor: boolean) {
  const rows = result.neighbors.map(
    (n, i) =>
      html`<tr><td class="rank">${i + 1}</td><td class="nb-word">${n.word}</td><td class="num" data-similarity="${n.similarity}">${n.similarity.toFixed(3)}</td></tr>`,
  );
  return html`<div class="neighbors${visitor ? ' visitor' : ''}" data-word="${result.word}">
<table>
<caption>Nearest to <strong>“${result.word}”</strong></caption>
<thead><tr><th scope="col">#</th><th scope="col">word</th><th scope="col" class="num">cosine</th></tr></thead>
<tbody>${rows}</tbody>
</table>
</div>`;
}

/** The default words' cards (the same for every request: rendered once per isolate). */
export function defaultCards(results: readonly Neighbors[]) {
  return results.map((result) => card(result, false));
}

export function embeddingSection(
  metadata: ModelMetadata,
  int8: boolean,
  form: WordForm,
  visitor: Neighbors | undefined,
  defaults: ReturnType<typeof defaultCards>,
) {
  const { vocabSize: V, embeddingDim: D } = metadata.architecture;
  const { error } = form;
  const message = error
    ? html`<p class="error" role="alert" id="word-error" data-error="${error.code}">${pageMessage(error.code, form.word)}</p>`
    : '';
  const invalid = error
    ? html` aria-invalid="true" aria-describedby="word-error word-help"`
    : html` aria-describedby="word-help"`;
  const carried = form.text === undefined ? '' : html`<input type="hidden" name="text" value="${form.text}">`;
  const rows = int8
    ? html`on the int8 rows of the embedding inside ${metadata.onnx.scoring.file}: each row is its int8 values times
 one positive scale, and the scales cancel in a cosine, so the similarity of the int8 rows is that of the
 dequantized vectors`
    : html`on the float rows of the embedding inside ${metadata.onnx.scoring.file}`;
  const graph = metadata.onnx.neighbors?.file;
  return html`<section id="embedding" aria-labelledby="embedding-heading">
<h2 id="embedding-heading">2. Words as vectors</h2>
<p>Each of the ${thousands(V)} words of the vocabulary is a row of ${D} numbers in the embedding, learnt for one
 task only: telling positive reviews from negative ones. Words that push a review the same way end up pointing the
 same way, whatever they mean. Nearest words by cosine similarity (1: the same direction, 0: unrelated):</p>
<form method="get" action="/how#embedding" class="word-form" aria-label="Find the nearest words">
${message}
<label for="word">A word</label>
<div class="field-row">
<input type="text" id="word" name="word" value="${form.word ?? ''}" maxlength="100" required autocomplete="off"
 autocapitalize="none" spellcheck="false"${invalid}>
<button type="submit">Show its neighbours</button>
</div>
<p id="word-help" class="help">Read as the model reads text (lower case); “not good” is the word “good” after a
 negation, which the model reads as its own word, “${NEGATED_PREFIX}good”.</p>
${carried}
</form>
<div class="neighbor-grid">
${visitor ? card(visitor, true) : ''}
${defaults}
</div>
<p class="help">Computed${graph ? html` by ONNX Runtime (${graph})` : ''} ${rows}. Words starting with “${NEGATED_PREFIX}” are words read after a negation. One
 query reads every row: ${thousands(V)} × ${D} = ${thousands(V * D)} multiply-adds. The same as JSON:
 <a href="/api/neighbors?word=${DEFAULT_WORDS[0]}">/api/neighbors?word=${DEFAULT_WORDS[0]}</a>.</p>
</section>`;
}
