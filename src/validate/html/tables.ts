// The comparison table (one row per case and output: did the device match the
// host reference, and how close to the float model) and the checks table.
// Numeric cells carry data-sort so the optional sorting script orders them as
// numbers; without the script the rows stay in run order.

import type { BoardRun, CaseResult, Check, OutputComparison, Status } from "../report.js";
import { stats } from "../report.js";
import { escapeAttr, escapeText } from "./escape.js";
import { formatMetric, formatNumber, formatUs, usPerTick } from "./format.js";

export function badge(status: Status): string {
  return `<span class="badge ${status}">${status.toUpperCase()}</span>`;
}

function td(text: string, opts: { num?: number; cls?: string; html?: boolean } = {}): string {
  const cls = opts.num !== undefined ? ` class="num${opts.cls ? ` ${opts.cls}` : ""}"` : opts.cls ? ` class="${opts.cls}"` : "";
  const sort = opts.num !== undefined && Number.isFinite(opts.num) ? ` data-sort="${opts.num}"` : "";
  return `<td${cls}${sort}>${opts.html ? text : escapeText(text)}</td>`;
}

/** Tensor names are long paths (MobilenetV1/Predictions/Reshape_1): let them wrap at the slashes. */
function breakable(name: string): string {
  return escapeText(name).replace(/\//g, "/<wbr>");
}

const STATUS_ORDER: Record<Status, number> = { pass: 0, fail: 1, infra: 2 };
const DASH = "—";

function floatCells(o: OutputComparison | undefined): string[] {
  const f = o?.float;
  if (!f) return [td(DASH), td(DASH), td(DASH), td(DASH), td(DASH)];
  const cell = (v: number | undefined): string => (v === undefined ? td(DASH) : td(formatMetric(v), { num: v }));
  return [cell(f.top1Agreement), cell(f.rmse), cell(f.mae), cell(f.l2r), cell(f.cosine)];
}

function exactText(o: OutputComparison): string {
  if (o.ulp && o.ulp.max > 0) return `${o.exact ? "within" : "beyond"} ${o.ulp.tolerance} ULP (max ${o.ulp.max})`;
  if (o.tolerance === undefined) return o.exact ? "yes" : "no";
  return `${o.exact ? "within" : "beyond"} ±${formatMetric(o.tolerance)}`;
}

function caseRows(c: CaseResult, run: BoardRun, withFloat: boolean): string[] {
  const k = usPerTick(run);
  const median = c.ticks.length > 0 ? stats(c.ticks).median : undefined;
  // EEMBC firmware reports only its own mean per case, no per-run ticks.
  const latency =
    median === undefined
      ? c.meanUs !== undefined ? td(`${formatUs(c.meanUs)} (mean)`, { num: c.meanUs }) : td(DASH)
      : k === undefined ? td(`${formatNumber(median)} ticks`, { num: median }) : td(formatUs(median * k), { num: median * k });
  const notes = [c.error ? `${c.error.code}: ${c.error.message}` : "", c.retried ? "retried after a board reset" : ""].filter(Boolean).join("; ");
  const outputs: Array<OutputComparison | undefined> = c.outputs.length > 0 ? c.outputs : [undefined];
  return outputs.map((o) => {
    const first = o?.firstMismatch;
    const cells = [
      td(c.name, { cls: "mono case" }),
      `<td data-sort="${STATUS_ORDER[c.status]}">${badge(c.status)}</td>`,
      o ? `<td data-sort="${o.index}">${o.index}${o.name ? ` <span class="tensor">${breakable(o.name)}</span>` : ""}</td>` : td(DASH),
      o ? td(exactText(o), { cls: o.exact ? "" : "mismatch" }) : td(DASH),
      o ? td(formatNumber(o.mismatches), { num: o.mismatches }) : td(DASH),
      td(first ? `element ${first.element}: expected ${first.expected}, actual ${first.actual}` : DASH),
      ...(withFloat ? floatCells(o) : []),
      latency,
      td(notes || c.inputs.join(", "), { cls: "notes" }),
    ];
    return `<tr class="${c.status}" data-case="${escapeAttr(c.name)}">${cells.join("")}</tr>`;
  });
}

export function comparisonTable(run: BoardRun): string {
  if (run.cases.length === 0) return `<p class="muted">No input cases ran on this board.</p>`;
  const withFloat = run.cases.some((c) => c.outputs.some((o) => o.float !== undefined));
  const heads = [
    "Case", "Status", "Output", "Bit-exact", "Mismatches", "First mismatch",
    ...(withFloat ? ["Top-1 match", "RMSE", "MAE", "Rel. L2", "Cosine"] : []),
    "Median latency", "Inputs / notes",
  ];
  const rows = run.cases.flatMap((c) => caseRows(c, run, withFloat));
  return [
    `<div class="table-wrap"><table class="sortable comparison">`,
    `<caption class="muted">Device output vs the host reference${withFloat ? " and the float model" : ""}, per input case and output tensor.</caption>`,
    `<thead><tr>${heads.map((h) => `<th scope="col">${escapeText(h)}</th>`).join("")}</tr></thead>`,
    `<tbody>`,
    ...rows,
    `</tbody></table></div>`,
  ].join("\n");
}

/** Board-level agreement with the float model, averaged over the cases (--float-model). */
export function floatSummaryTable(run: BoardRun): string {
  const rows = run.float ?? [];
  if (rows.length === 0) return "";
  const cell = (v: number | undefined): string => (v === undefined ? td(DASH) : td(formatMetric(v), { num: v }));
  const body = rows.map((f) => {
    const m = f.metrics;
    return `<tr>${td(`${f.index}${f.name ? ` ${f.name}` : ""}`)}${cell(m.top1Agreement)}${cell(m.rmse)}${cell(m.mae)}${cell(m.l2r)}${cell(m.cosine)}</tr>`;
  });
  return [
    `<div class="table-wrap"><table class="sortable float-summary">`,
    `<caption class="muted">Device output vs the float model, mean over every case.</caption>`,
    `<thead><tr>${["Output", "Top-1 match", "RMSE", "MAE", "Rel. L2", "Cosine"].map((h) => `<th scope="col">${h}</th>`).join("")}</tr></thead>`,
    `<tbody>`,
    ...body,
    `</tbody></table></div>`,
  ].join("\n");
}

export function checksTable(checks: Check[]): string {
  if (checks.length === 0) return `<p class="muted">No checks recorded.</p>`;
  const rows = checks.map(
    (ch) => `<tr class="${ch.status}">${td(ch.name)}<td data-sort="${STATUS_ORDER[ch.status]}">${badge(ch.status)}</td>${td(ch.message ?? "")}</tr>`,
  );
  return [
    `<div class="table-wrap"><table class="sortable checks">`,
    `<thead><tr><th scope="col">Check</th><th scope="col">Status</th><th scope="col">Detail</th></tr></thead>`,
    `<tbody>`,
    ...rows,
    `</tbody></table></div>`,
  ].join("\n");
}
