// Gemm and MatMul with constant weights → FULLY_CONNECTED (weights [out, in]),
// ReduceMean → MEAN and Softmax → SOFTMAX over the IR axis that holds ONNX's.

import { numElements } from "../../graph.js";
import type { Converter, Value } from "../context.js";
import { hostOf, transposeHost } from "../host.js";
import { identity, type Perm } from "../layout.js";
import type { HostTensor } from "../proto.js";
import { activationOperand, type OpConverter } from "./elementwise.js";

/** k·h (its quantized form, if any, no longer describes it). */
function scaled(h: HostTensor, k: number): HostTensor {
  return k === 1 ? h : { dtype: h.dtype, shape: h.shape, values: Float32Array.from(h.values, (v) => v * k) };
}

/** Weights [N, K] whose columns follow a flattened input's IR element order (see Value.colOrder). */
function reorderColumns(w: HostTensor, order: Int32Array): HostTensor {
  const [n, k] = w.shape as [number, number];
  const pick = <A extends Float32Array | Float64Array>(src: A): A => {
    const out = new (src.constructor as new (len: number) => A)(n * k);
    for (let r = 0; r < n; r++) for (let j = 0; j < k; j++) out[r * k + j] = src[r * k + order[j]!]!;
    return out;
  };
  const q = w.quant;
  return { dtype: w.dtype, shape: [n, k], values: pick(w.values), ...(q ? { quant: { ...q, values: pick(q.values) } } : {}) };
}

/** The activation operand of an FC and its weights: a flatten's element order folds into the weights. */
function fcOperands(c: Converter, a: Value, weights: HostTensor): [number, HostTensor] {
  if (a.colOrder && a.ir !== undefined) return [a.ir, reorderColumns(weights, a.colOrder)];
  return [c.irIn(a, identity(a.shape.length)), weights];
}

/** FULLY_CONNECTED of a [rows…, K] activation with weights [N, K]; `bias` [N] or none. */
function fullyConnected(c: Converter, a: Value, w: HostTensor, bias: HostTensor | undefined, outShape: number[], k = 0): number {
  const name = c.node.output[k]!;
  const n = w.shape[0]!;
  const keep = a.shape.length > 2;
  const [x, weights] = fcOperands(c, a, w);
  const y = c.output(k, outShape, identity(outShape.length));
  const ins = [x, c.constant(`${name}/weights`, weights), c.constant(`${name}/bias`, bias ?? hostOf("float32", [n], new Float32Array(n)))];
  c.op("FULLY_CONNECTED", ins, [y], { keepNumDims: keep });
  return y;
}

const gemm: OpConverter = (c) => {
  let a0 = c.activation(0);
  const transA = c.attrs.int("transA", 0) === 1;
  const transB = c.attrs.int("transB", 0) === 1;
  const alpha = c.attrs.float("alpha", 1);
  const beta = c.attrs.float("beta", 1);
  const b = c.host(1, "B, the weights");
  if (a0.shape.length !== 2 || b.shape.length !== 2) return c.fail("TML_E_MODEL_INVALID", "Gemm needs 2-D A and B", "Fix the model.");
  if (transA && a0.colOrder) a0 = { ...a0, ir: c.irIn(a0, [0, 1]), colOrder: undefined, unflat: undefined };
  // A′ = Aᵀ is a relabelling (transA), the IR moves it only if it must.
  const a: Value = transA ? { ...a0, name: `${a0.name}/T`, shape: [a0.shape[1]!, a0.shape[0]!], perm: a0.perm.map((p) => 1 - p) } : a0;
  const [m, kIn] = a.shape as [number, number];
  const weights = scaled(transB ? b : transposeHost(b, [1, 0]), alpha);
  const n = weights.shape[0]!;
  if (weights.shape[1] !== kIn) return c.fail("TML_E_MODEL_INVALID", `A is [${m}, ${kIn}] but B gives ${weights.shape[1]} inputs`, "Fix the model.");
  const cIn = c.in(2);
  const cHost = cIn?.host ? scaled(cIn.host, beta) : undefined;
  const vectorBias = cHost && numElements(cHost.shape) === n && cHost.shape.slice(0, -1).every((d) => d === 1) && (cHost.shape.at(-1) === n);
  const scalarBias = cHost && numElements(cHost.shape) === 1;
  if (!cIn || vectorBias || scalarBias) {
    const bias = cHost ? hostOf("float32", [n], scalarBias ? new Array<number>(n).fill(cHost.values[0]!) : Array.from(cHost.values)) : undefined;
    fullyConnected(c, a, weights, bias, [m, n]);
    return;
  }
  // A bias that varies by row: FC, then ADD it broadcast.
  const name = c.node.output[0]!;
  const mid = c.b.tensor({ name: `${name}/matmul`, dtype: "float32", shape: [m, n], isVariable: false });
  const [x, w] = fcOperands(c, a, weights);
  c.op("FULLY_CONNECTED", [x, c.constant(`${name}/weights`, w), c.constant(`${name}/nobias`, hostOf("float32", [n], new Float32Array(n)))], [mid]);
  const addend = cHost ? c.constant(`${name}/c`, { ...cHost, shape: [...new Array<number>(2 - cHost.shape.length).fill(1), ...cHost.shape] }) : activationOperand(c, cIn, 2, [0, 1]);
  if (!cHost && beta !== 1) c.unsupported(`beta ${beta} with a computed C`, "Scale C before the Gemm, or use beta 1.");
  c.op("ADD", [mid, addend], [c.output(0, [m, n])]);
};

