// The wake-word part of a board's section: the detection metrics, the DET
// curve (false rejection rate against false accepts per hour, one point per
// threshold of the sweep, the run's threshold and the recommended one marked)
// and, when the run kept them, each clip's score trace: every keyword's
// classifier score and the smoothed score the threshold is compared with,
// over time, with the labelled keyword spans shaded and the events marked.
// Plain SVG with presentation attributes (the page's CSP allows no inline style).

import type { BoardRun, WakewordBoardSummary, WakewordTrace } from "../report.js";
import { isNonKeywordLabel } from "../../wakeword/events.js";
import { frameTimeMs } from "../../wakeword/settings.js";
import { escapeAttr, escapeText } from "./escape.js";
import { formatPercent } from "./format.js";
import { boardDuty } from "../wakeword-report.js";

const W = 720;
const M = { left: 52, right: 20, top: 16, bottom: 40 };
/** Keyword colours, distinguishable in print too; the smoothed score is drawn in ink. */
const PALETTE = ["#0969da", "#bf3989", "#1a7f37", "#9a6700", "#8250df", "#cf222e"];
/** A trace longer than this many points is max-pooled (peaks are what matters) to keep the page small. */
const MAX_POINTS = 1500;

const fa = (x: number | null): string => (x === null ? "n/a" : x.toFixed(1));

/** FA/hour on a log(1 + x) axis: 0 stays visible beside hundreds. */
function faAxis(maxFa: number): { x: (v: number) => number; ticks: number[] } {
  const top = Math.log10(1 + Math.max(10, maxFa));
  const plotW = W - M.left - M.right;
  const ticks = [0, 1, 10, 100, 1000, 10000].filter((t) => t <= Math.max(10, maxFa) * 1.0001);
  return { x: (v) => M.left + (Math.log10(1 + v) / top) * plotW, ticks };
}

function detCurve(r: WakewordBoardSummary, id: string): string {
  const pts = r.sweep.filter((p): p is typeof p & { faPerHour: number } => p.faPerHour !== null);
  if (pts.length === 0) return `<p class="muted">No DET curve: the set has no non-keyword audio to count false accepts on.</p>`;
  const H = 300;
  const plotH = H - M.top - M.bottom;
  const axis = faAxis(Math.max(...pts.map((p) => p.faPerHour)));
  const y = (frr: number): number => M.top + (1 - frr) * plotH;
  const path = pts.map((p, i) => `${i === 0 ? "M" : "L"}${axis.x(p.faPerHour).toFixed(1)},${y(p.frr).toFixed(1)}`).join(" ");
  const mark = (threshold: number, cls: string, color: string, label: string): string => {
    const p = pts.find((q) => q.threshold === threshold);
    if (!p) return "";
    const cx = axis.x(p.faPerHour), cy = y(p.frr);
    return `<g class="${cls}"><circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="5" fill="${color}"><title>${escapeText(`${label}: threshold ${threshold}, FRR ${formatPercent(p.frr)}, ${fa(p.faPerHour)} FA/h`)}</title></circle>` +
      `<text x="${(cx + 8).toFixed(1)}" y="${(cy - 6).toFixed(1)}">${escapeText(`${label} (${threshold})`)}</text></g>`;
  };
  const grid = [
    ...axis.ticks.map((t) => `<line class="grid" x1="${axis.x(t).toFixed(1)}" x2="${axis.x(t).toFixed(1)}" y1="${M.top}" y2="${M.top + plotH}"/><text x="${axis.x(t).toFixed(1)}" y="${H - M.bottom + 14}" text-anchor="middle">${t}</text>`),
    ...[0, 0.25, 0.5, 0.75, 1].map((f) => `<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${y(f).toFixed(1)}" y2="${y(f).toFixed(1)}"/><text x="${M.left - 6}" y="${(y(f) + 4).toFixed(1)}" text-anchor="end">${formatPercent(f)}</text>`),
  ];
  return [
    `<figure id="${id}-det">`,
    `<svg class="chart det" viewBox="0 0 ${W} ${H}" role="img" aria-label="DET curve: false rejection rate against false accepts per hour, one point per threshold">`,
    ...grid,
    `<line class="axis" x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${M.top + plotH}"/><line class="axis" x1="${M.left}" x2="${W - M.right}" y1="${M.top + plotH}" y2="${M.top + plotH}"/>`,
    `<path class="det-curve" d="${path}" fill="none" stroke="#0969da" stroke-width="2"/>`,
    mark(r.threshold, "det-run", "#59636e", "this run"),
    r.recommended ? mark(r.recommended.threshold, "det-recommended", "#1a7f37", "recommended") : "",
    `<text x="${(M.left + W - M.right) / 2}" y="${H - 6}" text-anchor="middle" class="muted">false accepts per hour (log scale)</text>`,
    `<text x="12" y="${M.top + plotH / 2}" text-anchor="middle" class="muted" transform="rotate(-90 12 ${M.top + plotH / 2})">false rejection rate</text>`,
    `</svg>`,
    `<figcaption>${escapeText(detCaption(r))}</figcaption>`,
    `</figure>`,
  ].join("\n");
}

