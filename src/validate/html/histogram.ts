// The latency histogram: one bar per bin of per-run latency over every
// measured run on a board, with min/median/p90/max marked. Plain SVG built
// here, so the report has no chart library and no script dependency.
// Deterministic runs (QEMU under -icount repeats to the tick) get a single
// value with its range instead: a histogram would blow a spread of 0.01% up
// into bars that look like variation.

import type { BoardRun, Stats } from "../report.js";
import { stats } from "../report.js";
import { escapeAttr, escapeText } from "./escape.js";
import { formatNumber, formatUs, usPerTick } from "./format.js";

const W = 720;
const H = 240;
const M = { left: 48, right: 20, top: 40, bottom: 36 };

interface Series {
  values: number[];
  marks: Stats;
  unit: "µs" | "ticks";
  /** What one value is: a measured run, or (EEMBC) one case's device-reported mean. */
  per: "run" | "case";
}

/** Per-run values in µs when the clock is known, else raw ticks (labelled as such). */
function series(run: BoardRun): Series | undefined {
  const ticks = run.cases.flatMap((c) => c.ticks);
  if (ticks.length === 0) {
    const means = run.cases.flatMap((c) => (c.meanUs !== undefined ? [c.meanUs] : []));
    return means.length === 0 ? undefined : { values: means, marks: stats(means), unit: "µs", per: "case" };
  }
  const k = usPerTick(run);
  if (k === undefined) return { values: ticks, marks: run.latency?.ticks ?? stats(ticks), unit: "ticks", per: "run" };
  const values = ticks.map((t) => t * k);
  return { values, marks: run.latency?.us ?? stats(values), unit: "µs", per: "run" };
}

function format(v: number, unit: Series["unit"]): string {
  return unit === "µs" ? formatUs(v) : `${formatNumber(v)} ticks`;
}

/** Equal-width bins; about √n of them (at most 40) so the shape shows without noise. */
function bin(values: number[]): { lo: number; hi: number; counts: number[] } {
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (hi === lo) {
    // Deterministic targets (QEMU -icount) give identical runs: draw one bar with some width.
    const pad = Math.abs(lo) * 0.05 || 1;
    lo -= pad;
    hi += pad;
    return { lo, hi, counts: [values.length] };
  }
  const n = Math.max(1, Math.min(40, Math.ceil(Math.sqrt(values.length))));
  const counts = new Array<number>(n).fill(0);
  for (const v of values) counts[Math.min(n - 1, Math.floor(((v - lo) / (hi - lo)) * n))]! += 1;
  return { lo, hi, counts };
}

/**
 * Runs this close together (relative to the median), or one timer tick
 * apart (the timer's resolution: where a run starts between two ticks),
 * are one value, not a distribution.
 */
const STEADY_SPREAD = 0.01;

function isSteady(run: BoardRun, s: Series): boolean {
  if (s.values.length === 0 || s.marks.median <= 0) return false;
  const tick = s.per === "run" ? (s.unit === "ticks" ? 1 : usPerTick(run) ?? 0) : 0;
  const spread = s.marks.max - s.marks.min;
  return spread <= Math.max(STEADY_SPREAD * s.marks.median, tick * (1 + 1e-9));
}

/** One value and its range: a bar to the median on a scale from zero, the min–max range marked, the figures spelled out. */
function steadyLatency(run: BoardRun, s: Series, idPrefix: string): string {
  const { min, median, max } = s.marks;
  const plotW = W - M.left - M.right;
  const top = max * 1.05;
  const x = (v: number): number => M.left + (v / top) * plotW;
  const spread = max - min;
  const identical = spread === 0;
  const instr = run.latency?.instructions;
  const what = s.per === "run" ? `${s.values.length} measured runs` : `${s.values.length} cases (device-reported means)`;
  const value = identical ? `${format(median, s.unit)}, every one` : `${format(min, s.unit)} – ${format(max, s.unit)} (spread ${format(spread, s.unit)}, ${formatNumber((100 * spread) / median, 3)}% of the median ${format(median, s.unit)})`;
  const instrText = instr ? (instr.min === instr.max ? `; ${formatNumber(instr.median)} instructions` : `; ${formatNumber(instr.min)} – ${formatNumber(instr.max)} instructions`) : "";
  const summary = `${what}: ${value}${instrText}`;
  const titleId = `${idPrefix}-hist-title`;
  const h = 70;
  return [
    `<figure>`,
    `<svg class="chart histogram steady" viewBox="0 0 ${W} ${h}" role="img" aria-labelledby="${escapeAttr(titleId)}" data-${s.per}s="${s.values.length}" data-steady="true">`,
    `<title id="${escapeAttr(titleId)}">${escapeText(`Latency for ${run.id}: ${summary}`)}</title>`,
    `<rect class="bar" x="${M.left}" y="14" width="${(x(median) - M.left).toFixed(1)}" height="22"><title>${escapeText(`median ${format(median, s.unit)}`)}</title></rect>`,
    `<line class="marker m-p90" x1="${x(min).toFixed(1)}" x2="${x(min).toFixed(1)}" y1="8" y2="42"/>`,
    `<line class="marker m-p90" x1="${x(max).toFixed(1)}" x2="${x(max).toFixed(1)}" y1="8" y2="42"/>`,
    `<line class="axis" x1="${M.left}" x2="${M.left + plotW}" y1="44" y2="44"/>`,
    `<text x="${M.left}" y="58" text-anchor="start">0</text>`,
    `<text x="${x(median).toFixed(1)}" y="58" text-anchor="end">${escapeText(format(median, s.unit))}</text>`,
    `</svg>`,
    `<figcaption>${escapeText(`${summary}. ${identical ? "Identical" : "Within one timer tick or 1% of each other"}: a deterministic target, so one value instead of a histogram.`)}</figcaption>`,
    `</figure>`,
  ].join("\n");
}

