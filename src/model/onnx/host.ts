// Arithmetic on constants at load time: exported graphs compute shapes
// (Shape → Gather → Concat → Reshape) and fold small constant expressions,
// which tinyml evaluates once instead of emitting ops for them.

import { numElements } from "../graph.js";
import { broadcastShapes, transposeValues, type Perm } from "./layout.js";
import type { HostTensor, HostType } from "./proto.js";

export function hostOf(dtype: HostType, shape: number[], values: ArrayLike<number>): HostTensor {
  const arr = dtype === "float32" ? Float32Array.from(values) : Float64Array.from(values);
  return { dtype, shape: [...shape], values: arr };
}

/** numpy-broadcast elementwise f over two constants; undefined when the shapes do not broadcast. */
export function broadcastHost(a: HostTensor, b: HostTensor, f: (x: number, y: number) => number): HostTensor | undefined {
  const shape = broadcastShapes(a.shape, b.shape);
  if (!shape) return undefined;
  const n = numElements(shape);
  const r = shape.length;
  const strides = (s: number[]): number[] => {
    const ext = [...new Array<number>(r - s.length).fill(1), ...s];
    const st = new Array<number>(r).fill(0);
    let acc = 1;
    for (let d = r - 1; d >= 0; d--) {
      st[d] = ext[d] === 1 ? 0 : acc;
      acc *= ext[d]!;
    }
    return st;
  };
  const sa = strides(a.shape);
  const sb = strides(b.shape);
  const out = new Array<number>(n);
  const idx = new Array<number>(r).fill(0);
  for (let o = 0; o < n; o++) {
    let ia = 0;
    let ib = 0;
    for (let d = 0; d < r; d++) {
      ia += idx[d]! * sa[d]!;
      ib += idx[d]! * sb[d]!;
    }
    out[o] = f(a.values[ia]!, b.values[ib]!);
    for (let d = r - 1; d >= 0; d--) {
      if (++idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
  }
  return hostOf(a.dtype, shape, out);
}

/** A transposed constant; a quantized form goes along, its axis renumbered. */
export function transposeHost(h: HostTensor, perm: Perm): HostTensor {
  const out: HostTensor = { dtype: h.dtype, shape: perm.map((p) => h.shape[p]!), values: transposeValues(h.values, h.shape, perm) };
  if (h.quant) out.quant = { ...h.quant, values: transposeValues(h.quant.values, h.shape, perm), axis: perm.indexOf(h.quant.axis) };
  return out;
}

/** Gather along `axis` with (possibly negative) indices. */
export function gatherHost(data: HostTensor, indices: HostTensor, axis: number): HostTensor {
  const outer = numElements(data.shape.slice(0, axis));
  const dim = data.shape[axis]!;
  const inner = numElements(data.shape.slice(axis + 1));
  const idx = Array.from(indices.values, (i) => (i < 0 ? i + dim : i));
  const out: number[] = [];
  for (let o = 0; o < outer; o++) for (const i of idx) for (let k = 0; k < inner; k++) out.push(data.values[(o * dim + i) * inner + k]!);
  return hostOf(data.dtype, [...data.shape.slice(0, axis), ...indices.shape, ...data.shape.slice(axis + 1)], out);
}

export function concatHost(parts: HostTensor[], axis: number): HostTensor {
  const shape = [...parts[0]!.shape];
  shape[axis] = parts.reduce((s, p) => s + p.shape[axis]!, 0);
  const outer = numElements(shape.slice(0, axis));
  const out: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (const p of parts) {
      const chunk = numElements(p.shape.slice(axis));
      for (let k = 0; k < chunk; k++) out.push(p.values[o * chunk + k]!);
    }
  }
  return hostOf(parts[0]!.dtype, shape, out);
}
