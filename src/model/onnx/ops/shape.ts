// ONNX ops that only rearrange or relabel data. Transpose, Squeeze and
// Unsqueeze change the layout label (and at most RESHAPE); Reshape and
// Flatten need ONNX element order; Concat and Pad work in any layout by
// mapping their axes. On constants they all run at load time.

import { numElements } from "../../graph.js";
import { irDtype, type Converter, type Value } from "../context.js";
import { concatHost, gatherHost, hostOf, transposeHost } from "../host.js";
import { identity, inverse, isPureReshape, permute, samePerm, transposeValues } from "../layout.js";
import type { HostTensor, HostType } from "../proto.js";
import type { OpConverter } from "./elementwise.js";

function normAxis(c: Converter, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) return c.fail("TML_E_MODEL_INVALID", `axis ${axis} is out of range for rank ${rank}`, "Fix the model.");
  return a;
}

/**
 * Flattening [N, …] to [N, K] from another layout (NHWC after a convolution):
 * a RESHAPE in that layout's element order, the order recorded for the
 * Gemm/MatMul after it to fold into its weights (no TRANSPOSE).
 */
function flattenKeepingOrder(c: Converter, x: Value, shape: number[]): boolean {
  const r = x.shape.length;
  if (x.host || x.q || shape.length !== 2 || shape[0] !== x.shape[0] || samePerm(x.perm, identity(r)) || x.perm[0] !== 0) return false;
  const inner = x.shape.slice(1);
  const innerPerm = x.perm.slice(1).map((p) => p - 1);
  if (isPureReshape(inner, innerPerm)) return false; // already ONNX order: a plain RESHAPE
  const order = Int32Array.from(transposeValues(Float64Array.from({ length: numElements(inner) }, (_, i) => i), inner, innerPerm));
  const name = c.node.output[0]!;
  const y = c.b.tensor({ name, dtype: irDtype(x.dtype), shape, isVariable: false });
  c.reshapeOp(c.irIn(x, x.perm), y, shape);
  c.values.set(name, { name, dtype: x.dtype, shape, ir: y, perm: [0, 1], colOrder: order, unflat: x });
  return true;
}

/** Defines output 0 as `x` with ONNX shape `shape` and the same elements in ONNX order. */
export function reshapeTo(c: Converter, x: Value, shape: number[]): void {
  if (numElements(shape) !== numElements(x.shape)) {
    c.fail("TML_E_MODEL_INVALID", `cannot reshape [${x.shape.join(", ")}] to [${shape.join(", ")}]`, "Fix the target shape.");
  }
  if (x.host) return c.defineHost(0, { ...x.host, shape: [...shape] });
  if (flattenKeepingOrder(c, x, shape)) return;
  const src = c.irIn(x, identity(x.shape.length));
  c.reshapeOp(src, c.output(0, shape, identity(shape.length), x.dtype, x.q), shape);
}

const reshape: OpConverter = (c) => {
  const x = c.req(0);
  const target = c.opset < 5 ? (c.attrs.ints("shape") ?? []) : Array.from(c.host(1, "the target shape").values);
  const allowZero = c.attrs.int("allowzero", 0) === 1;
  const dims = target.map((d, i) => (d === 0 && !allowZero ? x.shape[i]! : d));
  const known = dims.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  reshapeTo(c, x, dims.map((d) => (d === -1 ? numElements(x.shape) / known : d)));
};

const flatten: OpConverter = (c) => {
  const x = c.req(0);
  const axis = normAxis(c, c.attrs.int("axis", 1), x.shape.length + 1);
  reshapeTo(c, x, [numElements(x.shape.slice(0, axis)), numElements(x.shape.slice(axis))]);
};

const transpose: OpConverter = (c) => {
  const x = c.req(0);
  const r = x.shape.length;
  const q = c.attrs.ints("perm") ?? identity(r).reverse();
  if (x.host) return c.defineHost(0, transposeHost(x.host, q));
  // Relabel only: IR dim i held ONNX axis p[i]; in the output that axis is number q⁻¹[p[i]].
  const qinv = inverse(q);
  const name = c.node.output[0]!;
  c.values.set(name, { ...x, name, shape: permute(x.shape, q), perm: x.perm.map((p) => qinv[p]!) });
};