const matmul: OpConverter = (c) => {
  const a = c.activation(0);
  const b = c.host(1, "B, the weights (tinyml has no run-time matrix product of two activations)");
  if (b.shape.length !== 2) return c.unsupported(`B of rank ${b.shape.length}`, "tinyml converts MatMul by a 2-D constant matrix.");
  const [kIn, n] = b.shape as [number, number];
  const weights = transposeHost(b, [1, 0]);
  if (a.shape.length === 1) {
    // [K] · [K, N] = [N]: run as [1, K] · [K, N].
    const name = c.node.output[0]!;
    const row = c.b.tensor({ name: `${name}/row`, dtype: "float32", shape: [1, kIn], isVariable: false });
    c.reshapeOp(c.irIn(a, [0]), row, [1, kIn]);
    const mid = c.b.tensor({ name: `${name}/fc`, dtype: "float32", shape: [1, n], isVariable: false });
    c.op("FULLY_CONNECTED", [row, c.constant(`${name}/weights`, weights), c.constant(`${name}/bias`, hostOf("float32", [n], new Float32Array(n)))], [mid]);
    c.reshapeOp(mid, c.output(0, [n]), [n]);
    return;
  }
  if (a.shape.at(-1) !== kIn) return c.fail("TML_E_MODEL_INVALID", `A [${a.shape.join(", ")}] and B [${b.shape.join(", ")}] do not multiply`, "Fix the model.");
  fullyConnected(c, a, weights, undefined, [...a.shape.slice(0, -1), n]);
};

function normAxes(c: Converter, axes: number[], r: number): number[] {
  return axes.map((a) => (a < 0 ? a + r : a)).map((a) => (a < 0 || a >= r ? c.fail("TML_E_MODEL_INVALID", `axis out of range for rank ${r}`, "Fix the model.") : a));
}

const reduceMean: OpConverter = (c) => {
  const x = c.activation(0);
  const r = x.shape.length;
  const keep = c.attrs.int("keepdims", 1) === 1;
  let axes = c.opset >= 18 ? (c.in(1) ? Array.from(c.host(1, "the axes").values) : undefined) : c.attrs.ints("axes");
  if (!axes || axes.length === 0) {
    if (c.attrs.int("noop_with_empty_axes", 0) === 1) return c.alias(0, x);
    axes = identity(r);
  }
  const set = new Set(normAxes(c, axes, r));
  const shape = x.shape.map((d, a) => (set.has(a) ? 1 : d));
  const irAxes = x.perm.flatMap((p, i) => (set.has(p) ? [i] : []));
  let outShape = shape;
  let perm: Perm = x.perm;
  if (!keep) {
    const kept = identity(r).filter((a) => !set.has(a));
    const renum = new Map(kept.map((a, i) => [a, i]));
    outShape = kept.map((a) => x.shape[a]!);
    perm = x.perm.filter((p) => renum.has(p)).map((p) => renum.get(p)!);
  }
  const y = c.output(0, outShape, perm);
  c.op("MEAN", [c.irIn(x, x.perm), c.b.constInt32(`${c.node.output[0]}/axes`, [irAxes.length], irAxes)], [y], { keepDims: keep });
};

const softmax: OpConverter = (c) => {
  const x = c.activation(0);
  const r = x.shape.length;
  const legacy = c.opset < 13;
  const axisAttr = c.attrs.int("axis", legacy ? 1 : -1);
  const axis = axisAttr < 0 ? axisAttr + r : axisAttr;
  if (!legacy || axis === r - 1) {
    // TFLite's SOFTMAX runs over the last IR axis: take x in a layout that puts ONNX's axis there.
    const perm = x.perm.at(-1) === axis ? x.perm : [...identity(r).filter((a) => a !== axis), axis];
    const y = c.output(0, x.shape, perm);
    c.op("SOFTMAX", [c.irIn(x, perm)], [y], { beta: 1 });
    return;
  }
  // Before opset 13, Softmax flattens to [Π dims < axis, Π dims ≥ axis] and normalizes the rows.
  const name = c.node.output[0]!;
  const flat = [numElements(x.shape.slice(0, axis)), numElements(x.shape.slice(axis))];
  const a = c.b.tensor({ name: `${name}/2d`, dtype: "float32", shape: flat, isVariable: false });
  c.reshapeOp(c.irIn(x, identity(r)), a, flat);
  const s = c.b.tensor({ name: `${name}/softmax`, dtype: "float32", shape: flat, isVariable: false });
  c.op("SOFTMAX", [a], [s], { beta: 1 });
  c.reshapeOp(s, c.output(0, x.shape), x.shape);
};

export const LINEAR_OPS: Record<string, OpConverter> = {
  Gemm: gemm,
  MatMul: matmul,
  ReduceMean: reduceMean,
  Softmax: softmax,
};

