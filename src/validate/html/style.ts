// The report's only stylesheet, inlined: the page must open from a CI
// artifact or an e-mail attachment with no network. System fonts only.
// Status is always spelled out in text as well as colour (colour-blind
// readers, black-and-white printers).

export const REPORT_CSS = `
:root { --pass: #1a7f37; --fail: #cf222e; --infra: #9a6700; --ink: #1f2328; --muted: #59636e; --rule: #d1d9e0; --bar: #0969da; --bg-alt: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1200px; padding: 24px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; }
h1 { font-size: 22px; margin: 0 0 8px; }
h2 { font-size: 18px; margin: 32px 0 8px; padding-top: 16px; border-top: 2px solid var(--rule); }
h3 { font-size: 15px; margin: 20px 0 6px; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
.sha { word-break: break-all; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; color: #fff; letter-spacing: 0.03em; vertical-align: middle; }
.badge.pass { background: var(--pass); } .badge.fail { background: var(--fail); } .badge.infra { background: var(--infra); }
ul.boards { list-style: none; padding: 0; margin: 8px 0; display: flex; flex-wrap: wrap; gap: 8px 20px; }
ul.notes { margin: 4px 0 8px; padding-left: 20px; color: var(--muted); }
.error { border-left: 4px solid var(--infra); background: #fff8c5; padding: 6px 10px; margin: 8px 0; }
.error.fail { border-color: var(--fail); background: #ffebe9; }
figure { margin: 8px 0 16px; break-inside: avoid; }
figcaption { color: var(--muted); font-size: 13px; margin-top: 4px; }
svg.chart { display: block; width: 100%; height: auto; max-width: 760px; font-family: inherit; }
svg.chart text { font-size: 11px; fill: var(--ink); }
svg.chart.arena, svg.chart.layers { max-width: 1100px; }
svg.chart .axis { stroke: var(--muted); stroke-width: 1; }
svg.chart .grid { stroke: var(--rule); stroke-width: 1; }
svg.chart .bar { fill: var(--bar); }
svg.chart .bar:hover { fill: #0550ae; }
svg.chart .marker { stroke-width: 1.5; stroke-dasharray: 4 3; }
svg.chart .m-min, svg.chart .m-max { stroke: var(--muted); }
svg.chart .m-median { stroke: var(--pass); }
svg.chart .m-p90 { stroke: var(--fail); }
svg.chart text.muted { fill: var(--muted); }
svg.chart .track { fill: var(--bg-alt); stroke: var(--rule); }
svg.chart .bar.over { fill: var(--fail); }
svg.chart .peak-col { fill: #fff8c5; }
svg.chart .buf { stroke: #fff; stroke-width: 0.5; }
svg.chart .buf:hover { stroke: var(--ink); stroke-width: 1.5; }
svg.chart .role-input { fill: #8250df; } svg.chart .role-output { fill: #bf3989; } svg.chart .role-activation { fill: #0969da; }
svg.chart .role-variable { fill: #9a6700; } svg.chart .role-scratch { fill: #57606a; }
svg.chart .overhead { fill: none; stroke: var(--muted); stroke-dasharray: 4 3; }
svg.chart text.on-bar { fill: #fff; font-size: 10px; pointer-events: none; }
svg.chart .bar.est { fill: #8c959f; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 4px 0; font-size: 12.5px; color: var(--muted); list-style: none; padding: 0; }
.legend .swatch { display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: baseline; }
.legend .role-input { background: #8250df; } .legend .role-output { background: #bf3989; } .legend .role-activation { background: #0969da; }
.legend .role-variable { background: #9a6700; } .legend .role-scratch { background: #57606a; }
tr.peak td { background: #fff8c5; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; margin: 6px 0 16px; font-size: 12.5px; }
th, td { border-bottom: 1px solid var(--rule); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: var(--bg-alt); font-weight: 600; vertical-align: bottom; }
.tensor { display: block; color: var(--muted); font-size: 11.5px; overflow-wrap: break-word; max-width: 18em; }
td.case { overflow-wrap: break-word; min-width: 6em; max-width: 16em; }
td.notes { min-width: 10em; max-width: 28em; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.fail td:first-child { box-shadow: inset 3px 0 0 var(--fail); }
tr.infra td:first-child { box-shadow: inset 3px 0 0 var(--infra); }
th button { all: inherit; cursor: pointer; padding: 0; }
th button::after { content: "\\00a0\\2195"; color: var(--muted); }
th[aria-sort="ascending"] button::after { content: "\\00a0\\2191"; }
th[aria-sort="descending"] button::after { content: "\\00a0\\2193"; }
td.mismatch { color: var(--fail); font-weight: 600; }
.muted { color: var(--muted); }
caption { caption-side: top; text-align: left; font-size: 12.5px; padding: 2px 0 4px; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  section.board { break-before: page; }
  section.board:first-of-type { break-before: auto; }
  tr { break-inside: avoid; }
  .table-wrap { overflow: visible; }
  th button::after { content: ""; }
}
`;
