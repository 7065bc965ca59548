// Device output vs host reference. For integer models the answer must be
// the same bytes (the reference is bit-exact with TFLM's kernels), so a
// comparison counts differing elements and keeps the first for the message.
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
  const within = c.tolerance !== undefined ? ` (tolerance ${c.tolerance})` : "";
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
