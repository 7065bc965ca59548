// `tinyml analyze --report FILE.html`: one self-contained page (the test
// report's stylesheet and sorting script, the same strict
// Content-Security-Policy) with the arena plan drawn, the per-layer bars, the
// budget bars and the tables behind them.

import { createHash } from "node:crypto";
import { writeFileAtomic } from "../util/files.js";
import { budgetBars } from "../validate/html/budget-bars.js";
import { escapeAttr, escapeText } from "../validate/html/escape.js";
import { formatNumber } from "../validate/html/format.js";
import { SORT_SCRIPT } from "../validate/html/sort-script.js";
import { REPORT_CSS } from "../validate/html/style.js";
import type { ModelAnalysis } from "./analysis.js";
import { arenaChart } from "./arena-chart.js";
import { layerChart } from "./layer-chart.js";

const cspHash = (s: string): string => `'sha256-${createHash("sha256").update(s, "utf8").digest("base64")}'`;

function num(v: number, decimals = 0): string {
  return `<td class="num" data-sort="${v}">${formatNumber(v, decimals)}</td>`;
}

const txt = (s: string, cls?: string): string => `<td${cls ? ` class="${cls}"` : ""}>${escapeText(s)}</td>`;
const pct = (x: number): string => `${x >= 0 ? "+" : ""}${formatNumber(100 * x, 1)}%`;

function facts(rows: Array<[string, string]>): string {
  return `<dl class="facts">${rows.map(([k, v]) => `<dt>${escapeText(k)}</dt><dd>${v}</dd>`).join("")}</dl>`;
}

function table(cls: string, caption: string, heads: string[], rows: string[]): string {
  return [
    `<div class="table-wrap"><table class="sortable ${cls}">`,
    `<caption class="muted">${escapeText(caption)}</caption>`,
    `<thead><tr>${heads.map((h) => `<th scope="col">${escapeText(h)}</th>`).join("")}</tr></thead>`,
    `<tbody>`, ...rows, `</tbody></table></div>`,
  ].join("\n");
}

function layersTable(a: ModelAnalysis): string {
  const est = a.board?.estimate !== undefined;
  const rows = a.layers.map((l) =>
    `<tr${l.index === a.peak.op ? ' class="peak"' : ""} data-op="${l.index}">${num(l.index)}${txt(l.type)}` +
    `<td title="${escapeAttr(l.name)}"><span class="mono">${escapeText(l.shortName)}</span></td>` +
    `${num(l.macs)}${num(l.weightBytes)}${num(l.liveBytes)}${num(l.arenaExtentBytes)}` +
    (est ? (l.estimate ? num(l.estimate.us, 1) + txt(l.estimate.basis) : txt("—") + txt("—")) : "") + `</tr>`);
  return table("layers", "Per layer: bytes are the arena's, live = every buffer in use while the layer runs, arena top = the highest byte in use.",
    ["#", "Op", "Layer (output tensor)", "MACs", "Weight bytes", "Live bytes", "Arena top", ...(est ? ["Est. µs", "Basis"] : [])], rows);
}

function buffersTable(a: ModelAnalysis): string {
  const rows = a.buffers.map((b) =>
    `<tr data-buffer="${b.index}">${num(b.index)}${txt(b.role)}<td title="${escapeAttr(b.name)}"><span class="mono">${escapeText(b.shortName)}</span></td>` +
    `${num(b.bytes)}${num(b.offset)}${num(b.offset + b.alignedBytes)}${num(b.firstOp)}${num(b.lastOp)}</tr>`);
  return table("buffers", "Every arena buffer the plan places: its offset, its end (aligned) and the first and last op it is live for.",
    ["Buffer", "Role", "Tensor", "Bytes", "Offset", "End", "First op", "Last op"], rows);
}

