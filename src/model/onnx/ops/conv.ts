// Convolutions, pooling and BatchNormalization: NCHW in ONNX, NHWC in the
// IR. The input is taken under the NHWC permutation (free when the producer
// already is NHWC, which after the first convolution it is), the output is
// defined under it, so consecutive layers never transpose. ONNX's explicit
// pads become TFLite's SAME or VALID when they are the same windows, else a
// PAD op in front (zeros, so only where zeros are what ONNX pads with).

import type { Padding } from "../../ops.js";
import type { Converter, Value } from "../context.js";
import { hostOf } from "../host.js";
import { identity, NHWC, permute, type Perm } from "../layout.js";
import type { HostTensor } from "../proto.js";
import type { OpConverter } from "./elementwise.js";

interface Window {
  kernel: number[];
  strides: number[];
  dilations: number[];
  /** Explicit pads per spatial dim: [begin, end]. */
  pads: Array<[number, number]>;
  out: number[];
}

/** ONNX's window geometry for the spatial dims `inDims` (auto_pad, pads, ceil_mode). */
function windowOf(c: Converter, inDims: number[], kernel: number[]): Window {
  const n = inDims.length;
  const strides = c.attrs.ints("strides") ?? new Array<number>(n).fill(1);
  const dilations = c.attrs.ints("dilations") ?? new Array<number>(n).fill(1);
  const autoPad = c.attrs.string("auto_pad", "NOTSET");
  const ceil = c.attrs.int("ceil_mode", 0) === 1;
  const raw = c.attrs.ints("pads") ?? new Array<number>(2 * n).fill(0);
  const pads: Array<[number, number]> = [];
  const out: number[] = [];
  for (let d = 0; d < n; d++) {
    const eff = (kernel[d]! - 1) * dilations[d]! + 1;
    if (autoPad === "SAME_UPPER" || autoPad === "SAME_LOWER") {
      const o = Math.ceil(inDims[d]! / strides[d]!);
      const total = Math.max((o - 1) * strides[d]! + eff - inDims[d]!, 0);
      const small = Math.floor(total / 2);
      pads.push(autoPad === "SAME_UPPER" ? [small, total - small] : [total - small, small]);
      out.push(o);
    } else {
      const [b, e] = autoPad === "VALID" ? [0, 0] : [raw[d]!, raw[d + n]!];
      pads.push([b, e]);
      const span = (inDims[d]! + b + e - eff) / strides[d]!;
      let o = (ceil ? Math.ceil(span) : Math.floor(span)) + 1;
      // With ceil_mode a last window must start inside the input or its begin padding.
      if (ceil && (o - 1) * strides[d]! >= inDims[d]! + b) o--;
      out.push(o);
    }
  }
  return { kernel, strides, dilations, pads, out };
}

/** TFLite's padding that gives exactly ONNX's windows, or undefined. */
function tflitePadding(inDims: number[], w: Window): Padding | undefined {
  const valid = inDims.every((size, d) => {
    const eff = (w.kernel[d]! - 1) * w.dilations[d]! + 1;
    return w.pads[d]![0] === 0 && w.out[d] === Math.floor((size - eff) / w.strides[d]!) + 1;
  });
  if (valid) return "VALID";
  const same = inDims.every((size, d) => {
    const eff = (w.kernel[d]! - 1) * w.dilations[d]! + 1;
    const o = Math.ceil(size / w.strides[d]!);
    const total = Math.max((o - 1) * w.strides[d]! + eff - size, 0);
    return w.out[d] === o && w.pads[d]![0] === Math.floor(total / 2);
  });
  return same ? "SAME" : undefined;
}

/** An NCHW (or NCL) activation as an NHWC IR tensor, with its spatial dims; 1-D inputs become height 1. */
function nhwcInput(c: Converter, x: Value): { t: number; n: number; ch: number; spatial: number[]; oneD: boolean } {
  const r = x.shape.length;
  if (r === 4) return { t: c.irIn(x, NHWC), n: x.shape[0]!, ch: x.shape[1]!, spatial: x.shape.slice(2), oneD: false };
  if (r !== 3) return c.unsupported(`a rank-${r} input [${x.shape.join(", ")}]`, "tinyml converts 1-D and 2-D convolution and pooling (inputs [N, C, L] or [N, C, H, W]).");
  const [n, ch, len] = x.shape as [number, number, number];
  const nlc = c.irIn(x, [0, 2, 1]);
  const t = c.b.tensor({ ...c.b.tensors[nlc]!, name: `${x.name}/nhwc`, shape: [n, 1, len, ch], shapeSignature: undefined, data: undefined });
  c.reshapeOp(nlc, t, [n, 1, len, ch]);
  return { t, n, ch, spatial: [1, len], oneD: true };
}

