// Synthetic cases for the data-movement and reduction ops: RESHAPE, MEAN,
// PAD, CONCATENATION, STRIDED_SLICE, TRANSPOSE, CAST.

import type { DType } from "../../../src/model/dtype.js";
import type { TfliteTensorTypeName } from "../../../src/model/dtype.js";
import { GraphBuilder, quant, type InputSpec, type OpCase, type Rng } from "./builder.js";

const SPECS: Partial<Record<DType, InputSpec>> = {
  int8: { lo: -128, hi: 127 },
  int16: { lo: -32768, hi: 32767 },
  int32: { lo: -2147483648, hi: 2147483647 },
  uint32: { lo: 0, hi: 4294967295 },
  float32: { lo: -4, hi: 4 },
};

function single(name: string, op: string, variant: string, b: GraphBuilder): OpCase {
  return { name, op, variant, graph: b.graph(), inputSpecs: b.inputSpecs };
}

function q8(rng: Rng, dtype: DType): ReturnType<typeof quant> | undefined {
  return dtype === "int8" ? quant(rng.float(0.02, 0.1), rng.int(-20, 20)) : undefined;
}

export function reshapeCases(rng: Rng): OpCase[] {
  return (["int8", "float32"] as const).map((dtype) => {
    const b = new GraphBuilder();
    const q = q8(rng, dtype);
    const x = b.input(dtype, [1, 2, 6], SPECS[dtype]!, q);
    const shape = b.constant("int32", [2], [3, 4]);
    const y = b.tensor(dtype, [3, 4], q);
    b.op("RESHAPE", { newShape: [3, 4] }, [x, shape], [y]);
    b.output(y);
    return single(`RESHAPE ${dtype} [1,2,6]->[3,4]`, "RESHAPE", dtype, b);
  });
}

export function meanCases(rng: Rng): OpCase[] {
  const layouts: Array<{ shape: number[]; axes: number[]; keepDims: boolean }> = [
    { shape: [1, 4, 5, 3], axes: [1, 2], keepDims: true },
    { shape: [1, 4, 5, 3], axes: [2, 1], keepDims: false },
    { shape: [2, 3, 7], axes: [-1], keepDims: false },
    { shape: [3, 4, 2, 5], axes: [0, 2], keepDims: true },
    { shape: [6, 5], axes: [0, 1, -1], keepDims: false },
  ];
  const cases: OpCase[] = [];
  for (const { shape, axes, keepDims } of layouts) {
    const resolved = new Set(axes.map((a) => (a < 0 ? a + shape.length : a)));
    const outShape = keepDims ? shape.map((n, d) => (resolved.has(d) ? 1 : n)) : shape.filter((_, d) => !resolved.has(d));
    for (const dtype of ["int8", "float32"] as const) {
      const b = new GraphBuilder();
      const x = b.input(dtype, shape, SPECS[dtype]!, q8(rng, dtype));
      const axis = b.constant("int32", [axes.length], axes);
      // A different output quantization exercises the in/out rescale and the 1/count fold together.
      const y = b.tensor(dtype, outShape, q8(rng, dtype));
      b.op("MEAN", { keepDims }, [x, axis], [y]);
      b.output(y);
      cases.push(single(`MEAN ${dtype} [${shape}] axes [${axes}] keep ${keepDims}`, "MEAN", dtype, b));
    }
  }
  return cases;
}

export function padCases(rng: Rng): OpCase[] {
  const cases: OpCase[] = [];
  const layouts: Array<{ shape: number[]; pads: number[] }> = [
    { shape: [1, 3, 4, 2], pads: [0, 0, 1, 2, 2, 0, 0, 1] },
    { shape: [2, 5], pads: [1, 1, 0, 3] },
  ];
  for (const { shape, pads } of layouts) {
    for (const dtype of ["int8", "float32", "int32"] as const) {
      const b = new GraphBuilder();
      const q = q8(rng, dtype);
      const x = b.input(dtype, shape, SPECS[dtype]!, q);
      const p = b.constant("int32", [shape.length, 2], pads);
      const y = b.tensor(dtype, shape.map((n, d) => n + pads[2 * d]! + pads[2 * d + 1]!), q);
      b.op("PAD", {}, [x, p], [y]);
      b.output(y);
      cases.push(single(`PAD ${dtype} [${shape}] pads [${pads}]`, "PAD", dtype, b));
    }
  }
  return cases;
}