/** Output 0 = x with size-1 axes removed (`drop`) or inserted (`insert`, output positions): a RESHAPE at most. */
function relabelRank(c: Converter, x: Value, shape: number[], perm: number[]): void {
  if (x.host) return c.defineHost(0, { ...x.host, shape });
  const y = c.output(0, shape, perm, x.dtype, x.q);
  c.reshapeOp(c.irIn(x, x.perm), y, permute(shape, perm));
}

function axesOf(c: Converter, i: number, what: string): number[] | undefined {
  if (c.opset >= 13) return c.in(i) ? Array.from(c.host(i, what).values) : undefined;
  return c.attrs.ints("axes");
}

const squeeze: OpConverter = (c) => {
  const x = c.req(0);
  const r = x.shape.length;
  const axes = (axesOf(c, 1, "the axes to squeeze") ?? identity(r).filter((a) => x.shape[a] === 1)).map((a) => normAxis(c, a, r));
  for (const a of axes) if (x.shape[a] !== 1) c.fail("TML_E_MODEL_INVALID", `cannot squeeze axis ${a} of size ${x.shape[a]}`, "Fix the axes.");
  const kept = identity(r).filter((a) => !axes.includes(a));
  const renum = new Map(kept.map((a, i) => [a, i]));
  relabelRank(c, x, kept.map((a) => x.shape[a]!), x.perm.filter((p) => renum.has(p)).map((p) => renum.get(p)!));
};

const unsqueeze: OpConverter = (c) => {
  const x = c.req(0);
  const r = x.shape.length + (axesOf(c, 1, "the axes to insert")?.length ?? 0);
  const axes = (axesOf(c, 1, "the axes to insert") ?? []).map((a) => normAxis(c, a, r)).sort((a, b) => a - b);
  const old = identity(r).filter((a) => !axes.includes(a)); // output position of each input axis
  const shape = identity(r).map((a) => (axes.includes(a) ? 1 : x.shape[old.indexOf(a)]!));
  relabelRank(c, x, shape, [...x.perm.map((p) => old[p]!), ...axes]);
};

const concat: OpConverter = (c) => {
  const ins = c.node.input.map((_, i) => c.req(i));
  const r = ins[0]!.shape.length;
  const axis = normAxis(c, c.attrs.int("axis", c.opset < 4 ? 1 : 0), r);
  const shape = [...ins[0]!.shape];
  shape[axis] = ins.reduce((s, v) => s + v.shape[axis]!, 0);
  if (ins.every((v) => v.host)) return c.defineHost(0, concatHost(ins.map((v) => v.host!), axis));
  const perm = ins.find((v) => !v.host)!.perm;
  const y = c.output(0, shape, perm, ins.find((v) => !v.host)!.dtype);
  c.op("CONCATENATION", ins.map((v) => c.irIn(v, perm)), [y], { axis: perm.indexOf(axis) });
};

const pad: OpConverter = (c) => {
  const x = c.activation(0);
  const r = x.shape.length;
  const mode = c.attrs.string("mode", "constant");
  if (mode !== "constant") c.unsupported(`mode '${mode}'`, "TFLite Micro's PAD pads with zeros: use mode 'constant'.");
  const pads = c.opset < 11 ? (c.attrs.ints("pads") ?? []) : Array.from(c.host(1, "the pads").values);
  const value = c.opset < 11 ? c.attrs.float("value", 0) : (c.optionalHost(2, "the pad value")?.values[0] ?? 0);
  const axes = c.opset >= 18 && c.in(3) ? Array.from(c.host(3, "the axes").values).map((a) => normAxis(c, a, r)) : identity(r);
  const begin = new Array<number>(r).fill(0);
  const end = new Array<number>(r).fill(0);
  axes.forEach((a, i) => {
    begin[a] = pads[i]!;
    end[a] = pads[i + axes.length]!;
  });
  if ([...begin, ...end].some((p) => p < 0)) c.unsupported("negative pads (cropping)", "Crop with a Slice before the model, or export without negative pads.");
  const shape = x.shape.map((d, a) => d + begin[a]! + end[a]!);
  const paddings = x.perm.flatMap((a) => [begin[a]!, end[a]!]);
  const name = c.node.output[0]!;
  const padsIr = c.b.constInt32(`${name}/paddings`, [r, 2], paddings);
  if (value === 0) return void c.op("PAD", [c.irIn(x, x.perm), padsIr], [c.output(0, shape, x.perm)]);
  // TFLite Micro's PAD pads zeros; adding `value` where the padding is (and 0 inside) gives ONNX's, exactly.
  const irShape = permute(shape, x.perm);
  const zeros = c.b.tensor({ name: `${name}/zeros`, dtype: "float32", shape: irShape, isVariable: false });
  c.op("PAD", [c.irIn(x, x.perm), padsIr], [zeros]);
  const mask = new Float32Array(numElements(irShape));
  const idx = new Array<number>(r).fill(0);
  for (let i = 0; i < mask.length; i++) {
    const inside = idx.every((d, k) => d >= begin[x.perm[k]!]! && d < irShape[k]! - end[x.perm[k]!]!);
    mask[i] = inside ? 0 : value;
    for (let k = r - 1; k >= 0; k--) {
      if (++idx[k]! < irShape[k]!) break;
      idx[k] = 0;
    }
  }
  c.op("ADD", [zeros, c.b.constFloat(`${name}/value`, irShape, mask)], [c.output(0, shape, x.perm)]);
};

