/** The page's only stylesheet, served as /style.css (the Content-Security-Policy allows no inline style). */
export const STYLE_CSS = `
:root { color-scheme: light dark; --accent: #2557a7; --pos: #1a7f37; --neg: #b42318; --muted: #5f6b7a; }
* { box-sizing: border-box; }
body { margin: 0; font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 44rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; margin: 0.5rem 0; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 0.5rem; }
.model { color: var(--muted); margin-top: 0; }
label { display: block; font-weight: 600; margin: 1rem 0 0.25rem; }
textarea { width: 100%; min-height: 10rem; font: inherit; padding: 0.5rem; border: 1px solid #8a94a3; border-radius: 6px; }
textarea:focus, button:focus { outline: 3px solid var(--accent); outline-offset: 2px; }
button { font: inherit; padding: 0.6rem 1.2rem; margin-top: 0.5rem; border: 0; border-radius: 6px; background: var(--accent); color: #fff; cursor: pointer; min-height: 44px; }
.result { border: 2px solid var(--muted); border-radius: 8px; padding: 0.5rem 1rem 1rem; margin: 1rem 0; }
.result.positive { border-color: var(--pos); }
.result.negative { border-color: var(--neg); }
.result .label { font-size: 1.4rem; font-weight: 700; margin: 0.25rem 0; }
.positive .label { color: var(--pos); }
.negative .label { color: var(--neg); }
meter { width: 100%; height: 1.5rem; }
blockquote { margin: 0.5rem 0 0; padding: 0.5rem 0.75rem; border-left: 4px solid var(--muted); white-space: pre-wrap; overflow-wrap: anywhere; }
.error { border: 2px solid var(--neg); border-radius: 8px; padding: 0.75rem 1rem; }
.examples { list-style: none; padding: 0; }
.examples li { margin: 0.5rem 0; }
.examples button { background: transparent; color: inherit; border: 1px solid #8a94a3; text-align: left; width: 100%; margin: 0; }
/* Word by word: the trace chart (inline SVG, styled only from here) and the tinted words. */
.trace h3 { margin-bottom: 0.25rem; }
.chart { margin: 0.5rem 0; }
.trace-chart { display: block; width: 100%; max-width: 34rem; height: auto; font: 13px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.trace-chart .band-pos { fill: var(--pos); fill-opacity: 0.07; }
.trace-chart .band-neg { fill: var(--neg); fill-opacity: 0.07; }
.trace-chart .grid, .trace-chart .tick { stroke: var(--muted); stroke-opacity: 0.35; stroke-width: 1; }
.trace-chart .mid { stroke: var(--muted); stroke-width: 1.5; stroke-dasharray: 6 4; }
.trace-chart .axis, .trace-chart .axis-title, .trace-chart .word-label { fill: currentColor; }
.trace-chart .axis-title { fill: var(--muted); }
.trace-chart .word-label.unk { font-style: italic; }
.trace-chart .trace-line { fill: none; stroke: var(--accent); stroke-width: 2.5; stroke-linejoin: round; stroke-linecap: round; }
.trace-chart .trace-lead { stroke: var(--accent); stroke-width: 1.5; stroke-dasharray: 3 3; }
.trace-chart .trace-dot { fill: var(--accent); }
.trace-chart .trace-start { fill: Canvas; stroke: var(--accent); stroke-width: 2; }
.tint-legend { list-style: none; padding: 0; margin: 0.25rem 0; display: flex; flex-wrap: wrap; gap: 0.25rem 0.4rem; font-size: 0.85rem; }
.trace-words { max-height: 18rem; overflow-y: auto; line-height: 2; padding: 0.25rem 0.5rem; border: 1px solid #8a94a3; border-radius: 6px; overflow-wrap: anywhere; }
.trace-words:focus { outline: 3px solid var(--accent); outline-offset: 2px; }
.w { padding: 0.1rem 0.2rem; border-radius: 3px; }
.w.up1 { background: rgb(26 127 55 / 0.15); }
.w.up2 { background: rgb(26 127 55 / 0.3); }
.w.up3 { background: rgb(26 127 55 / 0.5); }
.w.up4 { background: rgb(26 127 55 / 0.75); }
.w.down1 { background: rgb(180 35 24 / 0.15); }
.w.down2 { background: rgb(180 35 24 / 0.3); }
.w.down3 { background: rgb(180 35 24 / 0.5); }
.w.down4 { background: rgb(180 35 24 / 0.75); }
.w.unk { text-decoration: underline dotted; text-underline-offset: 0.2em; }
.w.unk::after { content: "?"; font-size: 0.75em; vertical-align: super; color: var(--muted); }
footer { color: var(--muted); font-size: 0.9rem; margin-top: 2rem; }
a { color: inherit; }
`;