function detCaption(r: WakewordBoardSummary): string {
  const own = r.sweep.find((p) => p.threshold === r.threshold);
  const run = own ? `This run's threshold ${r.threshold}: FRR ${formatPercent(own.frr)}, ${fa(own.faPerHour)} false accepts/hour. ` : "";
  const rec = r.recommended
    ? `Recommended for at most ${r.targetFaPerHour} false accepts/hour: --threshold ${r.recommended.threshold} (FRR ${formatPercent(r.recommended.frr)}, ${fa(r.recommended.faPerHour)}/hour).`
    : `No threshold that detects any keyword meets at most ${r.targetFaPerHour} false accepts/hour on this set.`;
  return `Each point is one detection threshold (0-255), its detections recomputed by the firmware's smoothing from this run's per-frame scores. ${run}${rec}`;
}

/** Max-pools `values` into at most MAX_POINTS buckets; returns [entry index, value] pairs. */
function pooled(values: readonly number[]): [number, number][] {
  const step = Math.max(1, Math.ceil(values.length / MAX_POINTS));
  const out: [number, number][] = [];
  for (let at = 0; at < values.length; at += step) {
    let best = at;
    for (let k = at + 1; k < Math.min(values.length, at + step); k++) if (values[k]! > values[best]!) best = k;
    out.push([best, values[best]!]);
  }
  return out;
}

