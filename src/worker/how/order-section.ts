/**
 * "Order matters": each pair's scores and words tinted by how each moved the score (the main page's component),
 * beside the bag of words of each text, and whether the two bags are the same.
 */
import { html } from 'hono/html';
import { percent } from '../page/format.ts';
import { scoreMoves, tintedWords } from '../page/tinted-words.ts';
import type { Bag, OrderPair, OrderText } from './order.ts';

const quoted = (text: string) => `“${text}”`;
const list = (tokens: readonly string[]) => tokens.map(quoted).join(', ');

function bagLine(bag: Bag) {
  const items = bag.map(([token, count]) => html`<li><code>${token}</code> ${count}</li>`);
  return html`<ul class="bag" aria-label="Bag of words: each token and its count">${items}</ul>`;
}

function textCard(item: OrderText, start: number) {
  const moves = scoreMoves(item.steps, start);
  return html`<div class="pair-text" data-score="${item.score}">
<p class="pair-quote">${quoted(item.text)}</p>
<p class="pair-score">Network: <strong>${percent(item.score)}</strong> positive</p>
<p class="pair-words">${tintedWords(item.steps, moves)}</p>
<p class="bag-title">What a bag of words sees:</p>
${bagLine(item.bag)}
</div>`;
}

function verdict(pair: OrderPair) {
  const [a, b] = pair.texts;
  if (pair.sameBag) {
    return html`<p class="verdict same" data-same-bag="true"><strong>Identical bags of words.</strong> Any model that
 only counts words (a bag of words, a word lexicon) gets the same vector for both texts and must give them the same
 score; the network, reading them in order, gives ${percent(a.score)} and ${percent(b.score)}.</p>`;
  }
  const only = [
    ...(pair.onlyFirst.length > 0 ? [`only the first has ${list(pair.onlyFirst)}`] : []),
    ...(pair.onlySecond.length > 0 ? [`only the second has ${list(pair.onlySecond)}`] : []),
  ];
  return html`<p class="verdict" data-same-bag="false">Different bags: ${only.join('; ')}. The network gives
 ${percent(a.score)} and ${percent(b.score)}.</p>`;
}

export function orderSection(pairs: readonly OrderPair[], start: number, markNegation: boolean) {
  const negation = markNegation
    ? html` (as the model reads them: a word after a negation is its own token, “not_good”)`
    : '';
  const items = pairs.map(
    (pair, i) => html`<div class="pair" data-pair="${i}">
<h3>${quoted(pair.texts[0].text)} and ${quoted(pair.texts[1].text)}</h3>
<div class="pair-grid">
${textCard(pair.texts[0], start)}
${textCard(pair.texts[1], start)}
</div>
${verdict(pair)}
</div>`,
  );
  return html`<section id="order" aria-labelledby="order-heading">
<h2 id="order-heading">5. Order matters</h2>
<p>A bag of words keeps the count of each word of a text${negation} and forgets their order. The network reads the
 words in order, and its state after each one depends on the ones before. Each word below is tinted by how much it
 moved the network’s score, as on the main page: green raised it, red lowered it (hover a word for its numbers).</p>
${items}
</section>`;
}
