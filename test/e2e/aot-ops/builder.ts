// Builds small synthetic single-op (or few-op) IR graphs for the per-op
// differential test, and merges many of them into one model so one host
// compile covers dozens of cases. Every random choice comes from a seeded
// generator, so a failing case reproduces from its name and seed.

import type { DType } from "../../../src/model/dtype.js";
import { allocTyped, bytesOf, typedView } from "../../../src/model/dtype.js";
import { numElements } from "../../../src/model/graph.js";
import type { Graph, Model, Op, Quantization, Tensor } from "../../../src/model/ir.js";
import type { BuiltinOpType, OptionsFor } from "../../../src/model/ops.js";

/** mulberry32: small, fast, and the same sequence on every platform. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  float(lo: number, hi: number): number {
    return Math.fround(lo + this.next() * (hi - lo));
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }
}

/** How to draw a graph input's values: a range, minus values that must not occur (zero divisors). */
export interface InputSpec {
  lo: number;
  hi: number;
  exclude?: number[];
}

export interface OpCase {
  /** e.g. "CONV_2D int8 SAME stride 2 dilation 1 per-channel RELU". */
  name: string;
  /** The coverage-list op under test and its dtype variant, for the matrix. */
  op: string;
  variant: string;
  graph: Graph;
  inputSpecs: InputSpec[];
  /** Float outputs from libm transcendental functions: compared within this many ulps. */
  ulps?: number;
}

export function quant(scale: number | number[], zeroPoint: number | number[], axis = 0): Quantization {
  const scales = (Array.isArray(scale) ? scale : [scale]).map(Math.fround);
  const zps = Array.isArray(zeroPoint) ? zeroPoint : scales.map(() => zeroPoint);
  return { scale: scales, zeroPoint: zps, axis };
}

/** A graph under construction: tensors, inputs with their value specs, ops, outputs. */
export class GraphBuilder {
  readonly tensors: Tensor[] = [];
  readonly inputs: number[] = [];
  readonly inputSpecs: InputSpec[] = [];
  readonly outputs: number[] = [];
  readonly ops: Op[] = [];

  private add(t: Tensor): number {
    this.tensors.push(t);
    return this.tensors.length - 1;
  }

  input(dtype: DType, shape: number[], spec: InputSpec, q?: Quantization): number {
    const t = this.add({ name: `in${this.inputs.length}`, dtype, shape, isVariable: false, ...(q ? { quantization: q } : {}) });
    this.inputs.push(t);
    this.inputSpecs.push(spec);
    return t;
  }

  constant(dtype: DType, shape: number[], values: readonly number[], q?: Quantization): number {
    const arr = allocTyped(dtype, numElements(shape));
    values.forEach((v, k) => {
      arr[k] = dtype === "int64" || dtype === "uint64" ? (BigInt(v) as never) : (v as never);
    });
    return this.add({ name: `c${this.tensors.length}`, dtype, shape, data: bytesOf(arr).slice(), isVariable: false, ...(q ? { quantization: q } : {}) });
  }

  tensor(dtype: DType, shape: number[], q?: Quantization): number {
    return this.add({ name: `t${this.tensors.length}`, dtype, shape, isVariable: false, ...(q ? { quantization: q } : {}) });
  }

  op<T extends BuiltinOpType>(type: T, options: OptionsFor<T>, inputs: number[], outputs: number[]): void {
    this.ops.push({ kind: "builtin", type, options, inputs, outputs, version: 1 } as Op);
  }

  output(t: number): void {
    this.outputs.push(t);
  }

  graph(): Graph {
    return { name: "main", tensors: this.tensors, inputs: this.inputs, outputs: this.outputs, ops: this.ops };
  }
}

/** Element types fed through one shared pool input (TFLM's STRIDED_SLICE handles these). */
const POOLED: ReadonlySet<DType> = new Set(["int8", "int16", "int32", "float32"]);

/** Where a merged model's input values come from: one spec per run of elements. */
export interface InputLayout {
  dtype: DType;
  segments: Array<{ count: number; spec: InputSpec }>;
}

export interface MergedCases {
  model: Model;
  inputs: InputLayout[];
  /** Case k's outputs are model outputs [start, end). */
  outputRanges: Array<[number, number]>;
}

/**
 * One model holding every case's graph side by side. The host harness takes
 * at most 16 inputs, so the case inputs of each pooled dtype are cut out of
 * one flat "pool" input with STRIDED_SLICE + RESHAPE (both raw copies, and
 * both ops under test themselves); other dtypes stay separate inputs.
 */