const constant: OpConverter = (c) => {
  const t = c.attrs.tensor("value");
  const f = c.attrs.floats("value_floats");
  const i = c.attrs.ints("value_ints");
  let h: HostTensor | undefined = t;
  if (!h && c.attrs.has("value_float")) h = hostOf("float32", [], [c.attrs.float("value_float", 0)]);
  if (!h && f) h = hostOf("float32", [f.length], f);
  if (!h && c.attrs.has("value_int")) h = hostOf("int64", [], [c.attrs.int("value_int", 0)]);
  if (!h && i) h = hostOf("int64", [i.length], i);
  if (!h) return c.unsupported("has no tensor, float(s) or int(s) value", "tinyml reads Constant's value, value_float(s) and value_int(s).");
  c.defineHost(0, h);
};

const shapeOp: OpConverter = (c) => {
  const x = c.req(0);
  const r = x.shape.length;
  const start = c.attrs.int("start", 0);
  const end = c.attrs.int("end", r);
  const dims = x.shape.slice(start < 0 ? start + r : start, end < 0 ? end + r : end);
  c.defineHost(0, hostOf("int64", [dims.length], dims));
};

const gather: OpConverter = (c) => {
  const data = c.host(0, "the data (tinyml gathers constants only, such as shapes)");
  const idx = c.host(1, "the indices");
  c.defineHost(0, gatherHost(data, idx, normAxis(c, c.attrs.int("axis", 0), data.shape.length)));
};

const CASTS: Record<number, HostType> = { 1: "float32", 2: "uint8", 3: "int8", 5: "int16", 6: "int32", 7: "int64", 9: "bool", 11: "float32" };

const cast: OpConverter = (c) => {
  const x = c.req(0);
  const to = CASTS[c.attrs.int("to", 0)];
  if (!to) return c.unsupported(`cast to ONNX type ${c.attrs.int("to", 0)}`, "tinyml casts between float, int8/16/32/64, uint8 and bool.");
  if (x.host) return c.defineHost(0, hostOf(to, x.host.shape, Array.from(x.host.values, (v) => (to === "float32" ? v : to === "bool" ? (v !== 0 ? 1 : 0) : Math.trunc(v)))));
  if (to === x.dtype) return c.alias(0, x);
  c.unsupported(`a run-time cast from ${x.dtype} to ${to}`, "Cast constants only, or keep the model in float.");
};

const identityOp: OpConverter = (c) => c.alias(0, c.req(0));

const dropout: OpConverter = (c) => {
  if (c.node.output[1]) c.unsupported("its mask output is used", "Export the model for inference (model.eval()).");
  c.alias(0, c.req(0));
};

export const SHAPE_OPS: Record<string, OpConverter> = {
  Reshape: reshape,
  Flatten: flatten,
  Transpose: transpose,
  Squeeze: squeeze,
  Unsqueeze: unsqueeze,
  Concat: concat,
  Pad: pad,
  Constant: constant,
  Shape: shapeOp,
  Gather: gather,
  Cast: cast,
  Identity: identityOp,
  Dropout: dropout,
};

