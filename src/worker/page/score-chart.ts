/**
 * The line chart of a trace: an inline SVG of the score after each word the model read. Server-rendered, no
 * script; the Content-Security-Policy allows no inline style, so colours come from classes in /style.css (SVG
 * geometry is in attributes). Every text is escaped by hono's `html` tag.
 */
import { html } from 'hono/html';
import type { TraceStep } from '../sentiment/analyse.ts';
import { percent, points, thousands } from './format.ts';

/** The chart draws at most this many points: a longer trace is sampled evenly, first and last word kept. */
export const CHART_MAX_POINTS = 200;
/** Up to this many words, each point is labelled with its word (else the x axis counts words). */
const WORD_LABELS_UP_TO = 16;
/** Up to this many points, each is drawn as a dot with a tooltip (its word and score). */
const DOTS_UP_TO = 60;

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

/** The chart for `steps`, starting at the empty review's score `start`; `moves` as scoreMoves gives them. */
export function scoreChart(steps: readonly TraceStep[], start: number, moves: readonly number[]) {
  const n = steps.length;
  const labelWords = n <= WORD_LABELS_UP_TO;
  const width = 420;
  const [left, right, top] = [52, 12, 12];
  const bottom = labelWords ? 78 : 44;
  const height = 220 + bottom;
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
  const describeMove = (kind: string, i: number) =>
    i < 0 ? `no word made it ${kind === 'rise' ? 'rise' : 'fall'}` : `largest ${kind} at word ${i + 1}, “${steps[i]!.word}” (${points(moves[i]!)} points)`;
  const desc =
    `The probability that the review is positive after each of the ${thousands(n)} word${n === 1 ? '' : 's'} the model read` +
    `${indices.length < n ? `, drawn with ${indices.length} evenly spaced points` : ''}: ${percent(start)} before the first word, ` +
    `${percent(last.score)} after the last, “${last.word}”; ${describeMove('rise', rise)}; ${describeMove('fall', fall)}. ` +
    'A dashed line marks 50%: above it the model leans positive, below it negative.';

  const gridScores = [0, 0.25, 0.5, 0.75, 1];
  const xLabels = labelWords
    ? steps.map((step, i) => {
        const label = step.word.length > 14 ? `${step.word.slice(0, 13)}…` : step.word;
        const [lx, ly] = [fixed(x(i + 1)), fixed(plotBottom + 14)];
        return html`<text class="word-label${step.unknown ? ' unk' : ''}" x="${lx}" y="${ly}" text-anchor="end" transform="rotate(-40 ${lx} ${ly})">${label}</text>`;
      })
    : wordTicks(n).map(
        (t) => html`<line class="tick" x1="${fixed(x(t))}" x2="${fixed(x(t))}" y1="${plotBottom}" y2="${plotBottom + 5}"></line><text class="axis" x="${fixed(x(t))}" y="${plotBottom + 18}" text-anchor="middle">${thousands(t)}</text>`,
      );
  const dots =
    indices.length <= DOTS_UP_TO
      ? indices.map((i) => {
          const step = steps[i]!;
          return html`<circle class="trace-dot" cx="${fixed(x(i + 1))}" cy="${fixed(y(step.score))}" r="3.5"><title>${i + 1}. ${step.word}${step.unknown ? ' (unknown word)' : ''}: ${percent(step.score)} (${points(moves[i]!)})</title></circle>`;
        })
      : '';

  return html`<svg class="trace-chart" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="trace-title trace-desc" data-words="${n}" data-points="${indices.length}">
<title id="trace-title">Score after each word</title>
<desc id="trace-desc">${desc}</desc>
<rect class="band-pos" x="${left}" y="${fixed(y(1))}" width="${width - left - right}" height="${fixed(y(0.5) - y(1))}"></rect>
<rect class="band-neg" x="${left}" y="${fixed(y(0.5))}" width="${width - left - right}" height="${fixed(y(0) - y(0.5))}"></rect>
${gridScores.map(
  (s) => html`<line class="${s === 0.5 ? 'mid' : 'grid'}" x1="${left}" x2="${width - right}" y1="${fixed(y(s))}" y2="${fixed(y(s))}"></line><text class="axis" x="${left - 6}" y="${fixed(y(s) + 4)}" text-anchor="end">${100 * s}%</text>`,
)}
<text class="axis-title" x="14" y="${fixed((top + plotBottom) / 2)}" text-anchor="middle" transform="rotate(-90 14 ${fixed((top + plotBottom) / 2)})">probability positive</text>
${xLabels}
${labelWords ? '' : html`<text class="axis-title" x="${fixed((left + width - right) / 2)}" y="${height - 6}" text-anchor="middle">words read</text>`}
<line class="trace-lead" x1="${fixed(x(0))}" y1="${fixed(y(start))}" x2="${fixed(x(1))}" y2="${fixed(y(steps[0]!.score))}"></line>
<polyline class="trace-line" points="${line}" data-points="${indices.length}"></polyline>
<circle class="trace-start" cx="${fixed(x(0))}" cy="${fixed(y(start))}" r="3.5"><title>Before the first word: ${percent(start)}</title></circle>
${dots}
</svg>`;
}
