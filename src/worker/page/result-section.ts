/**
 * The summary of a result, the first thing under the heading: the verdict (or, when the model could not read
 * the text, that the result is unreliable and why), the probability as a bar, how much of the text the model
 * knows, and a link that shows the same result again. The form follows it, then the word-by-word view.
 */
import { html } from 'hono/html';
import type { ModelMetadata } from '../../model/metadata.ts';
import type { SentimentResult } from '../sentiment/analyse.ts';
import { percent, plural, thousands, wholePercent } from './format.ts';

/**
 * Reviews up to this many characters get a link to their result (`GET /?text=...`). Links much longer than a
 * few thousand characters get cut or refused by chat apps, mail clients and proxies; a typical review fits.
 */
export const LINK_MAX_CHARS = 2_000;
/** Text outside ASCII takes up to 9 characters per character once percent-encoded: cap the URL itself too. */
const LINK_MAX_ENCODED = 8_000;

/** The path of the page that shows the result for `text`, or undefined when the text is too long for a link. */
export function resultLink(text: string): string | undefined {
  if (text.length > LINK_MAX_CHARS) return undefined;
  const query = new URLSearchParams({ text }).toString();
  return query.length <= LINK_MAX_ENCODED ? `/?${query}` : undefined;
}

function coverageLine(result: SentimentResult, metadata: ModelMetadata) {
  const { tokens: n, coverage } = result;
  const known =
    n === 1
      ? `The one word the model read is ${coverage === 1 ? '' : 'not '}in its vocabulary`
      : coverage === 1
        ? `All ${thousands(n)} words the model read are in its vocabulary`
        : `${wholePercent(coverage)} of the ${thousands(n)} words the model read are in its vocabulary`;
  const kept = metadata.tokenizer.truncation === 'end' ? 'last' : 'first';
  const cut = result.truncated ? ` The review was longer: the model reads only its ${kept} ${plural(n, 'word')}.` : '';
  return html`<p class="coverage" data-coverage="${coverage}">${known}.${cut}</p>`;
}

function linkLine(text: string) {
  const link = resultLink(text);
  if (link) {
    return html`<p class="share"><a href="${link}" data-share>Link to this result</a>
 (to share or bookmark it)</p>`;
  }
  const why =
    text.length > LINK_MAX_CHARS
      ? `links hold reviews of up to ${thousands(LINK_MAX_CHARS)} characters, ` +
        `and this one has ${thousands(text.length)}`
      : 'this review is too long to fit in a link';
  return html`<p class="share" data-share-unavailable>No link to this result: ${why}.</p>`;
}

export function resultSection(metadata: ModelMetadata, text: string, result: SentimentResult) {
  const score = percent(result.score);
  // An unreliable result gets no verdict colour: the warning is the message, the score only a lean.
  const tone = result.reliable ? result.label : 'unreliable';
  const verdict = result.reliable
    ? html`<p class="label" data-label="${result.label}">${result.label === 'positive' ? 'Positive' : 'Negative'}</p>`
    : html`<p class="label" data-label="${result.label}">Unreliable result</p>
  <p class="warning" data-warning>${result.warning ?? 'Too few of these words are in the model’s vocabulary.'}</p>`;
  const caveat = result.reliable ? '' : ' (it leans this way, but says little)';
  return html`<section class="result ${tone}" aria-labelledby="result-heading" id="result"
 data-reliable="${String(result.reliable)}">
  <h2 id="result-heading">Result</h2>
  ${verdict}
  <label for="probability">Probability positive${caveat}: <span data-score="${result.score}">${score}</span></label>
  <meter id="probability" class="${tone}" min="0" max="1" value="${result.score}">${score}</meter>
  ${coverageLine(result, metadata)}
  ${linkLine(text)}
</section>`;
}
