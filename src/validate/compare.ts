// Device output vs host reference. For integer models the answer must be
// the same bytes (the reference is bit-exact with TFLM's kernels), so a
// comparison counts differing elements and keeps the first for the message.
// float32 outputs are compared in units in the last place (--float-ulp).
import { typedView, type DType } from "../model/dtype.js";
import type { Tensor } from "../model/ir.js";
import type { OutputComparison } from "./report.js";

function values(dtype: DType, bytes: Uint8Array): ArrayLike<number | bigint> {
  // typedView needs an aligned buffer: copy into a fresh one.
  return typedView(dtype, bytes.slice());
}

/** Element-wise exact comparison of output `index`'s bytes. */
export function compareExact(index: number, t: Tensor, expected: Uint8Array, actual: Uint8Array): OutputComparison {
  const base = { index, name: t.name, dtype: t.dtype, shape: [...t.shape] };
  if (expected.length !== actual.length) {
    return { ...base, exact: false, mismatches: Math.max(expected.length, actual.length), firstMismatch: { element: -1, expected: expected.length, actual: actual.length } };
  }
  const e = values(t.dtype, expected);
  const a = values(t.dtype, actual);
  let mismatches = 0;
  let first: OutputComparison["firstMismatch"];
  for (let i = 0; i < e.length; i++) {
    if (e[i] !== a[i]) {
      mismatches++;
      first ??= { element: i, expected: Number(e[i]), actual: Number(a[i]) };
    }
  }
  return { ...base, exact: mismatches === 0, mismatches, ...(first ? { firstMismatch: first } : {}) };
}

/**
 * float32 outputs within this many units in the last place of the host's
 * count as equal: the same C on another FPU and libm (Cortex-M's FMA
 * contraction, newlib's expf) rounds a little differently. MLPerf Tiny's
 * float ResNet on qemu-m4 differs by up to 2.
 */
export const DEFAULT_FLOAT_ULP = 4;

/** A float32's bits as an integer that orders like the float (so ±0 are 0 apart, neighbours 1). */
function orderedBits(bits: number): number {
  return bits < 0 ? -(bits & 0x7fffffff) : bits;
}

/** Distance in units in the last place between two float32 bit patterns; NaN vs NaN is 0, NaN vs a number infinite. */
export function ulpDistance(aBits: number, bBits: number): number {
  const nan = (b: number): boolean => (b & 0x7f800000) === 0x7f800000 && (b & 0x7fffff) !== 0;
  if (nan(aBits) || nan(bBits)) return nan(aBits) && nan(bBits) ? 0 : Infinity;
  return Math.abs(orderedBits(aBits) - orderedBits(bBits));
}

/**
 * float32 outputs: the device's libm and FPU may round differently from the
 * host's (a fused multiply-add, another expf), so elements may differ by a
 * few units in the last place and still be the same computation. Each
 * element must be within `maxUlp`; the largest difference is reported.
 */
export function compareFloatUlp(index: number, t: Tensor, expected: Uint8Array, actual: Uint8Array, maxUlp: number): OutputComparison {
  const base = { index, name: t.name, dtype: t.dtype, shape: [...t.shape] };
  if (expected.length !== actual.length) {
    return { ...base, exact: false, mismatches: Math.max(expected.length, actual.length) / 4, firstMismatch: { element: -1, expected: expected.length, actual: actual.length }, ulp: { max: Infinity, tolerance: maxUlp } };
  }
  const e = new Int32Array(expected.slice().buffer);
  const a = new Int32Array(actual.slice().buffer);
  const ef = new Float32Array(e.buffer);
  const af = new Float32Array(a.buffer);
  let worst = 0;
  let mismatches = 0;
  let first: OutputComparison["firstMismatch"];
  for (let i = 0; i < e.length; i++) {
    const d = ulpDistance(e[i]!, a[i]!);
    worst = Math.max(worst, d);
    if (d > maxUlp) {
      mismatches++;
      first ??= { element: i, expected: ef[i]!, actual: af[i]! };
    }
  }
  return { ...base, exact: mismatches === 0, mismatches, ...(first ? { firstMismatch: first } : {}), ulp: { max: worst, tolerance: maxUlp } };
}

/** Values printed with limited precision (EEMBC's 0.ddd) vs the dequantized reference, within `tolerance`. */
export function compareWithin(index: number, t: Tensor, expected: readonly number[], actual: readonly number[], tolerance: number): OutputComparison {
  const base = { index, name: t.name, dtype: "float32", shape: [...t.shape], tolerance };
  let mismatches = Math.abs(expected.length - actual.length);
  let first: OutputComparison["firstMismatch"];
  for (let i = 0; i < Math.min(expected.length, actual.length); i++) {
    if (!(Math.abs(expected[i]! - actual[i]!) <= tolerance)) {
      mismatches++;
      first ??= { element: i, expected: expected[i]!, actual: actual[i]! };
    }
  }
  if (!first && expected.length !== actual.length) first = { element: -1, expected: expected.length, actual: actual.length };
  return { ...base, exact: mismatches === 0, mismatches, ...(first ? { firstMismatch: first } : {}) };
}

/** "output 0 'name' element 1: expected -72, got -71 (3 of 2 elements differ)". */
export function describeMismatch(c: OutputComparison): string {
  const f = c.firstMismatch;
  if (!f) return `output ${c.index} '${c.name}' matches`;
  if (f.element < 0) return `output ${c.index} '${c.name}': expected ${f.expected} ${c.tolerance !== undefined ? "values" : "bytes"}, got ${f.actual}`;
  const within = c.tolerance !== undefined ? ` (tolerance ${c.tolerance})` : c.ulp ? ` (${c.ulp.max} ULP apart, ${c.ulp.tolerance} allowed by --float-ulp)` : "";
  return `output ${c.index} '${c.name}' element ${f.element}: expected ${f.expected}, got ${f.actual}${within} (${c.mismatches} element${c.mismatches === 1 ? "" : "s"} differ)`;
}

/** Real values of quantized (or float) tensor bytes. */
export function dequantize(t: Tensor, bytes: Uint8Array): number[] {
  const v = values(t.dtype, bytes);
  const q = t.quantization;
  const scale = q && q.scale.length === 1 ? q.scale[0]! : 0;
  const zp = q && q.zeroPoint.length === 1 ? Number(q.zeroPoint[0]!) : 0;
  return Array.from(v, (x) => (scale !== 0 ? scale * (Number(x) - zp) : Number(x)));
}
