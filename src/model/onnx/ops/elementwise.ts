// Elementwise ONNX ops: they run in whatever layout their input is in, so
// they never move data. Binary ops broadcast as numpy does; a constant
// operand is laid out to match the activation's layout when it is stored.

import type { Converter, Value } from "../context.js";
import { broadcastHost, hostOf } from "../host.js";
import { broadcastShapes, identity, samePerm, type Perm } from "../layout.js";
import type { HostTensor } from "../proto.js";

export type OpConverter = (c: Converter) => void;

function unary(type: "RELU" | "LOGISTIC" | "TANH" | "HARD_SWISH", host: (x: number) => number): OpConverter {
  return (c) => {
    const x = c.activation(0);
    if (x.host) return c.defineHost(0, hostOf(x.dtype, x.shape, Array.from(x.host.values, host)));
    const y = c.output(0, x.shape, x.perm);
    c.op(type, [c.irIn(x, x.perm)], [y]);
  };
}

/** A constant broadcast against a rank-`r` operand, stored under `perm` (scalars stay scalars). */
function constantOperand(c: Converter, v: Value, r: number, perm: Perm): number {
  const h = v.host!;
  if (h.values.length === 1) return c.constant(v.name, { ...h, shape: [] }, []);
  const ext: HostTensor = { ...h, shape: [...new Array<number>(r - h.shape.length).fill(1), ...h.shape] };
  return c.constant(`${v.name}/${perm.join("")}`, ext, perm);
}

/** An activation operand brought to rank `r` (leading 1s, as broadcasting does) under `perm`. */
export function activationOperand(c: Converter, v: Value, r: number, perm: Perm): number {
  if (v.shape.length === r) return c.irIn(v, perm);
  const ext = [...new Array<number>(r - v.shape.length).fill(1), ...v.shape];
  const src = c.irIn(v, identity(v.shape.length));
  const t = c.b.tensor({ ...c.b.tensors[src]!, name: `${v.name}/rank${r}`, shape: ext, shapeSignature: undefined, data: undefined });
  c.reshapeOp(src, t, ext);
  return c.irIn({ ...v, name: `${v.name}/rank${r}`, shape: ext, ir: t, perm: identity(r), host: undefined }, perm);
}

/** The layout a binary op runs in: that of its first full-rank activation operand not in ONNX order, else ONNX order. */
export function commonPerm(vs: Value[], r: number): Perm {
  const full = vs.filter((v) => !v.host && v.shape.length === r);
  return full.find((v) => !samePerm(v.perm, identity(r)))?.perm ?? full[0]?.perm ?? identity(r);
}

const HOST_BINARY: Record<string, (x: number, y: number, integer: boolean) => number> = {
  ADD: (x, y) => x + y,
  SUB: (x, y) => x - y,
  MUL: (x, y) => x * y,
  DIV: (x, y, integer) => (integer ? Math.trunc(x / y) : x / y),
};

function binary(type: "ADD" | "SUB" | "MUL" | "DIV"): OpConverter {
  return (c) => {
    const a = c.req(0);
    const b = c.req(1);
    const shape = broadcastShapes(a.shape, b.shape);
    if (!shape) return c.fail("TML_E_MODEL_INVALID", `shapes [${a.shape.join(", ")}] and [${b.shape.join(", ")}] do not broadcast`, "Fix the model's shapes.");
    if (a.host && b.host) {
      const integer = a.dtype !== "float32";
      return c.defineHost(0, broadcastHost(a.host, b.host, (x, y) => HOST_BINARY[type]!(x, y, integer))!);
    }
    c.activation(a.host ? 1 : 0);
    if (!b.host) c.activation(1);
    const r = shape.length;
    const perm = commonPerm([a, b], r);
    const ins = [a, b].map((v) => (v.host ? constantOperand(c, v, r, perm) : activationOperand(c, v, r, perm)));
    const y = c.output(0, shape, perm);
    c.op(type, ins, [y]);
  };
}

/** max(x, lo) then min(·, hi) with scalar constants, or RELU / RELU6 when the bounds are theirs. */
export function clampOp(c: Converter, x: Value, lo: number, hi: number, k = 0): void {
  const xin = c.irIn(x, x.perm);
  if (lo === 0 && hi === Infinity) return void c.op("RELU", [xin], [c.output(k, x.shape, x.perm)]);
  if (lo === 0 && hi === 6) return void c.op("RELU6", [xin], [c.output(k, x.shape, x.perm)]);
  let cur = xin;
  const steps: Array<["MAXIMUM" | "MINIMUM", number]> = [];
  if (lo > -Infinity) steps.push(["MAXIMUM", lo]);
  if (hi < Infinity) steps.push(["MINIMUM", hi]);
  if (steps.length === 0) return c.alias(k, x);
  steps.forEach(([type, bound], i) => {
    const last = i === steps.length - 1;
    const out = last
      ? c.output(k, x.shape, x.perm)
      : c.b.tensor({ name: `${c.node.output[k]}/max`, dtype: "float32", shape: c.b.tensors[xin]!.shape, isVariable: false });
    c.op(type, [cur, c.floatScalar(`${c.node.output[k]}/${type.toLowerCase()}`, bound)], [out]);
    cur = out;
  });
}

const clip: OpConverter = (c) => {
  const x = c.activation(0);
  const bound = (i: number, attr: string, def: number): number => {
    if (c.opset < 11) return c.attrs.float(attr, def);
    const h = c.optionalHost(i, `Clip's ${attr}`);
    return h ? h.values[0]! : def;
  };
  const lo = bound(1, "min", -Infinity);
  const hi = bound(2, "max", Infinity);
  if (x.host) return c.defineHost(0, hostOf(x.dtype, x.shape, Array.from(x.host.values, (v) => Math.min(Math.max(v, lo), hi))));
  clampOp(c, x, lo, hi);
};

/** TFLite Micro has no LEAKY_RELU kernel here: max(x, αx) for 0 ≤ α ≤ 1 (min for α > 1) is the same function. */
const leakyRelu: OpConverter = (c) => {
  const x = c.activation(0);
  const alpha = c.attrs.float("alpha", 0.01);
  if (x.host) return c.defineHost(0, hostOf(x.dtype, x.shape, Array.from(x.host.values, (v) => (v >= 0 ? v : alpha * v))));
  if (alpha < 0) c.unsupported(`alpha ${alpha} < 0`, "LeakyRelu with a negative slope is not monotonic; tinyml converts 0 <= alpha.");
  const xin = c.irIn(x, x.perm);
  const scaled = c.b.tensor({ name: `${c.node.output[0]}/scaled`, dtype: "float32", shape: c.b.tensors[xin]!.shape, isVariable: false });
  c.op("MUL", [xin, c.floatScalar(`${c.node.output[0]}/alpha`, alpha)], [scaled]);
  c.op(alpha <= 1 ? "MAXIMUM" : "MINIMUM", [xin, scaled], [c.output(0, x.shape, x.perm)]);
};

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

export const ELEMENTWISE: Record<string, OpConverter> = {
  Relu: unary("RELU", (v) => Math.max(v, 0)),
  Sigmoid: unary("LOGISTIC", sigmoid),
  Tanh: unary("TANH", Math.tanh),
  HardSwish: unary("HARD_SWISH", (v) => (v * Math.min(Math.max(v + 3, 0), 6)) / 6),
  LeakyRelu: leakyRelu,
  Clip: clip,
  Add: binary("ADD"),
  Sub: binary("SUB"),
  Mul: binary("MUL"),
  Div: binary("DIV"),
};

