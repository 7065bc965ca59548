// QuantizeLinear and DequantizeLinear. On constants they run at load time
// (int8 weights behind a DequantizeLinear become float constants that keep
// their int8 form, see HostTensor.quant). On activations they record the
// tensor's int8 parameters, which the QDQ pass (../qdq-model.ts) turns into
// an int8 model; a lone one becomes a QUANTIZE or DEQUANTIZE op.

import type { Converter, QParams } from "../context.js";
import { hostOf } from "../host.js";
import type { HostTensor } from "../proto.js";
import type { OpConverter } from "./elementwise.js";

interface Affine {
  scale: number[];
  zeroPoint: number[];
  /** The axis of per-axis parameters (ONNX order); meaningful with several scales. */
  axis: number;
  /** The quantized type, from the zero point's type (uint8 when omitted). */
  dtype: "int8" | "uint8" | "int32" | "int16";
}

function affineOf(c: Converter, x: { shape: number[] }): Affine {
  const scale = c.host(1, "the scale");
  const zp = c.optionalHost(2, "the zero point");
  const dtype = (zp?.dtype ?? (c.node.opType === "QuantizeLinear" ? "uint8" : "int8")) as Affine["dtype"];
  if (!["int8", "uint8", "int32", "int16"].includes(dtype)) c.unsupported(`quantized type ${dtype}`, "tinyml reads int8, uint8, int16 and int32 quantization.");
  if ((c.attrs.int("block_size", 0)) !== 0) c.unsupported("blocked quantization (block_size)", "Use per-tensor or per-axis quantization.");
  const r = x.shape.length;
  const axisAttr = c.attrs.int("axis", 1);
  const n = scale.values.length;
  return {
    scale: Array.from(scale.values),
    zeroPoint: zp ? Array.from(zp.values) : new Array<number>(n).fill(0),
    axis: n > 1 ? (axisAttr < 0 ? axisAttr + r : axisAttr) : 0,
    dtype,
  };
}

/** Element i's parameter index along `axis` of `shape` (0 for per-tensor). */
function channelOf(shape: number[], axis: number, channels: number): (i: number) => number {
  if (channels === 1) return () => 0;
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  return (i) => Math.floor(i / inner) % channels;
}

const RANGES: Record<Affine["dtype"], [number, number]> = { int8: [-128, 127], uint8: [0, 255], int16: [-32768, 32767], int32: [-2147483648, 2147483647] };

/** ONNX's rounding: to nearest, ties to even. */
function roundEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const dequantizeLinear: OpConverter = (c) => {
  const x = c.req(0);
  const a = affineOf(c, x);
  if (x.host) {
    const ch = channelOf(x.shape, a.axis, a.scale.length);
    const values = Array.from(x.host.values, (q, i) => a.scale[ch(i)]! * (q - a.zeroPoint[ch(i)]!));
    const h: HostTensor = { ...hostOf("float32", x.shape, values), quant: { values: x.host.values, dtype: a.dtype, scale: a.scale, zeroPoint: a.zeroPoint, axis: a.axis } };
    return c.defineHost(0, h);
  }
  if (a.scale.length > 1) c.unsupported("per-axis dequantization of an activation", "TFLite quantizes activations per tensor.");
  // QuantizeLinear then DequantizeLinear with the same parameters: the float value itself (the QDQ pass quantizes it).
  if (x.q && x.qFrom !== undefined && x.q.scale === a.scale[0] && x.q.zeroPoint === a.zeroPoint[0]) return c.alias(0, c.value(x.qFrom));
  const y = c.output(0, x.shape, x.perm);
  const t = c.irIn(x, x.perm);
  c.b.tensors[t] = { ...c.b.tensors[t]!, quantization: { scale: [a.scale[0]!], zeroPoint: [a.zeroPoint[0]!], axis: 0 } };
  c.op("DEQUANTIZE", [t], [y]);
};

const quantizeLinear: OpConverter = (c) => {
  const x = c.req(0);
  const a = affineOf(c, x);
  const [lo, hi] = RANGES[a.dtype];
  if (x.host) {
    const ch = channelOf(x.shape, a.axis, a.scale.length);
    const q = Array.from(x.host.values, (v, i) => Math.min(hi, Math.max(lo, roundEven(v / a.scale[ch(i)]!) + a.zeroPoint[ch(i)]!)));
    return c.defineHost(0, hostOf(a.dtype, x.shape, q));
  }
  c.activation(0);
  if (a.scale.length > 1) c.unsupported("per-axis quantization of an activation", "TFLite quantizes activations per tensor.");
  const params: QParams = { scale: a.scale[0]!, zeroPoint: a.zeroPoint[0]! };
  const src = c.irIn(x, x.perm);
  c.recordActivation(src, params, a.dtype);
  const y = c.output(0, x.shape, x.perm, a.dtype);
  c.b.tensors[y] = { ...c.b.tensors[y]!, quantization: { scale: [params.scale], zeroPoint: [params.zeroPoint], axis: 0 } };
  c.op("QUANTIZE", [src], [y]);
  c.markQuantized(c.node.output[0]!, x.name, params);
};

export const QDQ_OPS: Record<string, OpConverter> = {
  QuantizeLinear: quantizeLinear,
  DequantizeLinear: dequantizeLinear,
};
