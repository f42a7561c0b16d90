/**
 * The page's only stylesheet, served as /style.css (the Content-Security-Policy allows no inline style).
 *
 * Every colour is a custom property with a light and a dark value, picked so that every text keeps at least
 * 4.5:1 contrast against what is behind it (the page, a tinted word, the error box) and the chart's strokes
 * at least 3:1 (tests/browser/page.test.ts measures both schemes).
 */
export const STYLE_CSS = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1b1f24; --muted: #57606a; --border: #7d8590; --field: #ffffff;
  --accent: #2557a7; --on-accent: #ffffff;
  --pos: #1a7f37; --neg: #b42318; --neutral: #57606a; --track: #e1e4e8;
  --error-bg: #fdf1f0; --warning-bg: #f3f4f6;
  --up1: #e6f4ea; --up2: #c6e7cf; --up3: #98d3a9; --up4: #62b97c;
  --down1: #fdecea; --down2: #f9cdc8; --down3: #f2a59d; --down4: #e67a6f;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #16191e; --fg: #e6e9ed; --muted: #a1abb7; --border: #7d8590; --field: #0e1116;
    --accent: #84a9ff; --on-accent: #0d1117;
    --pos: #56d37a; --neg: #ff8b80; --neutral: #a1abb7; --track: #2d333b;
    --error-bg: #351a19; --warning-bg: #22262d;
    --up1: #1a2e21; --up2: #1d4229; --up3: #1f5732; --up4: #1d6b39;
    --down1: #3a1d1c; --down2: #552523; --down3: #6f2b28; --down4: #8a2f2a;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 44rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; margin: 0.5rem 0; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 0.5rem; }
a { color: var(--accent); }
.model, .help { color: var(--muted); margin-top: 0; }
.help { font-size: 0.9rem; }
label { display: block; font-weight: 600; margin: 1rem 0 0.25rem; }
/* The review scrolls inside its box, so a long one does not push the button and the result out of reach. */
textarea { display: block; width: 100%; height: 10rem; min-height: 5rem; resize: vertical; font: inherit;
  padding: 0.5rem; color: var(--fg); background: var(--field); border: 1px solid var(--border); border-radius: 6px; }
textarea[aria-invalid="true"] { border: 2px solid var(--neg); }
textarea:focus, button:focus, a:focus { outline: 3px solid var(--accent); outline-offset: 2px; }
button { font: inherit; padding: 0.6rem 1.2rem; margin-top: 0.5rem; border: 0; border-radius: 6px;
  background: var(--accent); color: var(--on-accent); cursor: pointer; min-height: 44px; }
.result { border: 2px solid var(--border); border-radius: 8px; padding: 0.25rem 1rem 0.5rem; margin: 1rem 0; }
.result h2 { margin-top: 0.5rem; }
.result.positive { border-color: var(--pos); }
.result.negative { border-color: var(--neg); }
.result.unreliable { border: 2px dashed var(--neutral); }
.result .label { font-size: 1.4rem; font-weight: 700; margin: 0.25rem 0; }
.positive .label { color: var(--pos); }
.negative .label { color: var(--neg); }
.unreliable .label { color: var(--fg); }
.warning { font-size: 1.05rem; font-weight: 600; background: var(--warning-bg); border-left: 4px solid var(--neutral);
  padding: 0.5rem 0.75rem; margin: 0.25rem 0 0.5rem; }
.result label { font-weight: 400; margin-top: 0.5rem; }
/* The bar takes the verdict's colour (grey when unreliable), not the browser's low/optimum colours. */
meter { display: block; width: 100%; height: 1.25rem; appearance: none; background: var(--track);
  border: 1px solid var(--border); border-radius: 4px; --meter: var(--neutral); }
