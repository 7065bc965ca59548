// Device output vs the float model, with STM32Cube.AI validate's metrics:
// these measure what quantization cost, so they inform and never fail a
// run (equality is asserted against the int8 reference instead).
import type { FloatMetrics } from "./report.js";

function argmax(xs: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i]! > xs[best]!) best = i;
  return best;
}

/**
 * `device` (dequantized) against `reference` (the float model's output).
 * `classifier` adds top-1 agreement (1 or 0 for one case; averaged later).
 */
export function floatMetrics(device: readonly number[], reference: readonly number[], classifier: boolean): FloatMetrics {
  const n = Math.min(device.length, reference.length);
  let se = 0;
  let ae = 0;
  let dot = 0;
  let nd = 0;
  let nr = 0;
  for (let i = 0; i < n; i++) {
    const d = device[i]!;
    const r = reference[i]!;
    se += (d - r) ** 2;
    ae += Math.abs(d - r);
    dot += d * r;
    nd += d * d;
    nr += r * r;
  }
  const m: FloatMetrics = {
    rmse: n > 0 ? Math.sqrt(se / n) : 0,
    mae: n > 0 ? ae / n : 0,
    // Both zero: identical; a zero reference with a non-zero device: infinitely off.
    l2r: nr > 0 ? Math.sqrt(se) / Math.sqrt(nr) : se === 0 ? 0 : Infinity,
    cosine: nd > 0 && nr > 0 ? dot / Math.sqrt(nd * nr) : nd === nr ? 1 : 0,
  };
  if (classifier) m.top1Agreement = argmax(device.slice(0, n)) === argmax(reference.slice(0, n)) ? 1 : 0;
  return m;
}

/** Mean of each metric over cases (top-1 agreement becomes the fraction of cases that agree). */
export function meanMetrics(all: readonly FloatMetrics[]): FloatMetrics | undefined {
  if (all.length === 0) return undefined;
  const mean = (f: (m: FloatMetrics) => number): number => all.reduce((a, m) => a + f(m), 0) / all.length;
  const m: FloatMetrics = { rmse: mean((x) => x.rmse), mae: mean((x) => x.mae), l2r: mean((x) => x.l2r), cosine: mean((x) => x.cosine) };
  if (all.every((x) => x.top1Agreement !== undefined)) m.top1Agreement = mean((x) => x.top1Agreement!);
  return m;
}
