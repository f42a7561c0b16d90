/**
 * The line chart of a trace: an inline SVG of the score after each word the model read. Server-rendered, no
 * script; the Content-Security-Policy allows no inline style, so colours come from classes in /style.css (SVG
 * geometry is in attributes). Every text is escaped by hono's `html` tag.
 *
 * The SVG scales with the page, and its text with it: the view box is about as wide as a phone's column (so at
 * 390 px the text is drawn near its size in user units) and /style.css sets a smaller font in user units where the
 * chart is drawn wider. The layout leaves room for the largest of those sizes.
 */
import { html } from 'hono/html';
import type { TraceStep } from '../sentiment/analyse.ts';
import { describeWord, percent, plural, points, thousands, wordNotes } from './format.ts';

/** The chart draws at most this many points: a longer trace is sampled evenly, first and last word kept. */
export const CHART_MAX_POINTS = 200;
/** Up to this many words, each point is labelled with its word (else the x axis counts words). */
const WORD_LABELS_UP_TO = 16;
/** Up to this many points, each is drawn as a dot with a tooltip (its word and score). */
const DOTS_UP_TO = 60;
/** Longer words are cut in the labels (the whole word is in the point's tooltip and the tinted words). */
const LABEL_CHARS = 12;

/** Indices of the points to draw for a trace of `n` words: all of them, or `max` evenly spaced ones. */
export function sampleIndices(n: number, max = CHART_MAX_POINTS): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: max }, (_, k) => Math.round((k * (n - 1)) / (max - 1)));
}

const fixed = (x: number) => x.toFixed(1);

/** Word numbers to mark on the x axis of a long trace: 1, round multiples, and the last. */
function wordTicks(n: number): number[] {
  const step = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000].find((s) => n / s <= 6) ?? Math.ceil(n / 6);
  const ticks = [1];
  for (let t = step; t < n - step / 2; t += step) ticks.push(t);
  if (n > 1) ticks.push(n);
  return ticks;
}

/** A word's label under its point: the user's word (cut if long), "¬" before a negated word, "?" after an unknown. */
function wordLabel(step: TraceStep, x: number, y: number) {
  const word = step.word.length > LABEL_CHARS ? `${step.word.slice(0, LABEL_CHARS - 1)}…` : step.word;
  const cls = ['word-label', step.negated ? 'neg' : '', step.unknown ? 'unk' : ''].filter(Boolean).join(' ');
  const [lx, ly] = [fixed(x), fixed(y)];
  const before = step.negated ? html`<tspan class="mark">¬</tspan>` : '';
  const after = step.unknown ? html`<tspan class="mark">?</tspan>` : '';
  // Steep labels: at -60 degrees neighbouring labels of 16 words stay apart at the largest font the CSS sets.
  return html`<text class="${cls}" x="${lx}" y="${ly}" text-anchor="end"
 transform="rotate(-60 ${lx} ${ly})">${before}${word}${after}</text>`;
}

