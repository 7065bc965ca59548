// Per-layer bars: one row per op in execution order and one panel per
// measure (MACs, weight bytes, live arena bytes, and with a board the
// estimated time), each bar relative to the panel's largest, so the heavy
// layers stand out across all measures at once. The peak layer's live bar
// is the arena's top.

import { escapeText } from "../validate/html/escape.js";
import { formatNumber } from "../validate/html/format.js";
import type { AnalyzedLayer, ModelAnalysis } from "./analysis.js";

const ROW = 18;
const LABEL_W = 200;
const PANEL_W = 190;
const GAP = 12;
const HEAD = 22;

interface Panel {
  title: string;
  value: (l: AnalyzedLayer) => number;
  text: (v: number) => string;
  cls: string;
}

const kb = (n: number): string => (n >= 1024 ? `${formatNumber(n / 1024, 1)} KB` : `${formatNumber(n)} B`);
const compact = (n: number): string => (n >= 1e6 ? `${formatNumber(n / 1e6, 2)} M` : n >= 1e3 ? `${formatNumber(n / 1e3, 1)} k` : formatNumber(n));

export function layerChart(a: ModelAnalysis): string {
  if (a.layers.length === 0) return `<p class="muted">This model has no ops.</p>`;
  const panels: Panel[] = [
    { title: "MACs", value: (l) => l.macs, text: compact, cls: "bar" },
    { title: "weights", value: (l) => l.weightBytes, text: kb, cls: "bar" },
    { title: "live arena bytes", value: (l) => l.liveBytes, text: kb, cls: "bar" },
    ...(a.board?.estimate ? [{ title: `estimated µs (${a.board.id})`, value: (l: AnalyzedLayer) => l.estimate?.us ?? 0, text: (v: number) => formatNumber(v, v < 10 ? 2 : v < 1000 ? 1 : 0), cls: "bar est" }] : []),
  ];
  const W = LABEL_W + panels.length * (PANEL_W + GAP);
  const H = HEAD + a.layers.length * ROW + 6;
  const valueW = 56;
  const out: string[] = [];
  panels.forEach((p, k) => {
    const x0 = LABEL_W + k * (PANEL_W + GAP);
    const max = Math.max(...a.layers.map(p.value), Number.MIN_VALUE);
    out.push(`<text x="${x0}" y="14" class="muted">${escapeText(p.title)}</text>`, `<line class="axis" x1="${x0}" x2="${x0}" y1="${HEAD - 2}" y2="${H - 4}"/>`);
    for (const l of a.layers) {
      const v = p.value(l);
      const y = HEAD + l.index * ROW;
      const w = v > 0 ? Math.max(1, (v / max) * (PANEL_W - valueW)) : 0;
      out.push(
        `<rect class="${p.cls}" x="${x0}" y="${y + 3}" width="${w.toFixed(1)}" height="${ROW - 6}"><title>${escapeText(`#${l.index} ${l.type} ${p.title}: ${p.text(v)}`)}</title></rect>`,
        `<text x="${(x0 + w + 4).toFixed(1)}" y="${y + ROW / 2 + 4}">${escapeText(p.text(v))}</text>`,
      );
    }
  });
  const labels = a.layers.map((l) => {
    const y = HEAD + l.index * ROW;
    const mark = l.index === a.peak.op ? " ◆" : "";
    return `<text x="${LABEL_W - 8}" y="${y + ROW / 2 + 4}" text-anchor="end"${l.index === a.peak.op ? ' font-weight="600"' : ""}>${escapeText(`#${l.index} ${l.type}${mark}`)}<title>${escapeText(l.name)}</title></text>`;
  });
  return [
    `<figure>`,
    `<svg class="chart layers" viewBox="0 0 ${W} ${H}" role="img" aria-label="Per-layer MACs, weights, live arena bytes${a.board?.estimate ? " and estimated time" : ""}" data-layers="${a.layers.length}">`,
    ...labels,
    ...out,
    `</svg>`,
    `<figcaption>${escapeText(`Per layer in execution order; ◆ marks #${a.peak.op}, the layer that sets the arena's peak. Bars are relative to each panel's largest.`)}</figcaption>`,
    `</figure>`,
  ].join("\n");
}
