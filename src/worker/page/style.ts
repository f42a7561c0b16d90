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
/*
 * GET /how. The heatmap's nine classes, h0 (-1) to h8 (+1): a diverging orange-grey-purple scale (not the green
 * and red of the score's moves: a unit's sign means nothing by itself), light to dark from the middle in the light
 * scheme and dark to bright in the dark one.
 */
:root {
  --h0: #b35806; --h1: #e08214; --h2: #fdb863; --h3: #fee0b6; --h4: #ededed;
  --h5: #d8daeb; --h6: #b2abd2; --h7: #8073ac; --h8: #542788;
  --line2: #b35806;
}
@media (prefers-color-scheme: dark) {
  :root {
    --h0: #f8a13f; --h1: #c8782c; --h2: #8f5626; --h3: #4f3a27; --h4: #2b3038;
    --h5: #3b3760; --h6: #57508f; --h7: #7c71c0; --h8: #a99cf0;
    --line2: #f8a13f;
  }
}
main.how { max-width: 56rem; }
.crumbs { margin: 0; font-size: 0.9rem; }
.toc { padding-left: 1.5rem; margin: 0.5rem 0 1rem; }
.how section { margin-top: 2rem; }
.how h3 { font-size: 1.05rem; margin: 1.25rem 0 0.5rem; }
.formula { font-family: "Cambria Math", "STIX Two Math", "Latin Modern Math", Georgia, serif; font-size: 1.3rem;
  margin: 0.5rem 0; }
.table-scroll { overflow-x: auto; }
.params { border-collapse: collapse; width: 100%; margin: 0.5rem 0; }
.params caption { text-align: left; color: var(--muted); font-size: 0.9rem; padding-bottom: 0.25rem; }
.params th, .params td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid var(--border);
  vertical-align: top; }
.params tfoot th, .params tfoot td { font-weight: 700; border-bottom: 0; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.params .num { text-align: right; }
details { margin: 0.5rem 0; }
summary { cursor: pointer; color: var(--accent); }
.weights { font-size: 0.9rem; padding-left: 1.25rem; overflow-wrap: anywhere; }
input[type="text"] { font: inherit; color: var(--fg); background: var(--field); border: 1px solid var(--border);
  border-radius: 6px; padding: 0.5rem; min-height: 44px; flex: 1 1 12rem; min-width: 0; }
input[type="text"][aria-invalid="true"] { border: 2px solid var(--neg); }
input:focus { outline: 3px solid var(--accent); outline-offset: 2px; }
.field-row { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
.field-row button { margin-top: 0; }
.text-form textarea { height: 6rem; }
.neighbor-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: 0.75rem;
  margin: 1rem 0 0.5rem; }
.neighbors { border: 1px solid var(--border); border-radius: 8px; padding: 0.5rem 0.75rem; }
.neighbors.visitor { border: 2px solid var(--accent); }
.neighbors table { border-collapse: collapse; width: 100%; }
.neighbors caption { text-align: left; padding-bottom: 0.25rem; }
.neighbors th { font-weight: 400; font-size: 0.85rem; color: var(--muted); text-align: left; }
.neighbors td, .neighbors th { padding: 0.05rem 0.25rem; vertical-align: top; }
.neighbors .rank { color: var(--muted); text-align: right; width: 1.75rem; }
/* A long word breaks only when it cannot fit the card at all (not to make its column narrower). */
.neighbors .nb-word { overflow-wrap: break-word; word-break: normal; }
.heatmap-figure { margin: 1rem 0; }
.heatmap-scroll { overflow-x: auto; border: 1px solid var(--border); border-radius: 6px; width: fit-content;
  max-width: 100%; }
.heatmap-scroll:focus { outline: 3px solid var(--accent); outline-offset: 2px; }
/* Drawn at its size in pixels (its box scrolls sideways on a phone): 12 px text at every width. */
.heatmap { display: block; max-width: none; font-size: 12px;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.heatmap text, .grad-chart text { fill: var(--fg); }
.heatmap .axis-title, .grad-chart .axis-title { fill: var(--muted); }
.heatmap .word-label.unk { font-style: italic; }
.heatmap .mark { font-weight: 700; }
.heatmap .grid, .grad-chart .grid { stroke: var(--muted); stroke-opacity: 0.35; stroke-width: 1; }
.heatmap .mid { stroke: var(--muted); stroke-width: 1.5; stroke-dasharray: 6 4; }
.heatmap .hm-line { fill: none; stroke: var(--accent); stroke-width: 2; stroke-linejoin: round; }
.heatmap .hm-lead { stroke: var(--accent); stroke-width: 1.5; stroke-dasharray: 3 3; }
.heatmap .hm-dot { fill: var(--accent); }
.heatmap .hm-start { fill: var(--bg); stroke: var(--accent); stroke-width: 2; }
.heatmap .cells-frame { fill: none; stroke: var(--border); stroke-width: 1; }
.h0 { fill: var(--h0); background: var(--h0); }
.h1 { fill: var(--h1); background: var(--h1); }
.h2 { fill: var(--h2); background: var(--h2); }
.h3 { fill: var(--h3); background: var(--h3); }
.h4 { fill: var(--h4); background: var(--h4); }
.h5 { fill: var(--h5); background: var(--h5); }
.h6 { fill: var(--h6); background: var(--h6); }
.h7 { fill: var(--h7); background: var(--h7); }
.h8 { fill: var(--h8); background: var(--h8); }
.hm-legend { display: flex; align-items: center; gap: 2px; margin: 0.5rem 0 0.25rem; font-size: 0.9rem; }
.hm-legend span:first-child { margin-right: 0.35rem; }
.hm-legend span:last-child { margin-left: 0.35rem; }
.hm-legend .sw { display: inline-block; width: 1.5rem; height: 0.9rem; border: 1px solid var(--border); }
.grad-chart { display: block; width: 100%; max-width: 36rem; height: auto; font-size: 14px;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
@media (max-width: 22.5rem) { .grad-chart { font-size: 15.5px; } }
@media (min-width: 30rem) { .grad-chart { font-size: 11.5px; } }
.grad-chart .axis-line, .grad-chart .tick { stroke: var(--muted); stroke-width: 1; }
.grad-line { fill: none; stroke-width: 2.5; stroke-linejoin: round; }
.grad-line.g0 { stroke: var(--accent); }
.grad-line.g1 { stroke: var(--line2); stroke-dasharray: 8 4; }
.grad-line.g2 { stroke: var(--fg); stroke-dasharray: 2 3; }
.grad-legend { list-style: none; padding: 0; margin: 0.5rem 0; font-size: 0.9rem; }
.grad-legend li { margin: 0.25rem 0; }
.grad-swatch { display: inline-block; width: 2rem; height: 0; vertical-align: middle; margin-right: 0.5rem;
  border-top: 3px solid var(--accent); }
.grad-swatch.g1 { border-top: 3px dashed var(--line2); }
.grad-swatch.g2 { border-top: 3px dotted var(--fg); }
.pair { border-top: 1px solid var(--border); margin-top: 1rem; }
.pair-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(15rem, 1fr)); gap: 0.5rem 1.5rem; }
.pair-text p { margin: 0.25rem 0; }
.pair-quote { font-weight: 600; }
.pair-words { line-height: 2; }
.bag-title { color: var(--muted); font-size: 0.9rem; }
.bag { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 0.75rem;
  font-size: 0.9rem; }
.verdict { border-left: 4px solid var(--neutral); background: var(--warning-bg); padding: 0.5rem 0.75rem; }
.verdict.same { border-left-color: var(--accent); }
`;
