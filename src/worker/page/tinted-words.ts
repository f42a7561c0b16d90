/**
 * The words of a trace, each tinted by how much it moved the score, with the colour key. Colours come from
 * classes in /style.css (the Content-Security-Policy allows no inline style). Each span holds the text's own
 * word; the marks for a negated ("¬") or unknown ("?") word are drawn by /style.css and said in the title.
 */
import { html } from 'hono/html';
import type { TraceStep } from '../sentiment/analyse.ts';
import { describeWord, percent, points } from './format.ts';

/**
 * Tint levels by how much a word moved the score (probability, 0..1): |move| >= TINT_STEPS[k] gets level k + 1,
 * so up1..up4 (rose) and down1..down4 (fell); below the first step a word is left untinted.
 */
export const TINT_STEPS = [0.005, 0.02, 0.05, 0.15] as const;

/** How much each word moved the score: its score minus the one before (the first word: minus `start`). */
export function scoreMoves(steps: readonly TraceStep[], start: number): number[] {
  return steps.map((step, i) => step.score - (i === 0 ? start : steps[i - 1]!.score));
}

/** The tint class of a move: "up1".."up4", "down1".."down4", or "" when it is too small to show. */
export function tintClass(move: number): string {
  let level = 0;
  while (level < TINT_STEPS.length && Math.abs(move) >= TINT_STEPS[level]!) level++;
  return level === 0 ? '' : `${move > 0 ? 'up' : 'down'}${level}`;
}

/** The colour key of the tints and marks, and what they mean; the negation mark only for a model that reads it. */
export function tintLegend(start: number, markNegation: boolean) {
  const cell = (cls: string, text: string) => html`<li><span class="${cls ? `w ${cls}` : 'w'}">${text}</span></li>`;
  const pts = TINT_STEPS.map((s) => Number((100 * s).toFixed(1)));
  const M = '\u2212';
  const cells = [
    cell('down4', `${M}${pts[3]} or more`),
    cell('down3', `${M}${pts[2]} to ${M}${pts[3]}`),
    cell('down2', `${M}${pts[1]} to ${M}${pts[2]}`),
    cell('down1', `${M}${pts[0]} to ${M}${pts[1]}`),
    cell('', `under ${pts[0]} either way`),
    cell('up1', `+${pts[0]} to +${pts[1]}`),
    cell('up2', `+${pts[1]} to +${pts[2]}`),
    cell('up3', `+${pts[2]} to +${pts[3]}`),
    cell('up4', `+${pts[3]} or more`),
    cell('unk', 'not in the vocabulary'),
    ...(markNegation ? [cell('neg', 'read as negated')] : []),
  ];
  const negation = markNegation
    ? ' A “¬” marks a word read in a negation scope (after “not”, “never” or a word ending in “n’t”, up to the next' +
      ' punctuation): in “not good”, the model reads “good” as “not_good”.'
    : '';
  return html`<ul class="tint-legend" aria-label="Colour key, in percentage points">
${cells}
</ul>
<p class="help">Background: how much the probability positive rose (green) or fell (red) when the model read the word,
 in percentage points (the first word against ${percent(start)}, the model's score for an empty review). A dotted
 underline and “?” mark words outside the vocabulary, each read as the one unknown word.${negation}
 Hover a word for its numbers.</p>`;
}

/** One span per word, in order, tinted by its move; out-of-vocabulary and negated words marked. */
export function tintedWords(steps: readonly TraceStep[], moves: readonly number[]) {
  return steps.map((step, i) => {
    const marks = [step.unknown ? 'unk' : '', step.negated ? 'neg' : ''];
    const cls = ['w', tintClass(moves[i]!), ...marks].filter(Boolean).join(' ');
    const title = `${describeWord(step)}: ${percent(step.score)}, ${points(moves[i]!)} points`;
    return html`<span class="${cls}" title="${title}" data-move="${moves[i]!.toFixed(4)}">${step.word}</span> `;
  });
}