export function latencyHistogram(run: BoardRun, idPrefix: string): string {
  const s = series(run);
  if (!s) return `<p class="muted">No latency measurements for this board.</p>`;
  if (isSteady(run, s)) return steadyLatency(run, s, idPrefix);
  const { lo, hi, counts } = bin(s.values);
  const peak = Math.max(...counts);
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const x = (v: number): number => M.left + ((v - lo) / (hi - lo)) * plotW;
  const y = (c: number): number => M.top + plotH - (c / peak) * plotH;
  const bw = plotW / counts.length;

  const bars = counts.map((c, i) => {
    const from = lo + ((hi - lo) * i) / counts.length;
    const to = lo + ((hi - lo) * (i + 1)) / counts.length;
    const tip = `${format(from, s.unit)} – ${format(to, s.unit)}: ${c} ${s.per}${c === 1 ? "" : "s"}`;
    const h = (c / peak) * plotH;
    return `<rect class="bar" x="${(M.left + i * bw + 0.5).toFixed(1)}" y="${y(c).toFixed(1)}" width="${Math.max(1, bw - 1).toFixed(1)}" height="${h.toFixed(1)}"><title>${escapeText(tip)}</title></rect>`;
  });

  // Labels alternate between two rows so close markers (median ≈ p90) stay legible.
  const marks: Array<[keyof Stats, string]> = [["min", "min"], ["median", "median"], ["p90", "p90"], ["max", "max"]];
  const markers = marks.map(([key, label], i) => {
    const mx = Math.min(Math.max(x(s.marks[key]), M.left), M.left + plotW).toFixed(1);
    const ty = i % 2 === 0 ? M.top - 22 : M.top - 8;
    return (
      `<line class="marker m-${key}" x1="${mx}" x2="${mx}" y1="${M.top - 4}" y2="${M.top + plotH}"><title>${escapeText(`${label} ${format(s.marks[key], s.unit)}`)}</title></line>` +
      `<text x="${mx}" y="${ty}" text-anchor="middle">${label}</text>`
    );
  });

  const axes = [
    `<line class="axis" x1="${M.left}" x2="${M.left + plotW}" y1="${M.top + plotH}" y2="${M.top + plotH}"/>`,
    `<line class="axis" x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${M.top + plotH}"/>`,
    `<text x="${M.left - 6}" y="${M.top + 4}" text-anchor="end">${peak}</text>`,
    `<text x="${M.left - 6}" y="${M.top + plotH}" text-anchor="end">0</text>`,
    `<text x="${M.left}" y="${H - 18}" text-anchor="start">${escapeText(format(lo, s.unit))}</text>`,
    `<text x="${M.left + plotW}" y="${H - 18}" text-anchor="end">${escapeText(format(hi, s.unit))}</text>`,
    `<text class="muted" x="${M.left + plotW / 2}" y="${H - 4}" text-anchor="middle">${s.per === "run" ? "latency per run" : "mean latency per case"} (${s.unit})</text>`,
    `<text class="muted" transform="translate(12 ${M.top + plotH / 2}) rotate(-90)" text-anchor="middle">${s.per}s</text>`,
  ];

  const titleId = `${idPrefix}-hist-title`;
  const descId = `${idPrefix}-hist-desc`;
  const summary = marks.map(([key, label]) => `${label} ${format(s.marks[key], s.unit)}`).join(", ");
  const what = s.per === "run" ? `${s.values.length} measured runs` : `${s.values.length} cases (device-reported means)`;
  const title = `Latency histogram for ${run.id}: ${what}`;
  return [
    `<figure>`,
    `<svg class="chart histogram" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="${escapeAttr(titleId)} ${escapeAttr(descId)}" data-${s.per}s="${s.values.length}">`,
    `<title id="${escapeAttr(titleId)}">${escapeText(title)}</title>`,
    `<desc id="${escapeAttr(descId)}">${escapeText(summary)}</desc>`,
    ...axes,
    ...bars,
    ...markers,
    `</svg>`,
    `<figcaption>${escapeText(`${what}. ${summary}.`)}</figcaption>`,
    `</figure>`,
  ].join("\n");
}
