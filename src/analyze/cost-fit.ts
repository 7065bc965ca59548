// Fitting the per-op cost model to measured per-op instruction counts: for
// each op type, non-negative coefficients over the op features
// (op-features.ts) that minimise the squared error of the measured ops.
// Non-negative because every feature costs work; a negative coefficient would
// fit the calibration models and then predict nonsense for another shape.
// With six features the exact non-negative least squares answer is the best
// of the 63 subsets whose unconstrained solution is non-negative.

import { FEATURES, type Feature, type OpFeatures } from "./op-features.js";

export interface CostSample {
  model: string;
  type: string;
  features: OpFeatures;
  instructions: number;
}

export type Coefficients = Partial<Record<Feature, number>>;

export interface TypeCost {
  coefficients: Coefficients;
  samples: number;
  /** Root-mean-square relative error of the fit on its own samples (ops under 1,000 instructions: error over 1,000). */
  rmsRelativeError: number;
}

/** Solves the normal equations A x = b (small, symmetric) by Gaussian elimination; undefined when singular. */
function solve(a: number[][], b: number[]): number[] | undefined {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    const scale = Math.max(...m.map((row) => Math.abs(row[c]!)), 1e-300);
    if (Math.abs(m[p]![c]!) < 1e-12 * scale) return undefined;
    [m[c], m[p]] = [m[p]!, m[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}

/**
 * Relative error below this many instructions is not meaningful: the
 * profile counts in timer ticks (40 instructions on the QEMU boards), so
 * smaller ops are weighed by their absolute error instead.
 */
const SMALL_OP = 1000;
const weight = (s: CostSample): number => 1 / Math.max(SMALL_OP, s.instructions) ** 2;

/**
 * Least squares weighted by 1/measured², so a 2,000-instruction op counts as
 * much as a 4-million one: the estimate should be right in proportion for
 * every layer, not just for the biggest.
 */
function fitSubset(samples: readonly CostSample[], features: readonly Feature[]): { x: number[]; err: number } | undefined {
  const w = samples.map(weight);
  const a = features.map((fi) => features.map((fj) => samples.reduce((n, s, k) => n + w[k]! * s.features[fi] * s.features[fj], 0)));
  const b = features.map((fi) => samples.reduce((n, s, k) => n + w[k]! * s.features[fi] * s.instructions, 0));
  const x = solve(a, b);
  if (!x || x.some((v) => v < 0 || !Number.isFinite(v))) return undefined;
  const err = samples.reduce((n, s) => {
    const est = features.reduce((e, f, i) => e + x[i]! * s.features[f], 0);
    return n + (est - s.instructions) ** 2 * weight(s);
  }, 0);
  return { x, err };
}

function subsets(): Feature[][] {
  const out: Feature[][] = [];
  for (let mask = 1; mask < 1 << FEATURES.length; mask++) out.push(FEATURES.filter((_, i) => mask & (1 << i)));
  // Fewer features first: a tie (e.g. one sample, fitted exactly by any single feature) keeps the simpler model,
  // and among single features the order of FEATURES (MACs first) decides.
  return out.sort((p, q) => p.length - q.length || FEATURES.indexOf(p[0]!) - FEATURES.indexOf(q[0]!));
}

/** The fit for one op type; a subset with k features needs more than k samples unless k = 1. */
export function fitType(samples: readonly CostSample[]): TypeCost {
  let best: { features: Feature[]; x: number[]; err: number } | undefined;
  for (const features of subsets()) {
    if (features.length > 1 && samples.length <= features.length) continue;
    // A feature that is zero for every sample says nothing.
    if (features.some((f) => samples.every((s) => s.features[f] === 0))) continue;
    const r = fitSubset(samples, features);
    // A strictly better fit is needed to take more features (1e-9: rounding).
    if (r && (!best || r.err < best.err * (1 - 1e-9) - 1e-12)) best = { features, ...r };
  }
  const coefficients: Coefficients = {};
  if (best) best.features.forEach((f, i) => (coefficients[f] = best!.x[i]!));
  return { coefficients, samples: samples.length, rmsRelativeError: best ? Math.sqrt(best.err / samples.length) : 0 };
}

export function fitCosts(samples: readonly CostSample[]): Record<string, TypeCost> {
  const byType = new Map<string, CostSample[]>();
  for (const s of samples) byType.set(s.type, [...(byType.get(s.type) ?? []), s]);
  return Object.fromEntries([...byType.keys()].sort().map((t) => [t, fitType(byType.get(t)!)]));
}

export function applyCost(c: Coefficients, f: OpFeatures): number {
  return FEATURES.reduce((n, k) => n + (c[k] ?? 0) * f[k], 0);
}
