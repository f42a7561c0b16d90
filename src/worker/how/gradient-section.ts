/**
 * "The vanishing gradient, measured": metadata.json's gradientNorms (measured after training on validation
 * reviews, train/gradient-norms.ts) on a log-scale line chart, one line per model, and what they show in one
 * sentence computed from them. Without the measurement, how to make it.
 */
import { html } from 'hono/html';
import type { GradientNorms, ModelMetadata } from '../../model/metadata.ts';
import { thousands } from '../page/format.ts';

const CELLS: Record<string, string> = { simplernn: 'SimpleRNN', gru: 'GRU', lstm: 'LSTM' };
/** Line styles (colour and dash, so the lines differ without colour too), in /style.css. */
const STYLES = 3;
const MEASURE_COMMAND = 'npm run train -- --reexport --compare-gradients DIR';

const SUPERSCRIPT: Record<string, string> = {
  '-': '⁻',
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
};
const power = (exponent: number) => `10${[...String(exponent)].map((c) => SUPERSCRIPT[c] ?? c).join('')}`;

/** 0.00123 -> "1.2 × 10⁻³"; numbers from 0.01 to 1000 as they are. */
export function scientific(x: number): string {
  if (x >= 0.01 && x < 1000) return Number(x.toPrecision(2)).toString();
  const exponent = Math.floor(Math.log10(x));
  const mantissa = Number((x / 10 ** exponent).toPrecision(2));
  return mantissa === 1 ? power(exponent) : `${mantissa} × ${power(exponent)}`;
}

const cellOf = (curve: GradientNorms) => CELLS[curve.cell] ?? curve.cell;
const fixed = (x: number) => x.toFixed(1);

/** The positive values of a curve with their k (a norm of 0 is below float precision: no point on a log scale). */
function points(curve: GradientNorms): Array<[k: number, value: number]> {
  return curve.values.flatMap((v, k) => (v > 0 && Number.isFinite(v) ? [[k, v] as [number, number]] : []));
}

/** What the curves show, from their values: how far the first falls, and how far the others range. */
export function gradientSentence(curves: readonly GradientNorms[]): string {
  const [own, ...others] = curves;
  const ownPoints = points(own!);
  const [[k0, first], [kLast, last]] = [ownPoints[0]!, ownPoints.at(-1)!];
  const orders = Math.log10(first / last);
  const span = kLast - k0;
  let sentence =
    orders >= 1
      ? `Over ${thousands(span)} words, the gradient of this ${cellOf(own!)} falls by ${orders.toFixed(1)} orders of ` +
        `magnitude (from ${scientific(first)} to ${scientific(last)}): a word read ${thousands(span)} words before ` +
        'the end barely moves its final state, so training can hardly teach it anything from that far back'
      : `Over ${thousands(span)} words, the gradient of this ${cellOf(own!)} goes from ${scientific(first)} to ` +
        `${scientific(last)}: words read long before the end still move its final state`;
  const zero = own!.values.findIndex((v) => !(v > 0));
  if (zero >= 0) sentence += ` (from ${thousands(zero)} words back the gradient is 0 in float arithmetic)`;
  const ranges = others.map((curve) => {
    const values = points(curve).map(([, v]) => v);
    const range = Math.log10(Math.max(...values) / Math.min(...values));
    return `the ${cellOf(curve)}’s stays within ${range.toFixed(1)} order${range.toFixed(1) === '1.0' ? '' : 's'} of magnitude`;
  });
  if (ranges.length > 0) sentence += `, while ${ranges.join(' and ')} over the same words`;
  return `${sentence}.`;
}

function ticks(count: number): number[] {
  const last = count - 1;
  const step = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000].find((s) => last / s <= 5) ?? Math.ceil(last / 5);
  const out: number[] = [];
  for (let k = 0; k <= last; k += step) out.push(k);
  if (out.at(-1) !== last && last - out.at(-1)! > step / 2) out.push(last);
  return out;
}