export function concatenationCases(rng: Rng): OpCase[] {
  const cases: OpCase[] = [];
  for (const dtype of ["int8", "float32", "int32"] as const) {
    for (const axis of [0, 1, -1]) {
      const b = new GraphBuilder();
      const q = q8(rng, dtype);
      const rank = 3;
      const a = axis < 0 ? axis + rank : axis;
      const base = [2, 3, 4];
      const sizes = [rng.int(1, 3), rng.int(1, 3), rng.int(1, 3)];
      const shapes = sizes.map((s) => base.map((n, d) => (d === a ? s : n)));
      const inputs = shapes.map((s, k) => {
        // One operand is a constant in flash, as in the audio preprocessor.
        if (k === 1 && dtype === "int32") return b.constant(dtype, s, Array.from({ length: s.reduce((x, y) => x * y, 1) }, () => rng.int(-1000, 1000)));
        return b.input(dtype, s, SPECS[dtype]!, q);
      });
      const y = b.tensor(dtype, base.map((n, d) => (d === a ? sizes.reduce((x, y) => x + y, 0) : n)), q);
      b.op("CONCATENATION", { axis, activation: "NONE" }, inputs, [y]);
      b.output(y);
      cases.push(single(`CONCATENATION ${dtype} axis ${axis} sizes [${sizes}]`, "CONCATENATION", dtype, b));
    }
  }
  return cases;
}

interface SliceLayout {
  shape: number[]; begin: number[]; end: number[]; strides: number[];
  beginMask?: number; endMask?: number; shrinkAxisMask?: number; out: number[];
}

const SLICES: SliceLayout[] = [
  { shape: [4, 6, 5], begin: [1, 0, 1], end: [3, 6, 5], strides: [1, 2, 2], out: [2, 3, 2] },
  { shape: [4, 6, 5], begin: [-1, 5, 0], end: [0, 0, 5], strides: [-1, -2, 1], out: [3, 3, 5] },
  { shape: [4, 6, 5], begin: [2, 0, 0], end: [3, 4, 0], strides: [1, 1, 1], beginMask: 0b100, endMask: 0b100, shrinkAxisMask: 0b001, out: [4, 5] },
  { shape: [257], begin: [5], end: [241], strides: [1], out: [236] },
];

export function stridedSliceCases(rng: Rng): OpCase[] {
  const cases: OpCase[] = [];
  for (const s of SLICES) {
    for (const dtype of ["int8", "float32", "int32", "int16"] as const) {
      const b = new GraphBuilder();
      const q = q8(rng, dtype);
      const x = b.input(dtype, s.shape, SPECS[dtype]!, q);
      const n = s.shape.length;
      const ins = [x, b.constant("int32", [n], s.begin), b.constant("int32", [n], s.end), b.constant("int32", [n], s.strides)];
      const y = b.tensor(dtype, s.out, q);
      b.op("STRIDED_SLICE", {
        beginMask: s.beginMask ?? 0, endMask: s.endMask ?? 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: s.shrinkAxisMask ?? 0, offset: false,
      }, ins, [y]);
      b.output(y);
      cases.push(single(`STRIDED_SLICE ${dtype} [${s.shape}] ${s.begin}:${s.end}:${s.strides} masks ${s.beginMask ?? 0}/${s.endMask ?? 0}/${s.shrinkAxisMask ?? 0}`, "STRIDED_SLICE", dtype, b));
    }
  }
  return cases;
}

export function transposeCases(rng: Rng): OpCase[] {
  const cases: OpCase[] = [];
  const layouts: Array<{ shape: number[]; perm: number[] }> = [
    { shape: [2, 3, 4], perm: [2, 0, 1] },
    { shape: [1, 3, 4, 5], perm: [0, 3, 1, 2] },
    { shape: [3, 5], perm: [1, 0] },
  ];
  for (const { shape, perm } of layouts) {
    for (const dtype of ["int8", "float32", "int16"] as const) {
      const b = new GraphBuilder();
      const q = q8(rng, dtype);
      const x = b.input(dtype, shape, SPECS[dtype]!, q);
      const p = b.constant("int32", [perm.length], perm);
      const y = b.tensor(dtype, perm.map((a) => shape[a]!), q);
      b.op("TRANSPOSE", {}, [x, p], [y]);
      b.output(y);
      cases.push(single(`TRANSPOSE ${dtype} [${shape}] perm [${perm}]`, "TRANSPOSE", dtype, b));
    }
  }
  return cases;
}

export function castCases(rng: Rng): OpCase[] {
  // Float sources stay inside every destination's range: out of range is undefined in C and TFLM.
  const pairs: Array<[DType, DType, InputSpec?]> = [
    ["uint32", "int32"], ["int32", "uint32"], ["int16", "int32"], ["int32", "int8"], ["int8", "int32"],
    ["int32", "int16"], ["int8", "float32"], ["int32", "float32"], ["uint32", "float32"],
    ["float32", "int32", { lo: -1e6, hi: 1e6 }], ["float32", "int8", { lo: -127.9, hi: 127.9 }], ["float32", "int16", { lo: -3e4, hi: 3e4 }],
  ];
  return pairs.map(([from, to, spec]) => {
    const b = new GraphBuilder();
    const shape = [rng.int(1, 3), rng.int(1, 9)];
    const x = b.input(from, shape, spec ?? SPECS[from]!);
    const y = b.tensor(to, shape);
    b.op("CAST", { inDataType: from as TfliteTensorTypeName, outDataType: to as TfliteTensorTypeName }, [x], [y]);
    b.output(y);
    return single(`CAST ${from}->${to} [${shape}]`, "CAST", `${from}->${to}`, b);
  });
}
