// The per-op profile: one horizontal bar per op in execution order (so a bar
// maps back to the graph), its length relative to the slowest op and its label
// giving the op's share of the whole invoke.

import type { BoardRun } from "../report.js";
import { escapeAttr, escapeText } from "./escape.js";
import { formatNumber, formatPercent, formatUs } from "./format.js";

const W = 720;
const ROW = 22;
const LABEL_W = 230;
const VALUE_W = 150;
const TOP = 6;
/** Long op names are cut so they never run into the bars; the <title> keeps the full name. */
const MAX_LABEL_CHARS = 30;

function shortLabel(s: string): string {
  return s.length <= MAX_LABEL_CHARS ? s : `${s.slice(0, MAX_LABEL_CHARS - 1)}…`;
}

export function profileChart(run: BoardRun, idPrefix: string): string {
  const ops = run.profile ?? [];
  if (ops.length === 0) return `<p class="muted">No per-op profile for this board (<code>tinyml test --profile</code> records one).</p>`;
  const widest = Math.max(...ops.map((o) => o.share), Number.MIN_VALUE);
  const barArea = W - LABEL_W - VALUE_W;
  const height = TOP * 2 + ops.length * ROW;

  const rows = ops.map((op, i) => {
    const y = TOP + i * ROW;
    const w = Math.max(1, (op.share / widest) * barArea);
    const label = `#${op.index} ${op.type}`;
    const value = `${formatPercent(op.share)} · ${formatUs(op.us)}`;
    const tip = `${label}: ${formatPercent(op.share)} of invoke, ${formatUs(op.us)}, ${formatNumber(op.ticks)} ticks`;
    return (
      `<g class="op" data-op-type="${escapeAttr(op.type)}"><title>${escapeText(tip)}</title>` +
      `<text x="${LABEL_W - 8}" y="${y + ROW / 2 + 4}" text-anchor="end">${escapeText(shortLabel(label))}</text>` +
      `<rect class="bar" x="${LABEL_W}" y="${y + 3}" width="${w.toFixed(1)}" height="${ROW - 6}"/>` +
      `<text x="${(LABEL_W + w + 6).toFixed(1)}" y="${y + ROW / 2 + 4}">${escapeText(value)}</text></g>`
    );
  });

  const titleId = `${idPrefix}-prof-title`;
  const total = ops.reduce((a, o) => a + o.us, 0);
  const top = [...ops].sort((a, b) => b.share - a.share || a.index - b.index)[0]!;
  const summary = `${ops.length} ops, ${formatUs(total)} in total; slowest: #${top.index} ${top.type} at ${formatPercent(top.share)}.`;
  return [
    `<figure>`,
    `<svg class="chart profile" viewBox="0 0 ${W} ${height}" role="img" aria-labelledby="${escapeAttr(titleId)}" data-ops="${ops.length}">`,
    `<title id="${escapeAttr(titleId)}">${escapeText(`Per-op profile for ${run.id}: ${summary}`)}</title>`,
    `<line class="axis" x1="${LABEL_W}" x2="${LABEL_W}" y1="${TOP}" y2="${height - TOP}"/>`,
    ...rows,
    `</svg>`,
    `<figcaption>${escapeText(`Time per op for one invoke, in execution order. ${summary}`)}</figcaption>`,
    `</figure>`,
  ].join("\n");
}
