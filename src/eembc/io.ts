// The host side of each benchmark's I/O, the same arithmetic the eembc app
// (firmware/runtime/tml_eembc.c) and the reference submissions do, in
// float32 where they compute in float: a dataset sample to the model's int8
// input, and the model's int8 output to the text `m-results-[…]` carries, so
// the host reference predicts what the runner reads, digit for digit.

import type { Tensor } from "../model/ir.js";
import type { EembcBenchmark } from "./benchmarks.js";

const f = Math.fround;

function quantParams(t: Tensor): { scale: number; zeroPoint: number } {
  return { scale: f(t.quantization?.scale[0] ?? 1), zeroPoint: t.quantization?.zeroPoint[0] ?? 0 };
}

/** The reference's QuantizeFloatToInt8: round(v / scale) + zero point (round half away from zero), saturated. */
export function quantizeS8(v: number, scale: number, zeroPoint: number): number {
  let q = f(v / scale);
  if (!(q > -1e6)) q = -1e6;
  if (q > 1e6) q = 1e6;
  const r = Math.sign(q) * Math.floor(Math.abs(q) + 0.5) + zeroPoint;
  return Math.max(-128, Math.min(127, r));
}

/** A dataset sample (the runner's bytes) as the model's int8 input bytes. */
export function sampleToInput(b: EembcBenchmark, input: Tensor, sample: Uint8Array): Uint8Array {
  if (b.io === "int8") return sample.slice();
  if (b.io === "uint8") return sample.map((x) => (x - 128) & 0xff);
  const { scale, zeroPoint } = quantParams(input);
  const values = floatsOf(sample);
  return Uint8Array.from(values, (v) => quantizeS8(v, scale, zeroPoint) & 0xff);
}

function floatsOf(sample: Uint8Array): Float32Array {
  const view = new DataView(sample.buffer, sample.byteOffset, sample.byteLength);
  return Float32Array.from({ length: sample.byteLength / 4 }, (_, i) => view.getFloat32(4 * i, true));
}

function dequantizeS8(q: number, scale: number, zeroPoint: number): number {
  return f((q - zeroPoint) * scale);
}

/** printf's "%0.3f" of a float32 value: its exact value rounded to 3 decimals, ties to even. */
export function printf3(v: number): string {
  if (Number.isNaN(v)) return "nan";
  let d = v * 1000; // exact: a float32 times 1000 fits a double's significand
  const sign = d < 0 ? "-" : "";
  d = Math.min(Math.abs(d), 9007199254740991);
  let r = Math.floor(d);
  const frac = d - r;
  if (frac > 0.5 || (frac === 0.5 && r % 2 === 1)) r += 1;
  const int = Math.floor(r / 1000);
  return `${sign}${int}.${String(r % 1000).padStart(3, "0")}`;
}

/** keyword_spotting's "0.%d%d%d" of (int)(v*10), (int)(v*100) % 10, (int)(v*1000) % 10, products in float. */
export function kws3(v: number): string {
  const d = (k: number): number => Math.trunc(f(v * k));
  return `0.${d(10)}${d(100) % 10}${d(1000) % 10}`;
}

/**
 * The text inside `m-results-[…]` for one inference: the dequantized scores
 * as the benchmark's reference prints them, or (ad01) the mean squared error
 * between the sample and the dequantized reconstruction, summed in order in
 * float32.
 */
export function resultsText(b: EembcBenchmark, output: Tensor, outBytes: Uint8Array, sample: Uint8Array): string {
  const { scale, zeroPoint } = quantParams(output);
  const q = new Int8Array(outBytes.buffer, outBytes.byteOffset, outBytes.byteLength);
  if (b.io === "float-mse") {
    const x = floatsOf(sample);
    let sum = 0;
    for (let i = 0; i < q.length; i++) {
      const diff = f(dequantizeS8(q[i]!, scale, zeroPoint) - x[i]!);
      sum = f(sum + f(diff * diff));
    }
    return printf3(f(sum / q.length));
  }
  const fmt = b.io === "int8" ? kws3 : printf3;
  return Array.from(q, (v) => fmt(dequantizeS8(v, scale, zeroPoint))).join(",");
}

/** What the runner makes of the text: Python's float() of each comma-separated field. */
export function parseResults(text: string): number[] {
  return text === "" ? [] : text.split(",").map(Number);
}
