// Synthetic but learnable datasets for the example models, generated from a
// seed so the training script, the committed calibration sets and the tests'
// holdout sets are reproducible without storing them.
//
// - kws: 49 frames × 40 filterbank channels (the micro_speech feature shape),
//   five classes: background noise, a steady low band, a rising chirp, a
//   falling chirp, and two bands — each at a random time offset, length and
//   loudness under noise. These are not real speech features.
// - image: 16×16 grayscale shapes — filled square, ring, horizontal bar,
//   diagonal cross — at random positions and sizes under noise.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface Samples {
  /** Per-sample shape (no batch dim). */
  shape: number[];
  x: Float32Array[];
  y: number[];
  classes: string[];
}

/** mulberry32: a tiny seeded PRNG. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
}

export const KWS_CLASSES = ["noise", "steady", "rising", "falling", "two_bands"];

export function kwsSamples(count: number, seed: number): Samples {
  const r = rng(seed);
  const T = 49;
  const F = 40;
  const x: Float32Array[] = [];
  const y: number[] = [];
  for (let n = 0; n < count; n++) {
    const c = n % KWS_CLASSES.length;
    const s = new Float32Array(T * F);
    for (let i = 0; i < s.length; i++) s[i] = 0.5 * Math.abs(gauss(r));
    const len = 15 + Math.floor(r() * 20);
    const t0 = Math.floor(r() * (T - len));
    const gain = 0.8 + r() * 1.2;
    const base = 6 + r() * 8;
    for (let t = t0; t < t0 + len; t++) {
      const u = (t - t0) / len;
      const centers =
        c === 1 ? [base] : c === 2 ? [base + 20 * u] : c === 3 ? [base + 20 * (1 - u)] : c === 4 ? [base, base + 18] : [];
      for (const f0 of centers) {
        for (let f = 0; f < F; f++) s[t * F + f]! += gain * Math.exp(-((f - f0) ** 2) / 6);
      }
    }
    x.push(s);
    y.push(c);
  }
  return { shape: [T, F, 1], x, y, classes: KWS_CLASSES };
}

export const IMAGE_CLASSES = ["square", "ring", "bar", "cross"];

export function imageSamples(count: number, seed: number): Samples {
  const r = rng(seed);
  const S = 16;
  const x: Float32Array[] = [];
  const y: number[] = [];
  for (let n = 0; n < count; n++) {
    const c = n % IMAGE_CLASSES.length;
    const img = new Float32Array(S * S);
    for (let i = 0; i < img.length; i++) img[i] = 0.25 * gauss(r);
    const size = 5 + Math.floor(r() * 5);
    const cx = Math.floor(r() * (S - size));
    const cy = Math.floor(r() * (S - size));
    const v = 0.7 + 0.6 * r();
    for (let i = 0; i < size; i++) {
      for (let j = 0; j < size; j++) {
        const edge = i === 0 || j === 0 || i === size - 1 || j === size - 1;
        const mid = Math.abs(i - (size - 1) / 2) <= 1;
        const diag = i === j || i === size - 1 - j;
        const on = c === 0 ? true : c === 1 ? edge : c === 2 ? mid : diag;
        if (on) img[(cy + i) * S + cx + j]! += v;
      }
    }
    x.push(img);
    y.push(c);
  }
  return { shape: [S, S, 1], x, y, classes: IMAGE_CLASSES };
}

/** numpy .npy v1.0 bytes of a float32 C-order array. */
export function npyFloat32(shape: number[], data: Float32Array): Uint8Array {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(", ")}${shape.length === 1 ? "," : ""}), }`;
  const total = 10 + header.length + 1;
  header += " ".repeat((64 - (total % 64)) % 64) + "\n";
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}

/** Writes samples as one [N, ...shape] float32 .npy plus labels.json. */
export function writeSamples(dir: string, s: Samples): void {
  mkdirSync(dir, { recursive: true });
  const n = s.shape.reduce((a, b) => a * b, 1);
  const all = new Float32Array(s.x.length * n);
  s.x.forEach((v, k) => all.set(v, k * n));
  writeFileSync(join(dir, "samples.npy"), npyFloat32([s.x.length, ...s.shape], all));
  writeFileSync(join(dir, "labels.json"), `${JSON.stringify(s.y)}\n`);
}

/** The example datasets: the seeds the training script uses for each split. */
export const EXAMPLES = {
  kws_cnn: { make: kwsSamples, train: { count: 500, seed: 1 }, calib: { count: 20, seed: 2 }, holdout: { count: 500, seed: 3 } },
  tiny_image: { make: imageSamples, train: { count: 600, seed: 11 }, calib: { count: 64, seed: 12 }, holdout: { count: 600, seed: 13 } },
} as const;

export type ExampleName = keyof typeof EXAMPLES;

/** Regenerates an example's holdout set (not committed: it is large and reproducible) into `dir`. */
export function writeHoldout(name: ExampleName, dir: string): void {
  const e = EXAMPLES[name];
  writeSamples(dir, e.make(e.holdout.count, e.holdout.seed));
}
