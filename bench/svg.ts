/**
 * Hand-made SVG bar charts (no chart dependency): groups of bars along x, one colour per series, a value on
 * every bar, and a footer line naming the machine.
 */

export interface BarChart {
  title: string;
  /** Axis unit, e.g. "ms" or "req/s". */
  unit: string;
  /** One label per group along x. */
  groups: string[];
  /** One bar per group in each series; NaN leaves a gap. */
  series: { name: string; values: number[] }[];
  /** Log scale for values that span orders of magnitude. */
  log?: boolean;
  /** Format of the value printed on each bar. */
  format?: (value: number) => string;
  /** Small print under the chart: the machine. */
  footer: string;
  /** Top of a linear axis (e.g. 1 for fractions); default: from the data. */
  max?: number;
  /** A dashed horizontal line, e.g. a limit. */
  line?: { value: number; label: string };
}

const COLOURS = ['#2b6cb0', '#dd6b20', '#38a169', '#805ad5', '#d53f8c', '#718096'];
const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function defaultFormat(value: number): string {
  if (value >= 1000) return Math.round(value).toLocaleString('en-US');
  if (value >= 10) return value.toFixed(0);
  if (value >= 1) return value.toFixed(1);
  return value.toPrecision(2);
}

/** Round axis ticks: linear 0..max in 1/2/5 steps, or powers of ten for log scale. */
function ticks(min: number, max: number, log: boolean): number[] {
  if (log) {
    const out: number[] = [];
    for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) out.push(10 ** e);
    return out;
  }
  const raw = max / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let v = 0; v <= max + step * 1e-9; v += step) out.push(v);
  if (out.at(-1)! < max) out.push(out.at(-1)! + step);
  return out;
}

export function barChart(chart: BarChart): string {
  const format = chart.format ?? defaultFormat;
  const longestLabel = Math.max(0, ...chart.groups.map((g) => g.length));
  const width = Math.max(
    640,
    120 + chart.groups.length * Math.max(chart.series.length * 28 + 36, longestLabel * 7 + 12),
  );
  const height = 380;
  const plot = { left: 70, right: width - 20, top: 64, bottom: height - 70 };
  const values = chart.series.flatMap((s) => s.values).filter((v) => Number.isFinite(v) && (!chart.log || v > 0));
  if (chart.line) values.push(chart.line.value);
  const max = chart.max ?? Math.max(...values, chart.log ? 1e-3 : 1e-9);
  const min = chart.log ? Math.min(...values.filter((v) => v > 0), max) : 0;
  const axis = ticks(min, max, Boolean(chart.log));
  const top = axis.at(-1)!;
  const bottom = chart.log ? axis[0]! : 0;
  const y = (v: number) => {
    const f = chart.log ? (Math.log10(v) - Math.log10(bottom)) / (Math.log10(top) - Math.log10(bottom) || 1) : v / top;
    return plot.bottom - f * (plot.bottom - plot.top);
  };
  const groupWidth = (plot.right - plot.left) / Math.max(1, chart.groups.length);
  const barWidth = Math.min(40, (groupWidth - 20) / Math.max(1, chart.series.length));
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="600">${escapeXml(chart.title)}</text>`,
  ];
  // Legend.
  let lx = plot.left;
  for (const [i, s] of chart.series.entries()) {
    out.push(`<rect x="${lx}" y="36" width="12" height="12" fill="${COLOURS[i % COLOURS.length]}"/>`);
    out.push(`<text x="${lx + 16}" y="46">${escapeXml(s.name)}</text>`);
    lx += 28 + s.name.length * 7;
  }
  // Axis and grid.
  for (const t of axis) {
    const ty = y(t).toFixed(1);
    out.push(`<line x1="${plot.left}" x2="${plot.right}" y1="${ty}" y2="${ty}" stroke="#e2e8f0"/>`);
    out.push(
      `<text x="${plot.left - 6}" y="${Number(ty) + 4}" text-anchor="end" fill="#4a5568">${escapeXml(format(t))}</text>`,
    );
  }
  out.push(
    `<text x="16" y="${(plot.top + plot.bottom) / 2}" transform="rotate(-90 16 ${(plot.top + plot.bottom) / 2})" text-anchor="middle" fill="#4a5568">${escapeXml(chart.unit)}${chart.log ? ' (log scale)' : ''}</text>`,
  );
  out.push(`<line x1="${plot.left}" x2="${plot.right}" y1="${plot.bottom}" y2="${plot.bottom}" stroke="#4a5568"/>`);
  // Bars.
  chart.groups.forEach((group, g) => {
    const start = plot.left + g * groupWidth + (groupWidth - barWidth * chart.series.length) / 2;
    chart.series.forEach((s, i) => {
      const v = s.values[g] ?? Number.NaN;
      const x = start + i * barWidth;
      if (!Number.isFinite(v) || (chart.log && v <= 0)) {
        out.push(
          `<text x="${x + barWidth / 2}" y="${plot.bottom - 4}" text-anchor="middle" font-size="10" fill="#a0aec0">n/a</text>`,
        );
        return;
      }
      const by = y(Math.max(v, bottom));
      out.push(
        `<rect x="${(x + 2).toFixed(1)}" y="${by.toFixed(1)}" width="${(barWidth - 4).toFixed(1)}" height="${(plot.bottom - by).toFixed(1)}" fill="${COLOURS[i % COLOURS.length]}"><title>${escapeXml(`${s.name}, ${group}: ${format(v)} ${chart.unit}`)}</title></rect>`,
      );
      out.push(
        `<text x="${(x + barWidth / 2).toFixed(1)}" y="${(by - 4).toFixed(1)}" text-anchor="middle" font-size="10">${escapeXml(format(v))}</text>`,
      );
    });
    out.push(
      `<text x="${plot.left + (g + 0.5) * groupWidth}" y="${plot.bottom + 18}" text-anchor="middle">${escapeXml(group)}</text>`,
    );
  });
  if (chart.line) {
    const ly = y(chart.line.value).toFixed(1);
    out.push(
      `<line x1="${plot.left}" x2="${plot.right}" y1="${ly}" y2="${ly}" stroke="#c53030" stroke-dasharray="6 4"/>`,
    );
    out.push(
      `<text x="${plot.right}" y="${Number(ly) - 5}" text-anchor="end" fill="#c53030">${escapeXml(chart.line.label)}</text>`,
    );
  }
  out.push(
    `<text x="${width / 2}" y="${height - 14}" text-anchor="middle" font-size="11" fill="#4a5568">${escapeXml(chart.footer)}</text>`,
  );
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