function chart(curves: readonly GradientNorms[]) {
  const all = curves.flatMap((c) => points(c).map(([, v]) => v));
  const low = Math.floor(Math.log10(Math.min(...all)));
  const high = Math.max(low + 1, Math.ceil(Math.log10(Math.max(...all))));
  const steps = Math.max(...curves.map((c) => c.values.length));
  const [width, height] = [360, 270];
  const [left, right, top, bottom] = [56, 16, 30, 52];
  const plotWidth = width - left - right;
  const x = (k: number) => left + (k / Math.max(1, steps - 1)) * plotWidth;
  const y = (v: number) => top + ((high - Math.log10(v)) / (high - low)) * (height - top - bottom);
  const every = Math.ceil((high - low) / 6);
  const yTicks = [];
  for (let e = high; e >= low; e -= every) yTicks.push(e);
  const yAxis = yTicks.map((e) => {
    const ty = fixed(y(10 ** e));
    return html`<line class="grid" x1="${left}" x2="${width - right}" y1="${ty}" y2="${ty}"></line>
<text class="axis" x="${left - 6}" y="${fixed(y(10 ** e) + 5)}" text-anchor="end">${power(e)}</text>`;
  });
  const xAxis = ticks(steps).map((k) => {
    const tx = fixed(x(k));
    return html`<line class="tick" x1="${tx}" x2="${tx}" y1="${height - bottom}" y2="${height - bottom + 5}"></line>
<text class="axis" x="${tx}" y="${height - bottom + 21}" text-anchor="middle">${k}</text>`;
  });
  const lines = curves.map((curve, i) => {
    const line = points(curve)
      .map(([k, v]) => `${fixed(x(k))},${fixed(y(v))}`)
      .join(' ');
    return html`<polyline class="grad-line g${i % STYLES}" points="${line}" data-model="${curve.model}"></polyline>`;
  });
  const desc = `${gradientSentence(curves)} The vertical axis is logarithmic, from ${power(low)} to ${power(high)}.`;
  return html`<svg class="grad-chart" viewBox="0 0 ${width} ${height}" role="img"
 aria-labelledby="grad-title grad-desc" data-curves="${curves.length}">
<title id="grad-title">Gradient norm against words back</title>
<desc id="grad-desc">${desc}</desc>
<text class="axis-title" x="2" y="${top - 14}">gradient norm (log scale)</text>
${yAxis}
<line class="axis-line" x1="${left}" x2="${left}" y1="${top}" y2="${height - bottom}"></line>
<line class="axis-line" x1="${left}" x2="${width - right}" y1="${height - bottom}" y2="${height - bottom}"></line>
${xAxis}
<text class="axis-title" x="${fixed(left + plotWidth / 2)}" y="${height - 6}" text-anchor="middle">k: words before
 the last one</text>
${lines}
</svg>`;
}

export function gradientSection(metadata: ModelMetadata) {
  const curves = (metadata.gradientNorms ?? []).filter((c) => points(c).length >= 2);
  const what = html`<p>Training adjusts each weight by the gradient of the loss, and what reaches a word read k words
 before the end passes through k steps of the recurrence. The norm of ∂h<sub>T</sub>/∂x<sub>T−k</sub> says how
 much the final state h<sub>T</sub> would change if the word read k words before the last one changed.</p>`;
  if (curves.length === 0) {
    return html`<section id="gradient" aria-labelledby="gradient-heading">
<h2 id="gradient-heading">4. The vanishing gradient, measured</h2>
${what}
<p data-gradient="missing">It has not been measured for this model: its metadata.json has no
 <code>gradientNorms</code>. To measure it on the model’s validation reviews, and to compare with another model
 folder DIR (a GRU trained the same way, say), run <code>${MEASURE_COMMAND}</code>.</p>
</section>`;
  }
  const legend = curves.map((curve, i) => {
    const own = i === 0 ? ', this model' : '';
    return html`<li><span class="grad-swatch g${i % STYLES}"></span>${curve.model} (${cellOf(curve)}${own}):
 mean over ${thousands(curve.reviews)} validation reviews, k = 0 to ${thousands(curve.values.length - 1)}</li>`;
  });
  return html`<section id="gradient" aria-labelledby="gradient-heading">
<h2 id="gradient-heading">4. The vanishing gradient, measured</h2>
${what}
<figure class="chart">
${chart(curves)}
<figcaption><ul class="grad-legend">${legend}</ul></figcaption>
</figure>
<p data-gradient="sentence">${gradientSentence(curves)}</p>
</section>`;
}
