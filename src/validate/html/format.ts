// Number formatting shared by the JUnit and HTML reports. Everything here is
// locale-independent (no toLocaleString) so a report renders byte-identically
// on every machine and can be compared against a golden file.

import type { BoardRun } from "../report.js";

/** Microseconds per timer tick for this run, when the run says its clock. */
export function usPerTick(run: BoardRun): number | undefined {
  const hz = run.latency?.clockHz ?? run.firmware?.timerHz;
  return hz !== undefined && hz > 0 ? 1e6 / hz : undefined;
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** A number with `decimals` places and thousands separators: 12,345.6 */
export function formatNumber(x: number, decimals = 0): string {
  if (!Number.isFinite(x)) return String(x);
  const [int, frac] = Math.abs(x).toFixed(decimals).split(".");
  const sign = x < 0 && Number(x.toFixed(decimals)) !== 0 ? "-" : "";
  return sign + groupThousands(int!) + (frac !== undefined ? `.${frac}` : "");
}

/** Microseconds with precision that suits the magnitude: 3.25 µs, 812.4 µs, 15,230 µs. */
export function formatUs(us: number): string {
  const a = Math.abs(us);
  return `${formatNumber(us, a < 10 ? 2 : a < 1000 ? 1 : 0)} µs`;
}

/** A fraction as a percentage: 0.4123 → "41.2%". */
export function formatPercent(fraction: number): string {
  return `${formatNumber(fraction * 100, 1)}%`;
}

/**
 * A float metric (RMSE, cosine, …) with six significant digits, trailing zeros
 * dropped: a cosine of 0.99996 must not read as 1.
 */
export function formatMetric(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e6 ? String(Number(x.toPrecision(6))) : x.toExponential(3);
}

/** Seconds for JUnit's `time` attribute: at most three decimals, as its schema requires. */
export function formatSeconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}