/**
 * Defines the node's output from an NHWC IR result of shape [n, h, w, ch]:
 * `t` for the op to write, then `done()` (1-D: the RESHAPE back to [N, L, C]).
 */
function nhwcOutput(c: Converter, oneD: boolean, n: number, ch: number, out: number[]): { t: number; done: () => void } {
  if (!oneD) return { t: c.output(0, [n, ch, out[0]!, out[1]!], NHWC), done: () => undefined };
  const name = c.node.output[0]!;
  const t = c.b.tensor({ name: `${name}/nhwc`, dtype: "float32", shape: [n, 1, out[1]!, ch], isVariable: false });
  return { t, done: () => c.reshapeOp(t, c.output(0, [n, ch, out[1]!], [0, 2, 1]), [n, out[1]!, ch]) };
}

/** A PAD of zeros in front of an NHWC tensor; returns the padded tensor and its spatial dims. */
function padNhwc(c: Converter, t: number, pads: Array<[number, number]>): { t: number; spatial: number[] } {
  const [n, h, w, ch] = c.b.tensors[t]!.shape as [number, number, number, number];
  const shape = [n, h + pads[0]![0] + pads[0]![1], w + pads[1]![0] + pads[1]![1], ch];
  const y = c.b.tensor({ ...c.b.tensors[t]!, name: `${c.node.output[0]}/padded`, shape, shapeSignature: undefined, data: undefined });
  c.op("PAD", [t, c.b.constInt32(`${c.node.output[0]}/paddings`, [4, 2], [0, 0, ...pads[0]!, ...pads[1]!, 0, 0])], [y]);
  return { t: y, spatial: [shape[1]!, shape[2]!] };
}

function spatialWindow(c: Converter, x: { spatial: number[]; oneD: boolean }, kernel: number[]): Window {
  if (!x.oneD) return windowOf(c, x.spatial, kernel);
  const w = windowOf(c, [x.spatial[1]!], [kernel[1]!]);
  return { kernel: [1, ...w.kernel], strides: [1, ...w.strides], dilations: [1, ...w.dilations], pads: [[0, 0], ...w.pads], out: [1, ...w.out] };
}

const conv: OpConverter = (c) => {
  const x = c.activation(0);
  const wt = c.host(1, "the weights");
  const x4 = nhwcInput(c, x);
  const w4: HostTensor = x4.oneD ? { ...wt, shape: [wt.shape[0]!, wt.shape[1]!, 1, wt.shape[2]!] } : wt;
  const [m, cpg, kh, kw] = w4.shape as [number, number, number, number];
  const group = c.attrs.int("group", 1);
  const bias = c.optionalHost(2, "the bias") ?? hostOf("float32", [m], new Float32Array(m));
  const win = spatialWindow(c, x4, [kh, kw]);
  let input = x4.t;
  let padding = tflitePadding(x4.spatial, win);
  if (!padding) {
    input = padNhwc(c, x4.t, win.pads).t;
    padding = "VALID";
  }
  const y = nhwcOutput(c, x4.oneD, x4.n, m, win.out);
  const name = c.node.output[0]!;
  const common = { padding, strideH: win.strides[0]!, strideW: win.strides[1]!, dilationH: win.dilations[0]!, dilationW: win.dilations[1]! };
  const b = c.constant(`${name}/bias`, bias);
  if (group === 1) {
    if (cpg !== x4.ch) return c.fail("TML_E_MODEL_INVALID", `weights [${wt.shape.join(", ")}] do not fit ${x4.ch} input channels`, "Fix the model.");
    c.op("CONV_2D", [input, c.constant(`${name}/weights`, w4, [0, 2, 3, 1]), b], [y.t], common);
  } else if (group === x4.ch && cpg === 1 && m % group === 0) {
    // [C·M, 1, kh, kw] → TFLite's [1, kh, kw, C·M]: output channel c·M + k reads input channel c in both.
    c.op("DEPTHWISE_CONV_2D", [input, c.constant(`${name}/weights`, w4, [1, 2, 3, 0]), b], [y.t], { ...common, depthMultiplier: m / group });
  } else {
    c.unsupported(`group ${group} (a grouped, not depthwise, convolution)`, "TFLite has CONV_2D (group 1) and DEPTHWISE_CONV_2D (group = channels): split the grouped convolution into those.");
  }
  y.done();
};