meter.positive { --meter: var(--pos); }
meter.negative { --meter: var(--neg); }
meter::-webkit-meter-bar { background: var(--track); border: 0; border-radius: 3px; height: 100%; }
meter::-webkit-meter-optimum-value { background: var(--meter); border-radius: 3px 0 0 3px; }
meter::-webkit-meter-suboptimum-value { background: var(--meter); }
meter::-webkit-meter-even-less-good-value { background: var(--meter); }
meter::-moz-meter-bar { background: var(--meter); }
.coverage, .share { margin: 0.5rem 0; }
.error { color: var(--fg); background: var(--error-bg); border: 2px solid var(--neg); border-radius: 8px;
  padding: 0.75rem 1rem; font-weight: 600; margin: 1rem 0 0; }
.examples { list-style: none; padding: 0; }
.examples li { margin: 0.5rem 0; }
.examples button { background: transparent; color: var(--fg); border: 1px solid var(--border); text-align: left;
  width: 100%; margin: 0; }
/* Word by word: the trace chart (inline SVG, styled only from here) and the tinted words. */
.trace h3 { margin-bottom: 0.25rem; }
.chart { margin: 0.5rem 0; }
/*
 * SVG text scales with the chart: 14 user units is about 14 px in a phone's column (390 px wide); where the
 * chart is drawn wider, a smaller size in user units keeps the text near 14-16 px; on the narrowest phones, larger.
 */
.trace-chart { display: block; width: 100%; max-width: 32rem; height: auto; font-size: 14px;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
@media (max-width: 22.5rem) { .trace-chart { font-size: 15.5px; } }
@media (min-width: 30rem) { .trace-chart { font-size: 11.5px; } }
.trace-chart text { fill: var(--fg); }
.trace-chart .axis-title { fill: var(--muted); }
.trace-chart .word-label.unk { font-style: italic; }
.trace-chart .mark { font-weight: 700; }
.trace-chart .band-pos { fill: var(--pos); fill-opacity: 0.07; }
.trace-chart .band-neg { fill: var(--neg); fill-opacity: 0.07; }
.trace-chart .grid { stroke: var(--muted); stroke-opacity: 0.35; stroke-width: 1; }
.trace-chart .axis-line, .trace-chart .tick { stroke: var(--muted); stroke-width: 1; }
.trace-chart .mid { stroke: var(--muted); stroke-width: 1.5; stroke-dasharray: 6 4; }
.trace-chart .trace-line { fill: none; stroke: var(--accent); stroke-width: 2.5; stroke-linejoin: round;
  stroke-linecap: round; }
.trace-chart .trace-lead { stroke: var(--accent); stroke-width: 1.5; stroke-dasharray: 3 3; }
.trace-chart .trace-dot { fill: var(--accent); }
.trace-chart .trace-start { fill: var(--bg); stroke: var(--accent); stroke-width: 2; }
.tint-legend { list-style: none; padding: 0; margin: 0.25rem 0; display: flex; flex-wrap: wrap;
  gap: 0.25rem 0.4rem; font-size: 0.85rem; }
.trace-words { max-height: 18rem; overflow-y: auto; line-height: 2; padding: 0.25rem 0.5rem;
  border: 1px solid var(--border); border-radius: 6px; overflow-wrap: anywhere; }
.trace-words:focus { outline: 3px solid var(--accent); outline-offset: 2px; }
.w { padding: 0.1rem 0.2rem; border-radius: 3px; color: var(--fg); }
.w.up1 { background: var(--up1); }
.w.up2 { background: var(--up2); }
.w.up3 { background: var(--up3); }
.w.up4 { background: var(--up4); }
.w.down1 { background: var(--down1); }
.w.down2 { background: var(--down2); }
.w.down3 { background: var(--down3); }
.w.down4 { background: var(--down4); }
/* Marks in the text's colour, not by colour alone: "?" after an unknown word, "¬" before a negated one. */
.w.unk { text-decoration: underline dotted; text-underline-offset: 0.2em; }
.w.unk::after { content: "?"; font-size: 0.75em; vertical-align: super; }
.w.neg::before { content: "¬"; content: "¬" / "negated"; font-weight: 700; margin-right: 0.1em; }
footer { color: var(--muted); font-size: 0.9rem; margin-top: 2rem; }
`;
