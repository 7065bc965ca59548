// Plain-text descriptions of results, shared by the JUnit failure messages and
// the HTML tables so both name a mismatch the same way.

import type { BoardRun, CaseResult, FloatMetrics, OutputComparison, Stats } from "../report.js";
import { formatMetric, formatNumber, formatUs, usPerTick } from "./format.js";

/** "output 0 (Identity) element 12: expected -3, actual 5; 4 of 10 elements differ" */
export function describeMismatch(o: OutputComparison): string {
  const total = o.shape.reduce((a, b) => a * b, 1);
  const label = o.name ? `output ${o.index} (${o.name})` : `output ${o.index}`;
  // EEMBC firmware prints rounded values, so those outputs compare within a tolerance.
  const count = `${o.mismatches} of ${total} elements differ${o.tolerance !== undefined ? ` by more than ±${formatMetric(o.tolerance)}` : ""}`;
  if (!o.firstMismatch) return `${label}: ${count}`;
  const m = o.firstMismatch;
  return `${label} element ${m.element}: expected ${m.expected}, actual ${m.actual}; ${count}`;
}

export function describeFloat(f: FloatMetrics): string {
  const parts = [`rmse ${formatMetric(f.rmse)}`, `mae ${formatMetric(f.mae)}`, `l2r ${formatMetric(f.l2r)}`, `cosine ${formatMetric(f.cosine)}`];
  if (f.top1Agreement !== undefined) parts.unshift(`top-1 agreement ${formatMetric(f.top1Agreement)}`);
  return parts.join(", ");
}

/** The one-line reason a case did not pass; undefined for a pass. */
export function caseFailureMessage(c: CaseResult): string | undefined {
  if (c.status === "pass") return undefined;
  if (c.error) return c.error.message;
  const bad = c.outputs.filter((o) => !o.exact);
  if (bad.length > 0) return bad.map(describeMismatch).join("; ");
  return c.status === "infra" ? "infrastructure failure" : "failed";
}

/** The board's latency line: timer ticks, or the device's own per-case means for EEMBC firmware. */
export function describeLatency(run: BoardRun): string | undefined {
  const l = run.latency;
  if (!l) return undefined;
  if (l.source === "m-lap-us") {
    const u = l.us;
    return `device-reported means (m-lap-us) over ${l.runs} runs after ${l.warmup} warm-up: min ${formatUs(u.min)}, median ${formatUs(u.median)}, p90 ${formatUs(u.p90)}, max ${formatUs(u.max)}`;
  }
  // A deterministic target (QEMU under -icount) repeats to the tick: one figure says it.
  if (l.ticks.min === l.ticks.max) {
    const k = usPerTick(run);
    return `${l.runs} runs after ${l.warmup} warm-up: every one ${formatNumber(l.ticks.min)} ticks${k !== undefined ? ` (${formatUs(l.ticks.min * k)})` : ""}`;
  }
  return `${l.runs} runs after ${l.warmup} warm-up: ${describeStats(l.ticks, run)}`;
}

/** "min 10 ticks (1.00 µs), median …" — µs only when the run's clock is known. */
export function describeStats(ticks: Stats, run: BoardRun): string {
  const k = usPerTick(run);
  const one = (label: string, t: number): string =>
    `${label} ${formatNumber(t)} ticks${k !== undefined ? ` (${formatUs(t * k)})` : ""}`;
  return [one("min", ticks.min), one("median", ticks.median), one("p90", ticks.p90), one("max", ticks.max)].join(", ");
}
