// The arena plan as a picture: ops left to right (time), arena offset bottom
// to top, each buffer a box spanning the ops it is live for at the offset the
// planner gave it. Gaps between boxes are fragmentation; the tallest column
// is the layer that sets the arena's size (shaded). Plain SVG, every box with
// a <title> naming its tensor, bytes, offset and ops.

import { escapeAttr, escapeText } from "../validate/html/escape.js";
import { formatNumber } from "../validate/html/format.js";
import type { ModelAnalysis } from "./analysis.js";

const W = 1000;
const H = 440;
const M = { left: 64, right: 16, top: 24, bottom: 40 };

function kb(n: number): string {
  return n >= 1024 ? `${formatNumber(n / 1024, n >= 10240 ? 0 : 1)} KB` : `${n} B`;
}

/** About five round tick values from 0 to max bytes, in whole KB (or bytes under 2 KB). */
function ticks(max: number): number[] {
  const unit = max >= 2048 ? 1024 : 1;
  return roundTicks(max / unit).map((v) => v * unit);
}

function roundTicks(max: number): number[] {
  if (max <= 0) return [0];
  const raw = max / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((k) => k * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = 0; v <= max + 1e-9; v += step) out.push(v);
  return out;
}

export function arenaChart(a: ModelAnalysis): string {
  const ops = a.layers.length;
  if (ops === 0 || a.buffers.length === 0) return `<p class="muted">This model has no arena buffers.</p>`;
  const top = Math.max(1, a.arena.planBytes + a.arena.overheadBytes);
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const colW = plotW / ops;
  const x = (op: number): number => M.left + op * colW;
  const y = (offset: number): number => M.top + plotH - (offset / top) * plotH;

  const peak = a.peak.op >= 0 ? `<rect class="peak-col" x="${x(a.peak.op).toFixed(1)}" y="${M.top}" width="${colW.toFixed(1)}" height="${plotH}"><title>${escapeText(`#${a.peak.op} ${a.layers[a.peak.op]!.type} sets the peak: ${formatNumber(a.peak.arenaBytes)} bytes`)}</title></rect>` : "";
  const boxes = a.buffers.map((b) => {
    const bx = x(b.firstOp);
    const bw = Math.max(1, (b.lastOp - b.firstOp + 1) * colW);
    const by = y(b.offset + b.alignedBytes);
    const bh = Math.max(1, (b.alignedBytes / top) * plotH);
    const tip = `${b.name}: ${formatNumber(b.bytes)} bytes at offset ${formatNumber(b.offset)}, ops ${b.firstOp}–${b.lastOp} (${b.role})`;
    // A label only where it fits inside the box.
    const label = bw > 60 && bh > 13 ? `<text class="on-bar" x="${(bx + 3).toFixed(1)}" y="${(by + 11).toFixed(1)}">${escapeText(fit(b.shortName, bw))}</text>` : "";
    return `<g data-buffer="${b.index}"><rect class="buf role-${b.role}" x="${bx.toFixed(1)}" y="${by.toFixed(1)}" width="${bw.toFixed(1)}" height="${bh.toFixed(1)}"><title>${escapeText(tip)}</title></rect>${label}</g>`;
  });
  const overhead = a.arena.overheadBytes > 0
    ? `<rect class="overhead" x="${M.left}" y="${y(top).toFixed(1)}" width="${plotW}" height="${((a.arena.overheadBytes / top) * plotH).toFixed(1)}"><title>${escapeText(`TFLM's own bookkeeping, estimated: ${formatNumber(a.arena.overheadBytes)} bytes`)}</title></rect>` +
      `<text class="muted" x="${M.left + 6}" y="${(y(top) + 12).toFixed(1)}">TFLM bookkeeping (estimated)</text>`
    : "";
  const yTicks = ticks(top).map((v) =>
    `<line class="grid" x1="${M.left}" x2="${M.left + plotW}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}"/>` +
    `<text x="${M.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${escapeText(kb(v))}</text>`);
  const topLine = `<line class="marker m-p90" x1="${M.left}" x2="${M.left + plotW}" y1="${y(a.arena.planBytes).toFixed(1)}" y2="${y(a.arena.planBytes).toFixed(1)}"/>` +
    `<text x="${M.left + plotW - 4}" y="${(y(a.arena.planBytes) - 4).toFixed(1)}" text-anchor="end">${escapeText(`arena ${formatNumber(a.arena.planBytes)} B`)}</text>`;
  const every = Math.max(1, Math.ceil(ops / 25));
  const xTicks = a.layers.filter((l) => l.index % every === 0).map((l) =>
    `<text x="${(x(l.index) + colW / 2).toFixed(1)}" y="${M.top + plotH + 14}" text-anchor="middle">${l.index}</text>`);
  const axes = [
    `<line class="axis" x1="${M.left}" x2="${M.left + plotW}" y1="${M.top + plotH}" y2="${M.top + plotH}"/>`,
    `<line class="axis" x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${M.top + plotH}"/>`,
    `<text class="muted" x="${M.left + plotW / 2}" y="${H - 6}" text-anchor="middle">op (execution order)</text>`,
    `<text class="muted" transform="translate(12 ${M.top + plotH / 2}) rotate(-90)" text-anchor="middle">arena offset</text>`,
  ];
  const summary = `${a.buffers.length} buffers over ${ops} ops in ${formatNumber(a.arena.planBytes)} bytes; #${a.peak.op} ${a.layers[a.peak.op]?.type ?? ""} reaches the top.`;
  return [
    `<figure>`,
    `<svg class="chart arena" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="arena-title" data-buffers="${a.buffers.length}">`,
    `<title id="arena-title">${escapeText(`Arena plan: ${summary}`)}</title>`,
    peak,
    ...yTicks,
    ...boxes,
    overhead,
    topLine,
    ...xTicks,
    ...axes,
    `</svg>`,
    `<ul class="legend">${["input", "activation", "output", "variable", "scratch"].filter((r) => a.buffers.some((b) => b.role === r)).map((r) => `<li><span class="swatch role-${escapeAttr(r)}"></span>${r}</li>`).join("")}<li>shaded column: the layer that sets the peak</li></ul>`,
    `<figcaption>${escapeText(`Each box is one arena buffer: its width the ops it is live for, its height its bytes, its height above the axis its offset. ${summary}`)}</figcaption>`,
    `</figure>`,
  ].join("\n");
}

/** Cuts a label to the characters that fit `width` pixels at the chart's 10 px font. */
function fit(s: string, width: number): string {
  const n = Math.floor((width - 6) / 6);
  return s.length <= n ? s : `${s.slice(0, Math.max(1, n - 1))}…`;
}