export function mergeCases(cases: readonly OpCase[]): MergedCases {
  const g: Graph = { name: "main", tensors: [], inputs: [], outputs: [], ops: [] };
  const outputRanges: Array<[number, number]> = [];
  const pools = new Map<DType, { tensor: number; size: number; layout: InputLayout }>();
  const direct: InputLayout[] = [];
  const op = (type: "STRIDED_SLICE" | "RESHAPE", options: object, inputs: number[], outputs: number[]): void => {
    g.ops.push({ kind: "builtin", type, options, inputs, outputs, version: 1 } as Op);
  };
  const constI32 = (name: string, values: number[]): number => {
    g.tensors.push({ name, dtype: "int32", shape: [values.length], data: bytesOf(Int32Array.from(values)).slice(), isVariable: false });
    return g.tensors.length - 1;
  };
  const feeds: Array<() => void> = [];
  const bases: number[] = [];
  cases.forEach((c, k) => {
    const base = g.tensors.length;
    bases.push(base);
    const shift = (t: number): number => (t < 0 ? t : t + base);
    g.tensors.push(...c.graph.tensors.map((t) => ({ ...t, name: `case${k}_${t.name}` })));
    c.graph.inputs.forEach((t, j) => {
      const tensor = g.tensors[shift(t)]!;
      const count = numElements(tensor.shape);
      const spec = c.inputSpecs[j]!;
      if (!POOLED.has(tensor.dtype)) {
        g.inputs.push(shift(t));
        direct.push({ dtype: tensor.dtype, segments: [{ count, spec }] });
        return;
      }
      let pool = pools.get(tensor.dtype);
      if (!pool) {
        g.tensors.push({ name: `pool_${tensor.dtype}`, dtype: tensor.dtype, shape: [0], isVariable: false });
        pool = { tensor: g.tensors.length - 1, size: 0, layout: { dtype: tensor.dtype, segments: [] } };
        pools.set(tensor.dtype, pool);
      }
      const start = pool.size;
      pool.size += count;
      pool.layout.segments.push({ count, spec });
      const flat = shift(t);
      const p = pool;
      // Emitted before the cases' ops once every pool's size is known.
      feeds.push(() => {
        const sliced = tensor.shape.length === 1 ? flat : g.tensors.push({ ...tensor, name: `${tensor.name}_flat`, shape: [count] }) - 1;
        op("STRIDED_SLICE", { beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0, offset: false },
          [p.tensor, constI32(`${tensor.name}_begin`, [start]), constI32(`${tensor.name}_end`, [start + count]), constI32(`${tensor.name}_strides`, [1])], [sliced]);
        // A scalar has no shape tensor to give (an empty constant has no buffer): newShape says it.
        const shapeInput = tensor.shape.length > 0 ? [constI32(`${tensor.name}_shape`, tensor.shape)] : [];
        if (sliced !== flat) op("RESHAPE", { newShape: tensor.shape }, [sliced, ...shapeInput], [flat]);
      });
    });
    outputRanges.push([g.outputs.length, g.outputs.length + c.graph.outputs.length]);
    g.outputs.push(...c.graph.outputs.map(shift));
  });
  for (const pool of pools.values()) g.tensors[pool.tensor]!.shape = [pool.size];
  // The pool slices run first, then every case's ops in case order.
  feeds.forEach((feed) => feed());
  cases.forEach((c, k) => {
    const shift = (t: number): number => (t < 0 ? t : t + bases[k]!);
    g.ops.push(...c.graph.ops.map((o) => ({ ...o, inputs: o.inputs.map(shift), outputs: o.outputs.map(shift) })));
  });
  g.inputs.unshift(...[...pools.values()].map((p) => p.tensor));
  const inputs = [...[...pools.values()].map((p) => p.layout), ...direct];
  return { model: { version: 3, description: "tinyml aot-ops differential test", graphs: [g], metadata: [], signatures: [] }, inputs, outputRanges };
}

/** Seeded random bytes for every input of a merged model, drawn segment by segment. */
export function randomInputs(layouts: readonly InputLayout[], rng: Rng): Uint8Array[] {
  return layouts.map((layout) => {
    const arr = allocTyped(layout.dtype, layout.segments.reduce((n, s) => n + s.count, 0));
    let n = 0;
    for (const { count, spec } of layout.segments) {
      for (let e = 0; e < count; e++, n++) {
        let v: number;
        do {
          v = layout.dtype === "float32" ? rng.float(spec.lo, spec.hi) : rng.int(spec.lo, spec.hi);
        } while (spec.exclude?.includes(v));
        arr[n] = v as never;
      }
    }
    return bytesOf(arr).slice();
  });
}

/** Distance in units in the last place between two float32 bit patterns (0 when equal). */
export function ulpDistance(a: Uint8Array, b: Uint8Array): number {
  const x = typedView("int32", a);
  const y = typedView("int32", b);
  let worst = 0;
  for (let k = 0; k < x.length; k++) {
    // Map the sign-magnitude float order onto a monotonic integer line.
    const ox = x[k]! < 0 ? -2147483648 - x[k]! : x[k]!;
    const oy = y[k]! < 0 ? -2147483648 - y[k]! : y[k]!;
    worst = Math.max(worst, Math.abs(ox - oy));
  }
  return worst;
}