/** The chart for `steps`, starting at the empty review's score `start`; `moves` as scoreMoves gives them. */
export function scoreChart(steps: readonly TraceStep[], start: number, moves: readonly number[]) {
  const n = steps.length;
  const labelWords = n <= WORD_LABELS_UP_TO;
  const width = 360;
  // The axis title sits above the plot, so the left margin only holds the "100%" labels.
  const [left, right, top] = [46, 20, 30];
  const bottom = labelWords ? 106 : 52;
  const height = top + 190 + bottom;
  const plotBottom = height - bottom;
  // Position 0 is the start (no word read yet); word i is at position i + 1.
  const x = (position: number) => left + (position / n) * (width - left - right);
  const y = (score: number) => top + (1 - score) * (plotBottom - top);
  const indices = sampleIndices(n);
  const line = indices.map((i) => `${fixed(x(i + 1))},${fixed(y(steps[i]!.score))}`).join(' ');

  let rise = -1;
  let fall = -1;
  moves.forEach((m, i) => {
    if (m > 0 && (rise < 0 || m > moves[rise]!)) rise = i;
    if (m < 0 && (fall < 0 || m < moves[fall]!)) fall = i;
  });
  const last = steps[n - 1]!;
  const quoted = (step: TraceStep) => `“${step.word}”${wordNotes(step)}`;
  const describeMove = (kind: string, i: number) =>
    i < 0
      ? `no word made it ${kind}`
      : `largest ${kind} at word ${i + 1}, ${quoted(steps[i]!)} (${points(moves[i]!)} points)`;
  const sampled = indices.length < n ? `, drawn with ${indices.length} evenly spaced points` : '';
  const desc =
    `The probability that the review is positive after each of the ${plural(n, 'word')} the model read${sampled}: ` +
    `${percent(start)} before the first word, ${percent(last.score)} after the last, ${quoted(last)}; ` +
    `${describeMove('rise', rise)}; ${describeMove('fall', fall)}. ` +
    'A dashed line marks 50%: above it the model leans positive, below it negative.';

  const xLabels = labelWords
    ? steps.map((step, i) => wordLabel(step, x(i + 1), plotBottom + 12))
    : wordTicks(n).map((t) => {
        const tx = fixed(x(t));
        return html`<line class="tick" x1="${tx}" x2="${tx}" y1="${plotBottom}" y2="${plotBottom + 5}"></line>
<text class="axis" x="${tx}" y="${plotBottom + 21}" text-anchor="middle">${thousands(t)}</text>`;
      });
  const dots =
    indices.length <= DOTS_UP_TO
      ? indices.map((i) => {
          const step = steps[i]!;
          const title = `${i + 1}. ${describeWord(step)}: ${percent(step.score)} (${points(moves[i]!)} points)`;
          return html`<circle class="trace-dot" cx="${fixed(x(i + 1))}" cy="${fixed(y(step.score))}" r="3.5">
<title>${title}</title></circle>`;
        })
      : '';
  // 0% and the left edge are the axes (drawn solid); 25% and 75% are faint guides; 50% is the dashed midline.
  const grid = [0, 0.25, 0.5, 0.75, 1].map((s) => {
    const cls = s === 0.5 ? 'mid' : s === 0 ? 'axis-line' : 'grid';
    return html`<line class="${cls}" x1="${left}" x2="${width - right}" y1="${fixed(y(s))}" y2="${fixed(y(s))}"></line>
<text class="axis" x="${left - 6}" y="${fixed(y(s) + 5)}" text-anchor="end">${100 * s}%</text>`;
  });
  const plotWidth = width - left - right;
  const wordsRead = labelWords
    ? ''
    : html`<text class="axis-title" x="${fixed(left + plotWidth / 2)}" y="${height - 6}"
 text-anchor="middle">words read</text>`;

  return html`<svg class="trace-chart" viewBox="0 0 ${width} ${height}" role="img"
 aria-labelledby="trace-title trace-desc" data-words="${n}" data-points="${indices.length}">
<title id="trace-title">Score after each word</title>
<desc id="trace-desc">${desc}</desc>
<rect class="band-pos" x="${left}" y="${fixed(y(1))}" width="${plotWidth}" height="${fixed(y(0.5) - y(1))}"></rect>
<rect class="band-neg" x="${left}" y="${fixed(y(0.5))}" width="${plotWidth}" height="${fixed(y(0) - y(0.5))}"></rect>
${grid}
<line class="axis-line" x1="${left}" x2="${left}" y1="${top}" y2="${plotBottom}"></line>
<text class="axis-title" x="2" y="${top - 14}" text-anchor="start">probability positive</text>
${xLabels}
${wordsRead}
<line class="trace-lead" x1="${fixed(x(0))}" y1="${fixed(y(start))}" x2="${fixed(x(1))}"
 y2="${fixed(y(steps[0]!.score))}"></line>
<polyline class="trace-line" points="${line}" data-points="${indices.length}"></polyline>
<circle class="trace-start" cx="${fixed(x(0))}" cy="${fixed(y(start))}" r="3.5">
<title>Before the first word: ${percent(start)}</title></circle>
${dots}
</svg>`;
}