function scoreTrace(r: WakewordBoardSummary, t: WakewordTrace, id: string): string {
  const H = 200;
  const plotH = H - M.top - M.bottom;
  const plotW = W - M.left - M.right;
  const endMs = Math.max(frameTimeMs(Math.max(0, t.frames - 1)), 1);
  const x = (ms: number): number => M.left + (ms / endMs) * plotW;
  const y = (v: number): number => M.top + (1 - v / 255) * plotH;
  const line = (values: readonly number[], color: string, width: number, cls: string): string => {
    const d = pooled(values).map(([k, v], i) => `${i === 0 ? "M" : "L"}${x(frameTimeMs(t.scoredFrames[k]!)).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
    return d ? `<path class="${cls}" d="${d}" fill="none" stroke="${color}" stroke-width="${width}"/>` : "";
  };
  const keywords = r.labels.map((l, i) => ({ l, i })).filter(({ l }) => !isNonKeywordLabel(l));
  const spans = t.occurrences.map((o) => `<rect class="span" x="${x(o.start * 1000).toFixed(1)}" y="${M.top}" width="${Math.max(1, x(o.end * 1000) - x(o.start * 1000)).toFixed(1)}" height="${plotH}" fill="#fff8c5"><title>${escapeText(`${o.keyword} ${o.start.toFixed(2)}-${o.end.toFixed(2)} s`)}</title></rect>`);
  const events = t.eventFrames.map((f) => `<line class="event" x1="${x(frameTimeMs(f)).toFixed(1)}" x2="${x(frameTimeMs(f)).toFixed(1)}" y1="${M.top}" y2="${M.top + plotH}" stroke="#cf222e" stroke-width="1.5"><title>${escapeText(`event at ${frameTimeMs(f)} ms`)}</title></line>`);
  const threshold = `<line class="threshold" x1="${M.left}" x2="${W - M.right}" y1="${y(r.threshold).toFixed(1)}" y2="${y(r.threshold).toFixed(1)}" stroke="#59636e" stroke-dasharray="4 3"/><text x="${W - M.right}" y="${(y(r.threshold) - 3).toFixed(1)}" text-anchor="end" class="muted">threshold ${r.threshold}</text>`;
  // The smoothed score counts only while its top category is a keyword.
  const smoothed = t.smoothedScore.map((v, k) => (isNonKeywordLabel(r.labels[t.smoothedIndex[k]!] ?? "") ? 0 : v));
  const seconds = Math.floor(endMs / 1000);
  const step = Math.max(1, Math.ceil(seconds / 12));
  const ticks = Array.from({ length: Math.floor(seconds / step) + 1 }, (_, i) => i * step)
    .map((s) => `<text x="${x(s * 1000).toFixed(1)}" y="${H - M.bottom + 14}" text-anchor="middle">${s}</text>`);
  return [
    `<figure class="trace">`,
    `<svg class="chart trace" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeAttr(`Scores over time for ${t.clip}`)}">`,
    ...spans,
    `<line class="axis" x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${M.top + plotH}"/><line class="axis" x1="${M.left}" x2="${W - M.right}" y1="${M.top + plotH}" y2="${M.top + plotH}"/>`,
    ...[0, 128, 255].map((v) => `<text x="${M.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${v}</text>`),
    ...ticks,
    ...keywords.map(({ i }, n) => line(t.scores.map((s) => s[i]! + 128), PALETTE[n % PALETTE.length]!, 1, `score score-${i}`)),
    line(smoothed, "#1f2328", 2, "smoothed"),
    threshold,
    ...events,
    `<text x="${(M.left + W - M.right) / 2}" y="${H - 6}" text-anchor="middle" class="muted">seconds</text>`,
    `</svg>`,
    `<figcaption>${escapeText(t.clip)}: ${keywords.map(({ l }, n) => `<span class="muted">${escapeText(l)}</span> <svg width="18" height="8" aria-hidden="true"><line x1="0" y1="4" x2="18" y2="4" stroke="${PALETTE[n % PALETTE.length]}" stroke-width="2"/></svg>`).join(" ")} classifier score + 128; black: the smoothed score the threshold applies to; shaded: labelled keyword spans; red: events.</figcaption>`,
    `</figure>`,
  ].join("\n");
}

export function wakewordSection(run: BoardRun, id: string): string {
  const r = run.wakeword;
  if (!r) return "";
  const m = r.metrics;
  const warnings = r.warnings.map((w) => `<p class="error" role="alert">${escapeText(w)}</p>`);
  return [
    `<h3>Wake word</h3>`,
    ...warnings,
    `<p>FRR ${escapeText(formatPercent(m.frr))} (${m.occurrences - m.detected} of ${m.occurrences} missed); ${m.falseAccepts.length} false accept${m.falseAccepts.length === 1 ? "" : "s"}` +
      `${m.faPerHour !== undefined ? ` = ${escapeText(m.faPerHour.toFixed(1))}/hour` : ""} at threshold ${r.threshold}.</p>`,
    ...(r.boardDutyCycle ? [`<p>Duty cycle ${escapeText(boardDuty(r.boardDutyCycle))}.</p>`] : []),
    `<h4>DET curve</h4>`,
    detCurve(r, id),
    ...(r.traces ? [`<h4>Score traces</h4>`, ...r.traces.map((t) => scoreTrace(r, t, id))] : []),
  ].join("\n");
}
