// `tinyml quantize` wall time on a float model with N calibration samples
// (issue 16, goal 4: the float MLPerf ResNet with 100 samples in <= 60 s).
// The samples are synthetic but image-like, seeded, so every run calibrates
// on the same data: 4x4 blocks of uniform values in [0, 1] upsampled to the
// input, plus 0.1 Gaussian noise, clipped. Only the time is measured here;
// quantize's accuracy is the tests' concern.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { loadModel } from "../src/model/load.js";

export interface QuantizeSpeed {
  model: string;
  samples: number;
  ms: number;
}

/** mulberry32: small, seeded, the same sequence on every machine. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One NHWC float32 sample of `shape` ([1, H, W, C] or any shape: then flat noise). */
function sample(shape: number[], next: () => number): Float32Array {
  const n = shape.reduce((a, d) => a * d, 1);
  const out = new Float32Array(n);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  if (shape.length !== 4) {
    for (let i = 0; i < n; i++) out[i] = next();
    return out;
  }
  const [, h, w, c] = shape as [number, number, number, number];
  const blocks = Array.from({ length: 16 * c }, next);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let k = 0; k < c; k++) {
        const base = blocks[(Math.floor((y * 4) / h) * 4 + Math.floor((x * 4) / w)) * c + k]!;
        out[(y * w + x) * c + k] = Math.min(1, Math.max(0, base + 0.1 * gauss()));
      }
  return out;
}

/** Writes the samples as raw float32 .bin files and times `run(["quantize", …])`. */
export async function measureQuantize(model: string, samples: number, run: (args: string[]) => number): Promise<QuantizeSpeed> {
  const { model: m } = await loadModel(model);
  const g = m.graphs[0]!;
  const shape = g.tensors[g.inputs[0]!]!.shape;
  const dir = mkdtempSync(join(tmpdir(), "tinyml-bench-quantize-"));
  try {
    const next = rng(20240611);
    const calib = join(dir, "calib");
    mkdirSync(calib);
    for (let i = 0; i < samples; i++) {
      const s = sample(shape, next);
      writeFileSync(join(calib, `s${String(i).padStart(3, "0")}.bin`), new Uint8Array(s.buffer));
    }
    const ms = run(["quantize", model, "--calib", calib, "-o", join(dir, "out.tflite")]);
    return { model: basename(model), samples, ms: Math.round(ms) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