function estimateSection(a: ModelAnalysis): string {
  const b = a.board;
  if (!b) return `<p class="muted">No board given: <code>tinyml analyze MODEL --board B</code> adds the budget and a time estimate.</p>`;
  if (!b.estimate) return `<p class="muted">No time estimate: ${escapeText(b.noEstimate ?? "")}.</p>`;
  const e = b.estimate;
  const rows = e.checks.map((c) =>
    `<tr${c.sha256 === a.model.sha256 ? ' class="peak"' : ""}>${txt(c.model, "mono")}${num(c.measuredInstructions)}${num(c.estimatedInstructions)}` +
    `<td class="num" data-sort="${c.relativeError}">${pct(c.relativeError)}</td>` +
    (c.leaveOneOutRelativeError !== undefined ? `<td class="num" data-sort="${c.leaveOneOutRelativeError}">${pct(c.leaveOneOutRelativeError)}</td>` : txt("—")) +
    `<td class="num" data-sort="${c.meanLayerRelativeError}">${formatNumber(100 * c.meanLayerRelativeError, 1)}%</td></tr>`);
  return [
    facts([
      ["Estimated time", escapeText(`${formatNumber(e.totalUs, 1)} µs (${formatNumber(e.totalInstructions)} instructions)`)],
      ["Clock", escapeText(e.clock)],
      ["Cost table", escapeText(`measured on ${e.calibration}, ${e.runtime} runtime (data/op-costs.json)`)],
      ...(e.unmeasured.length > 0 ? [["Not measured", escapeText(`${e.unmeasured.join(", ")}: estimated from other types`)] as [string, string]] : []),
    ]),
    table("calibration", `How far the estimate is from ${e.calibration}'s measured per-op profile, per calibration model: fitted on all of them, and with the model left out of the fit.`,
      ["Model", "Measured instr.", "Estimated instr.", "Error", "Error, left out", "Mean per layer"], rows),
  ].join("\n");
}

export function renderAnalysisPage(a: ModelAnalysis): string {
  const csp = `default-src 'none'; style-src ${cspHash(REPORT_CSS)}; script-src ${cspHash(SORT_SCRIPT)}; base-uri 'none'; form-action 'none'`;
  const peak = a.layers[a.peak.op];
  const live = a.layers[a.livePeak.op];
  return [
    `<!DOCTYPE html>`, `<html lang="en">`, `<head>`, `<meta charset="utf-8">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    `<title>${escapeText(`tinyml analyze: ${a.model.path}`)}</title>`,
    `<style>${REPORT_CSS}</style>`, `</head>`, `<body>`,
    `<header><h1>tinyml analyze</h1>`,
    facts([
      ["Model", escapeText(a.model.path)],
      ["SHA-256", `<code class="sha">${escapeText(a.model.sha256)}</code>`],
      ["Runtime", escapeText(a.runtime)],
      ["Totals", escapeText(`${formatNumber(a.totals.macs)} MACs, ${formatNumber(a.totals.weightBytes)} bytes of weights, ${a.totals.ops} ops`)],
      ["Arena", escapeText(`${formatNumber(a.arena.planBytes)} bytes planned` + (a.arena.overheadBytes > 0 ? `; TFLM arena ${formatNumber(a.arena.runtimeBytes)} bytes with its bookkeeping (estimated)` : ""))],
      ["Peak", escapeText(`#${a.peak.op} ${peak?.type ?? ""} reaches the arena's top; most bytes live at #${a.livePeak.op} ${live?.type ?? ""}: ${formatNumber(a.livePeak.bytes)}; no placement needs less than ${formatNumber(a.arena.lowerBoundBytes)}${a.layers.some((l) => l.inPlaceBytes > 0) ? `; ${a.layers.filter((l) => l.inPlaceBytes > 0).length} layers run in place` : ""}`)],
      ...(a.board ? [["Board", escapeText(`${a.board.name} (${a.board.id}, ${a.board.core})`)] as [string, string]] : []),
    ]),
    `</header>`, `<main>`,
    ...(a.board ? [`<h2>Budget</h2>`, budgetBars(a.board.budget, `${a.board.name}, ${a.runtime} runtime`)] : []),
    `<h2>Arena plan</h2>`, arenaChart(a),
    `<h2>Layers</h2>`, layerChart(a),
    `<h2>Time estimate</h2>`, estimateSection(a),
    `<h2>Layer table</h2>`, layersTable(a),
    `<h2>Arena buffers</h2>`, buffersTable(a),
    `</main>`,
    `<footer>Generated by tinyml analyze from ${escapeText(a.model.path)}.</footer>`,
    `<script>${SORT_SCRIPT}</script>`, `</body>`, `</html>`, ``,
  ].join("\n");
}

/** Written atomically: never a half-written page. */
export function writeAnalysisReport(a: ModelAnalysis, file: string): void {
  writeFileAtomic(file, renderAnalysisPage(a));
}