function pool(type: "MAX_POOL_2D" | "AVERAGE_POOL_2D"): OpConverter {
  return (c) => {
    const x = c.activation(0);
    const k = c.attrs.ints("kernel_shape");
    if (!k) return c.fail("TML_E_MODEL_INVALID", "has no kernel_shape", "Fix the model.");
    const x4 = nhwcInput(c, x);
    const kernel = x4.oneD ? [1, k[0]!] : k;
    const win = spatialWindow(c, x4, kernel);
    if (win.dilations.some((d) => d !== 1)) c.unsupported(`dilations [${win.dilations.join(", ")}]`, "TFLite's pooling has no dilation.");
    let padding = tflitePadding(x4.spatial, win);
    let input = x4.t;
    const includePad = type === "AVERAGE_POOL_2D" && c.attrs.int("count_include_pad", 0) === 1;
    const padded = win.pads.some(([b, e]) => b > 0 || e > 0);
    if (padding === "SAME" && includePad && padded) padding = undefined;
    if (!padding) {
      // Zeros are what an average over padding counts; a max over zero padding is not ONNX's max.
      if (type === "MAX_POOL_2D" || !includePad) {
        return c.unsupported(`pads [${win.pads.map((p) => p.join(",")).join("; ")}] that are neither TFLite's SAME nor VALID windows`,
          "Use auto_pad SAME_UPPER or VALID, or symmetric pads that equal TensorFlow's SAME padding.");
      }
      const p = padNhwc(c, x4.t, win.pads);
      input = p.t;
      const check = p.spatial.every((size, d) => win.out[d] === Math.floor((size - win.kernel[d]!) / win.strides[d]!) + 1);
      if (!check) return c.unsupported("ceil_mode windows that overhang the padded input", "Export with ceil_mode=0.");
      padding = "VALID";
    }
    if (c.node.output[1]) c.unsupported("its Indices output is used", "tinyml converts MaxPool's values output only.");
    const y = nhwcOutput(c, x4.oneD, x4.n, x4.ch, win.out);
    c.op(type, [input], [y.t], { padding, strideH: win.strides[0]!, strideW: win.strides[1]!, filterHeight: win.kernel[0]!, filterWidth: win.kernel[1]! });
    y.done();
  };
}

const globalAveragePool: OpConverter = (c) => {
  const x = c.activation(0);
  const r = x.shape.length;
  // Channels last; the spatial axes are 2…r-1 of ONNX, 1…r-2 of the IR.
  const perm: Perm = [0, ...identity(r).slice(2), 1];
  const y = c.output(0, [x.shape[0]!, x.shape[1]!, ...new Array<number>(r - 2).fill(1)], perm);
  c.op("MEAN", [c.irIn(x, perm), c.b.constInt32(`${c.node.output[0]}/axes`, [r - 2], identity(r).slice(1, r - 1))], [y], { keepDims: true });
};

/** Inference BatchNormalization as a per-channel MUL and ADD, channels last; the fusion pass folds them into a conv before it. */
const batchNormalization: OpConverter = (c) => {
  const x = c.activation(0);
  if (c.attrs.int("training_mode", 0) === 1 || c.node.output.length > 1 && c.node.output.slice(1).some(Boolean)) {
    c.unsupported("training mode (running statistics as outputs)", "Export the model for inference (model.eval()).");
  }
  const [gamma, beta, mean, variance] = [1, 2, 3, 4].map((i) => c.host(i, ["", "scale", "bias", "mean", "var"][i]!)) as [HostTensor, HostTensor, HostTensor, HostTensor];
  const eps = c.attrs.float("epsilon", 1e-5);
  const ch = x.shape[1] ?? 1;
  const scale = new Float32Array(ch);
  const shift = new Float32Array(ch);
  for (let i = 0; i < ch; i++) {
    scale[i] = gamma.values[i]! / Math.sqrt(variance.values[i]! + eps);
    shift[i] = beta.values[i]! - mean.values[i]! * scale[i]!;
  }
  const r = x.shape.length;
  const perm: Perm = r <= 2 ? identity(r) : [0, ...identity(r).slice(2), 1];
  const name = c.node.output[0]!;
  const mid = c.b.tensor({ name: `${name}/scaled`, dtype: "float32", shape: permute(x.shape, perm), isVariable: false });
  c.op("MUL", [c.irIn(x, perm), c.b.constFloat(`${name}/scale`, [ch], scale)], [mid]);
  c.op("ADD", [mid, c.b.constFloat(`${name}/shift`, [ch], shift)], [c.output(0, x.shape, perm)]);
};

export const CONV_OPS: Record<string, OpConverter> = {
  Conv: conv,
  MaxPool: pool("MAX_POOL_2D"),
  AveragePool: pool("AVERAGE_POOL_2D"),
  GlobalAveragePool: globalAveragePool,
  BatchNormalization: batchNormalization,
};
