/**
 * The heatmap of the recurrent state: one column per word read, one row per unit, each cell coloured by the
 * unit's value (tanh: -1..1) in HEATMAP_LEVELS classes of /style.css (the Content-Security-Policy allows no inline
 * style), with the score after each word drawn above it on the same x axis. The SVG keeps its size in pixels
 * (its container scrolls sideways on a narrow screen), so its text stays readable at any width.
 */
import { html, raw } from 'hono/html';
import { describeWord, percent } from '../page/format.ts';
import type { TraceStep } from '../sentiment/analyse.ts';

/** Colour classes h0..h8, each a ninth of -1..1 (h4 is -0.11..0.11). */
export const HEATMAP_LEVELS = 9;
/** Longer words are cut in the column labels (the whole word is in the point's tooltip). */
const LABEL_CHARS = 12;

/** The colour class index of a unit's value. */
export function heatmapLevel(value: number): number {
  const level = Math.floor(((value + 1) / 2) * HEATMAP_LEVELS);
  return Math.min(HEATMAP_LEVELS - 1, Math.max(0, level));
}

/** The bounds of level k: [-1 + 2k/9, -1 + 2(k+1)/9]. */
export function levelBounds(level: number): [number, number] {
  return [-1 + (2 * level) / HEATMAP_LEVELS, -1 + (2 * (level + 1)) / HEATMAP_LEVELS];
}

const fixed = (x: number) => x.toFixed(1);

export interface HeatmapInput {
  steps: readonly TraceStep[];
  /** Row-major [steps.length, units]. */
  states: Float32Array;
  units: number;
  /** The model's score for an empty text: the score line starts there. */
  start: number;
}

export function heatmap({ steps, states, units, start }: HeatmapInput) {
  const n = steps.length;
  const cw = Math.min(28, Math.max(13, Math.floor(720 / n)));
  const ch = Math.max(2, Math.floor(320 / units));
  const [left, right] = [44, 10];
  const [stripTop, stripBottom] = [28, 108];
  const top = 134;
  const bottom = top + units * ch;
  const width = left + n * cw + right;
  // Room under the cells for the longest label, drawn upright (about 7.5 px a character at 12 px).
  const longest = Math.max(
    ...steps.map((s) => Math.min(s.word.length, LABEL_CHARS) + (s.negated ? 1 : 0) + (s.unknown ? 1 : 0)),
  );
  const height = bottom + 8 + Math.ceil(longest * 7.5) + 12;
  const cx = (t: number) => left + (t + 0.5) * cw;
  const sy = (score: number) => stripTop + (1 - score) * (stripBottom - stripTop);

  // 64 x 60 cells at most: built as one string of numbers and fixed class names (no text from the request), which
  // is several times faster than a template per cell.
  let cells = '';
  for (let t = 0; t < n; t++) {
    cells += `<g transform="translate(${left + t * cw})">`;
    for (let u = 0; u < units; u++) {
      const level = heatmapLevel(states[t * units + u]!);
      cells += `<rect y="${top + u * ch}" width="${cw}" height="${ch}" class="h${level}"/>`;
    }
    cells += '</g>';
  }

  const line = steps.map((s, t) => `${fixed(cx(t))},${fixed(sy(s.score))}`).join(' ');
  const dots = steps.map(
    (s, t) => html`<circle class="hm-dot" cx="${fixed(cx(t))}" cy="${fixed(sy(s.score))}" r="2.5">
<title>${t + 1}. ${describeWord(s)}: ${percent(s.score)}</title></circle>`,
  );
  const labels = steps.map((s, t) => {
    const word = s.word.length > LABEL_CHARS ? `${s.word.slice(0, LABEL_CHARS - 1)}…` : s.word;
    const cls = ['word-label', s.negated ? 'neg' : '', s.unknown ? 'unk' : ''].filter(Boolean).join(' ');
    const [x, y] = [fixed(cx(t) + 4), bottom + 8];
    const before = s.negated ? html`<tspan class="mark">¬</tspan>` : '';
    const after = s.unknown ? html`<tspan class="mark">?</tspan>` : '';
    return html`<text class="${cls}" x="${x}" y="${y}" text-anchor="end"
 transform="rotate(-90 ${x} ${y})">${before}${word}${after}</text>`;
  });
  const grid = [0, 0.5, 1].map(
    (s) => html`<line class="${s === 0.5 ? 'mid' : 'grid'}" x1="${left}" x2="${width - right}" y1="${fixed(sy(s))}"
 y2="${fixed(sy(s))}"></line>
<text class="axis" x="${left - 6}" y="${fixed(sy(s) + 4)}" text-anchor="end">${100 * s}%</text>`,
  );
  const unitTicks = [1, Math.round(units / 2), units].map(
    (u) => html`<text class="axis" x="${left - 6}" y="${top + (u - 0.5) * ch + 4}" text-anchor="end">${u}</text>`,
  );
  const last = steps[n - 1]!;
  const desc =
    `The state of the network's ${units} units (rows) after each of the ${n} words drawn (columns), each cell ` +
    'coloured by its value from −1 (orange) through 0 (grey) to +1 (purple); above it, the probability that the ' +
    `review is positive after each word: ${percent(start)} before the first word, ${percent(last.score)} after ` +
    `the last.`;

  return html`<svg class="heatmap" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img"
 aria-labelledby="heatmap-title heatmap-desc" data-units="${units}" data-words="${n}">
<title id="heatmap-title">The network’s state after each word</title>
<desc id="heatmap-desc">${desc}</desc>
<text class="axis-title" x="4" y="14">probability positive</text>
${grid}
<line class="hm-lead" x1="${left}" y1="${fixed(sy(start))}" x2="${fixed(cx(0))}" y2="${fixed(sy(steps[0]!.score))}"></line>
<polyline class="hm-line" points="${line}"></polyline>
<circle class="hm-start" cx="${left}" cy="${fixed(sy(start))}" r="3"><title>Before the first word: ${percent(start)}</title></circle>
${dots}
<text class="axis-title" x="4" y="${top - 6}">unit</text>
${unitTicks}
<g class="cells" shape-rendering="crispEdges">${raw(cells)}</g>
<rect class="cells-frame" x="${left}" y="${top}" width="${n * cw}" height="${units * ch}"></rect>
${labels}
</svg>`;
}

/** The colour key: the nine classes from -1 to +1, each with its range in its tooltip. */
export function heatmapLegend() {
  const swatches = Array.from({ length: HEATMAP_LEVELS }, (_, level) => {
    const [from, to] = levelBounds(level).map((b) => b.toFixed(2).replace('-', '−'));
    return html`<span class="sw h${level}" title="${from} to ${to}"></span>`;
  });
  return html`<p class="hm-legend" aria-label="Colour key: a unit’s value from −1 to +1, in nine steps">
<span>−1</span>${swatches}<span>+1</span></p>`;
}
