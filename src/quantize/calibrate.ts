// Calibration: runs the float model on every sample with the reference
// interpreter and records, for each activation tensor, the range its values
// take — the plain min/max, or percentiles over a bounded, seeded reservoir
// of values (so large models do not keep every activation in memory).

import { mainGraph } from "../model/graph.js";
import type { Model } from "../model/ir.js";
import { prepareReference } from "../reference/interpreter.js";

export interface Range {
  min: number;
  max: number;
}

export interface CalibrationOptions {
  /** Keep the [100-p, p] percentile range instead of min/max (e.g. 99.99). */
  percentile?: number;
  onProgress?: (done: number, total: number) => void;
}

const RESERVOIR = 1 << 16;

class Reservoir {
  readonly values = new Float32Array(RESERVOIR);
  seen = 0;
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }

  private random(): number {
    // xorshift32: cheap and reproducible.
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 4294967296;
  }

  add(v: number): void {
    if (this.seen < RESERVOIR) this.values[this.seen] = v;
    else {
      const j = Math.floor(this.random() * (this.seen + 1));
      if (j < RESERVOIR) this.values[j] = v;
    }
    this.seen++;
  }

  percentileRange(p: number): Range {
    const sorted = this.values.slice(0, Math.min(this.seen, RESERVOIR)).sort();
    const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round((q / 100) * (sorted.length - 1))))]!;
    return { min: at(100 - p), max: at(p) };
  }
}

/** The calibrated range of every non-constant float32 tensor of the float model, by tensor index. */
export function calibrateRanges(model: Model, samples: Float32Array[], opts: CalibrationOptions = {}): Map<number, Range> {
  const g = mainGraph(model);
  const interp = prepareReference(model);
  const tracked = g.tensors.flatMap((t, i) => (t.dtype === "float32" && !t.data ? [i] : []));
  const ranges = new Map<number, Range>(tracked.map((i) => [i, { min: Infinity, max: -Infinity }]));
  const reservoirs = opts.percentile !== undefined ? new Map(tracked.map((i) => [i, new Reservoir(i + 1)])) : undefined;
  samples.forEach((s, k) => {
    interp.invoke([s]);
    for (const i of tracked) {
      const buf = interp.buffers[i] as Float32Array;
      const r = ranges.get(i)!;
      const res = reservoirs?.get(i);
      for (let j = 0; j < buf.length; j++) {
        const v = buf[j]!;
        if (v < r.min) r.min = v;
        if (v > r.max) r.max = v;
        res?.add(v);
      }
    }
    opts.onProgress?.(k + 1, samples.length);
  });
  if (reservoirs && opts.percentile !== undefined) {
    for (const [i, res] of reservoirs) ranges.set(i, res.percentileRange(opts.percentile));
  }
  return ranges;
}
