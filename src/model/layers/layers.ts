// One converter per TF.js layer class: each emits the TFLite ops that
// TensorFlow Lite's converter produces for it (float32, NHWC, filters OHWI,
// depthwise filters 1HW(C*M), FC weights [out, in]). Activations are emitted
// as separate ops here; fuse.ts folds them (and BatchNormalization) into the
// preceding op where TFLite does.

import { TinymlError } from "../../errors.js";
import type { Padding } from "../ops.js";
import type { GraphBuilder } from "./builder.js";
import type { LayerConfig, LoadedWeight } from "./config.js";

export interface LayerContext {
  b: GraphBuilder;
  cfg: LayerConfig;
  name: string;
  className: string;
  /** Input tensor indices, in the layer's call order. */
  inputs: number[];
  /** The layer's weight `key` (e.g. "kernel"), checked against `shape` when given. */
  weight(key: string, shape?: number[]): LoadedWeight;
}

export type LayerConverter = (ctx: LayerContext) => number;

export function unsupportedConfig(ctx: LayerContext, what: string, hint: string): never {
  throw new TinymlError("TML_E_LAYER_UNSUPPORTED", `layer '${ctx.name}' (${ctx.className}): ${what}`, {
    location: { detail: `layer '${ctx.name}'` },
    hint,
  });
}

function one(ctx: LayerContext): number {
  if (ctx.inputs.length !== 1) unsupportedConfig(ctx, `expects 1 input, has ${ctx.inputs.length}`, "Call the layer on a single tensor.");
  return ctx.inputs[0]!;
}

function rank4(ctx: LayerContext, x: number): number[] {
  const s = ctx.b.shapeOf(x);
  if (s.length !== 4) unsupportedConfig(ctx, `expects a [batch, height, width, channels] input, got [${s.join(", ")}]`, "Feed it a 4-D NHWC tensor.");
  return s;
}

function channelsLast(ctx: LayerContext): void {
  const f = ctx.cfg.string("data_format", "channels_last");
  if (f !== "channels_last") unsupportedConfig(ctx, `data_format '${f}'`, "TFLite runs NHWC: build the model with dataFormat 'channelsLast'.");
}

function padding(ctx: LayerContext): Padding {
  const p = ctx.cfg.string("padding", "valid");
  if (p === "same") return "SAME";
  if (p === "valid") return "VALID";
  unsupportedConfig(ctx, `padding '${p}'`, "Use padding 'same' or 'valid' (add a ZeroPadding layer for causal padding).");
}

/** TensorFlow's output size for SAME/VALID padding. */
export function convOutSize(size: number, k: number, stride: number, dilation: number, pad: Padding): number {
  const effective = (k - 1) * dilation + 1;
  return pad === "SAME" ? Math.ceil(size / stride) : Math.ceil((size - effective + 1) / stride);
}

/** Permutes a row-major tensor's axes: out dim i is input dim perm[i]. */
export function transpose(values: Float32Array, shape: number[], perm: number[]): Float32Array {
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out = new Float32Array(values.length);
  const idx = new Array<number>(shape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let i = 0; i < perm.length; i++) src += idx[i]! * inStrides[perm[i]!]!;
    out[o] = values[src]!;
    for (let i = outShape.length - 1; i >= 0; i--) {
      if (++idx[i]! < outShape[i]!) break;
      idx[i] = 0;
    }
  }
  return out;
}

function biasOrZeros(ctx: LayerContext, n: number): Float32Array {
  return ctx.cfg.bool("use_bias", true) ? ctx.weight("bias", [n]).values : new Float32Array(n);
}

/** Emits the layer's `activation` config as its own op (fuse.ts may fold it later). */
export function applyActivation(ctx: LayerContext, x: number, activation: string, suffix = ""): number {
  const shape = ctx.b.shapeOf(x);
  const unary = (type: "RELU" | "RELU6" | "LOGISTIC" | "TANH" | "HARD_SWISH"): number => {
    const y = ctx.b.activation(`${ctx.name}${suffix}/${type.toLowerCase()}`, shape);
    ctx.b.op(type, [x], [y]);
    return y;
  };
  switch (activation) {
    case "linear":
      return x;
    case "relu":
      return unary("RELU");
    case "relu6":
      return unary("RELU6");
    case "sigmoid":
      return unary("LOGISTIC");
    case "tanh":
      return unary("TANH");
    case "hard_swish":
    case "hardSwish":
    case "hard_silu":
      return unary("HARD_SWISH");
    case "softmax": {
      const y = ctx.b.activation(`${ctx.name}${suffix}/softmax`, shape);
      ctx.b.op("SOFTMAX", [x], [y], { beta: 1 });
      return y;
    }
    default:
      unsupportedConfig(ctx, `activation '${activation}'`,
        "tinyml converts linear, relu, relu6, sigmoid, tanh, softmax and hard_swish activations.");
  }
}

function withActivation(ctx: LayerContext, y: number): number {
  return applyActivation(ctx, y, ctx.cfg.string("activation", "linear"));
}

function singleGroup(ctx: LayerContext): void {
  const groups = ctx.cfg.number("groups", 1);
  if (groups !== 1) unsupportedConfig(ctx, `groups ${groups}`, "TFLite's CONV_2D has no groups: use groups 1, or a DepthwiseConv2D.");
}

function conv2d(ctx: LayerContext): number {
  channelsLast(ctx);
  singleGroup(ctx);
  const x = one(ctx);
  const [, h, w, cin] = rank4(ctx, x) as [number, number, number, number];
  const filters = ctx.cfg.number("filters");
  const [kh, kw] = ctx.cfg.ints("kernel_size", 2) as [number, number];
  const [sh, sw] = ctx.cfg.ints("strides", 2, [1, 1]) as [number, number];
  const [dh, dw] = ctx.cfg.ints("dilation_rate", 2, [1, 1]) as [number, number];
  const pad = padding(ctx);
  const kernel = ctx.weight("kernel", [kh, kw, cin, filters]);
  const filter = ctx.b.constFloat(`${ctx.name}/kernel`, [filters, kh, kw, cin], transpose(kernel.values, kernel.shape, [3, 0, 1, 2]));
  const bias = ctx.b.constFloat(`${ctx.name}/bias`, [filters], biasOrZeros(ctx, filters));
  const y = ctx.b.activation(ctx.name, [1, convOutSize(h, kh, sh, dh, pad), convOutSize(w, kw, sw, dw, pad), filters]);
  ctx.b.op("CONV_2D", [x, filter, bias], [y], { padding: pad, strideH: sh, strideW: sw, dilationH: dh, dilationW: dw });
  return withActivation(ctx, y);
}

/** Conv1D runs as CONV_2D on a height-1 image, as TFLite's converter lowers it. */
function conv1d(ctx: LayerContext): number {
  const x = one(ctx);
  const s = ctx.b.shapeOf(x);
  if (s.length !== 3) unsupportedConfig(ctx, `expects a [batch, steps, channels] input, got [${s.join(", ")}]`, "Feed it a 3-D tensor.");
  const [, steps, cin] = s as [number, number, number];
  const filters = ctx.cfg.number("filters");
  const [k] = ctx.cfg.ints("kernel_size", 1) as [number];
  const [stride] = ctx.cfg.ints("strides", 1, [1]) as [number];
  const [dil] = ctx.cfg.ints("dilation_rate", 1, [1]) as [number];
  const p = ctx.cfg.string("padding", "valid");
  if (p === "causal") unsupportedConfig(ctx, "padding 'causal'", "Use 'same' or 'valid', or a ZeroPadding1D before the layer.");
  const pad = padding(ctx);
  const kernel = ctx.weight("kernel", [k, cin, filters]);
  const x4 = ctx.b.activation(`${ctx.name}/expand`, [1, 1, steps, cin]);
  ctx.b.op("RESHAPE", [x, ctx.b.constInt32(`${ctx.name}/expand_shape`, [4], [1, 1, steps, cin])], [x4], { newShape: [1, 1, steps, cin] });
  const filter = ctx.b.constFloat(`${ctx.name}/kernel`, [filters, 1, k, cin], transpose(kernel.values, kernel.shape, [2, 0, 1]));
  const bias = ctx.b.constFloat(`${ctx.name}/bias`, [filters], biasOrZeros(ctx, filters));
  const outSteps = convOutSize(steps, k, stride, dil, pad);
  const y4 = ctx.b.activation(`${ctx.name}/conv2d`, [1, 1, outSteps, filters]);
  ctx.b.op("CONV_2D", [x4, filter, bias], [y4], { padding: pad, strideH: 1, strideW: stride, dilationH: 1, dilationW: dil });
  const act = withActivation(ctx, y4);
  const y = ctx.b.activation(ctx.name, [1, outSteps, filters]);
  ctx.b.op("RESHAPE", [act, ctx.b.constInt32(`${ctx.name}/squeeze_shape`, [3], [1, outSteps, filters])], [y], { newShape: [1, outSteps, filters] });
  return y;
}

function depthwise(ctx: LayerContext, x: number, kernelKey: string, withBias: boolean, outName: string): number {
  const [, h, w, cin] = rank4(ctx, x) as [number, number, number, number];
  const [kh, kw] = ctx.cfg.ints("kernel_size", 2) as [number, number];
  // tfjs-layers leaves depth_multiplier out of SeparableConv2D's saved config; the kernel's last dim has it.
  const mult = ctx.cfg.has("depth_multiplier") ? ctx.cfg.number("depth_multiplier") : (ctx.weight(kernelKey).shape[3] ?? 1);
  const [sh, sw] = ctx.cfg.ints("strides", 2, [1, 1]) as [number, number];
  const [dh, dw] = ctx.cfg.ints("dilation_rate", 2, [1, 1]) as [number, number];
  const pad = padding(ctx);
  // [kh, kw, in, mult] in row-major order is already [1, kh, kw, in*mult].
  const kernel = ctx.weight(kernelKey, [kh, kw, cin, mult]);
  const filter = ctx.b.constFloat(`${outName}/depthwise_kernel`, [1, kh, kw, cin * mult], kernel.values);
  const biasValues = withBias ? biasOrZeros(ctx, cin * mult) : new Float32Array(cin * mult);
  const bias = ctx.b.constFloat(`${outName}/depthwise_bias`, [cin * mult], biasValues);
  const y = ctx.b.activation(outName, [1, convOutSize(h, kh, sh, dh, pad), convOutSize(w, kw, sw, dw, pad), cin * mult]);
  ctx.b.op("DEPTHWISE_CONV_2D", [x, filter, bias], [y], {
    padding: pad, strideH: sh, strideW: sw, dilationH: dh, dilationW: dw, depthMultiplier: mult,
  });
  return y;
}

function depthwiseConv2d(ctx: LayerContext): number {
  channelsLast(ctx);
  return withActivation(ctx, depthwise(ctx, one(ctx), "depthwise_kernel", true, ctx.name));
}

/** SeparableConv2D = DEPTHWISE_CONV_2D (no bias) then a 1x1 CONV_2D carrying the bias. */
function separableConv2d(ctx: LayerContext): number {
  channelsLast(ctx);
  const dwOut = depthwise(ctx, one(ctx), "depthwise_kernel", false, `${ctx.name}/depthwise`);
  const [, h, w, c] = ctx.b.shapeOf(dwOut) as [number, number, number, number];
  const filters = ctx.cfg.number("filters");
  const pw = ctx.weight("pointwise_kernel", [1, 1, c, filters]);
  const filter = ctx.b.constFloat(`${ctx.name}/pointwise_kernel`, [filters, 1, 1, c], transpose(pw.values, pw.shape, [3, 0, 1, 2]));
  const bias = ctx.b.constFloat(`${ctx.name}/bias`, [filters], biasOrZeros(ctx, filters));
  const y = ctx.b.activation(ctx.name, [1, h, w, filters]);
  ctx.b.op("CONV_2D", [dwOut, filter, bias], [y], { padding: "VALID", strideH: 1, strideW: 1 });
  return withActivation(ctx, y);
}

function dense(ctx: LayerContext): number {
  const x = one(ctx);
  const s = ctx.b.shapeOf(x);
  const inDim = s[s.length - 1]!;
  const units = ctx.cfg.number("units");
  const kernel = ctx.weight("kernel", [inDim, units]);
  const weights = ctx.b.constFloat(`${ctx.name}/kernel`, [units, inDim], transpose(kernel.values, kernel.shape, [1, 0]));
  const bias = ctx.b.constFloat(`${ctx.name}/bias`, [units], biasOrZeros(ctx, units));
  // Dense on a rank > 2 input applies to the last axis: FC with keep_num_dims.
  const y = ctx.b.activation(ctx.name, [...s.slice(0, -1), units]);
  ctx.b.op("FULLY_CONNECTED", [x, weights, bias], [y], { keepNumDims: s.length > 2 });
  return withActivation(ctx, y);
}

/** Inference-mode BN as y = x*s + t per channel; fuse.ts folds it into a preceding conv/FC. */
function batchNormalization(ctx: LayerContext): number {
  const x = one(ctx);
  const s = ctx.b.shapeOf(x);
  const axis = ctx.cfg.axis("axis", -1);
  if (axis !== -1 && axis !== s.length - 1) unsupportedConfig(ctx, `axis ${axis}`, "Normalize over the channel (last) axis.");
  const c = s[s.length - 1]!;
  const eps = ctx.cfg.number("epsilon", 1e-3);
  const gamma = ctx.cfg.bool("scale", true) ? ctx.weight("gamma", [c]).values : new Float32Array(c).fill(1);
  const beta = ctx.cfg.bool("center", true) ? ctx.weight("beta", [c]).values : new Float32Array(c);
  const mean = ctx.weight("moving_mean", [c]).values;
  const variance = ctx.weight("moving_variance", [c]).values;
  const scale = new Float32Array(c);
  const shift = new Float32Array(c);
  for (let i = 0; i < c; i++) {
    scale[i] = gamma[i]! / Math.sqrt(variance[i]! + eps);
    shift[i] = beta[i]! - mean[i]! * scale[i]!;
  }
  const mid = ctx.b.activation(`${ctx.name}/mul`, s);
  ctx.b.op("MUL", [x, ctx.b.constFloat(`${ctx.name}/scale`, [c], scale)], [mid]);
  const y = ctx.b.activation(ctx.name, s);
  ctx.b.op("ADD", [mid, ctx.b.constFloat(`${ctx.name}/offset`, [c], shift)], [y]);
  return y;
}

function activationLayer(ctx: LayerContext): number {
  return applyActivation(ctx, one(ctx), ctx.cfg.string("activation"));
}

function reluLayer(ctx: LayerContext): number {
  const max = ctx.cfg.has("max_value") ? ctx.cfg.number("max_value") : null;
  if (ctx.cfg.number("negative_slope", 0) !== 0 || ctx.cfg.number("threshold", 0) !== 0) {
    unsupportedConfig(ctx, "negative_slope/threshold", "Use a plain ReLU (no slope, threshold 0).");
  }
  if (max === null) return applyActivation(ctx, one(ctx), "relu");
  if (max === 6) return applyActivation(ctx, one(ctx), "relu6");
  unsupportedConfig(ctx, `max_value ${max}`, "TFLite has RELU and RELU6: use maxValue null or 6.");
}

function softmaxLayer(ctx: LayerContext): number {
  const x = one(ctx);
  const axis = ctx.cfg.raw("axis");
  const rank = ctx.b.shapeOf(x).length;
  if (axis !== undefined && axis !== null && axis !== -1 && axis !== rank - 1) {
    unsupportedConfig(ctx, `axis ${JSON.stringify(axis)}`, "TFLite's SOFTMAX runs over the last axis.");
  }
  return applyActivation(ctx, x, "softmax");
}

function pool(type: "MAX_POOL_2D" | "AVERAGE_POOL_2D"): LayerConverter {
  return (ctx) => {
    channelsLast(ctx);
    const x = one(ctx);
    const [, h, w, c] = rank4(ctx, x) as [number, number, number, number];
    const [ph, pw] = ctx.cfg.ints("pool_size", 2, [2, 2]) as [number, number];
    const [sh, sw] = ctx.cfg.ints("strides", 2, [ph, pw]) as [number, number];
    const pad = padding(ctx);
    const y = ctx.b.activation(ctx.name, [1, convOutSize(h, ph, sh, 1, pad), convOutSize(w, pw, sw, 1, pad), c]);
    ctx.b.op(type, [x], [y], { padding: pad, strideH: sh, strideW: sw, filterHeight: ph, filterWidth: pw });
    return y;
  };
}

function globalAveragePooling2d(ctx: LayerContext): number {
  channelsLast(ctx);
  const x = one(ctx);
  const [, , , c] = rank4(ctx, x) as [number, number, number, number];
  const keep = ctx.cfg.bool("keepdims", false);
  const y = ctx.b.activation(ctx.name, keep ? [1, 1, 1, c] : [1, c]);
  ctx.b.op("MEAN", [x, ctx.b.constInt32(`${ctx.name}/axes`, [2], [1, 2])], [y], { keepDims: keep });
  return y;
}

function reshapeTo(ctx: LayerContext, x: number, shape: number[]): number {
  const y = ctx.b.activation(ctx.name, shape);
  ctx.b.op("RESHAPE", [x, ctx.b.constInt32(`${ctx.name}/shape`, [shape.length], shape)], [y], { newShape: shape });
  return y;
}

function flatten(ctx: LayerContext): number {
  const x = one(ctx);
  const n = ctx.b.shapeOf(x).slice(1).reduce((a, b) => a * b, 1);
  return reshapeTo(ctx, x, [1, n]);
}

function reshape(ctx: LayerContext): number {
  const x = one(ctx);
  const raw = ctx.cfg.raw("target_shape");
  if (!Array.isArray(raw) || !raw.every((d) => typeof d === "number" && Number.isInteger(d))) {
    unsupportedConfig(ctx, `target_shape ${JSON.stringify(raw)}`, "Give a list of integers.");
  }
  const n = ctx.b.shapeOf(x).slice(1).reduce((a, b) => a * b, 1);
  const dims = raw as number[];
  const known = dims.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const target = dims.map((d) => (d === -1 ? n / known : d));
  if (target.reduce((a, b) => a * b, 1) !== n || !target.every((d) => Number.isInteger(d) && d > 0)) {
    unsupportedConfig(ctx, `cannot reshape ${n} values to [${dims.join(", ")}]`, "Fix target_shape.");
  }
  return reshapeTo(ctx, x, [1, ...target]);
}

function zeroPadding2d(ctx: LayerContext): number {
  channelsLast(ctx);
  const x = one(ctx);
  const [, h, w, c] = rank4(ctx, x) as [number, number, number, number];
  const raw = ctx.cfg.raw("padding");
  let p: [number, number, number, number];
  if (typeof raw === "number") p = [raw, raw, raw, raw];
  else if (Array.isArray(raw) && raw.length === 2 && raw.every((v) => typeof v === "number")) {
    const [a, b] = raw as [number, number];
    p = [a, a, b, b];
  } else if (Array.isArray(raw) && raw.length === 2 && raw.every((v) => Array.isArray(v) && v.length === 2)) {
    const [[t, bo], [l, r]] = raw as [[number, number], [number, number]];
    p = [t, bo, l, r];
  } else unsupportedConfig(ctx, `padding ${JSON.stringify(raw)}`, "Give an int, [h, w] or [[top, bottom], [left, right]].");
  const [t, bo, l, r] = p;
  const paddings = ctx.b.constInt32(`${ctx.name}/paddings`, [4, 2], [0, 0, t, bo, l, r, 0, 0]);
  const y = ctx.b.activation(ctx.name, [1, h + t + bo, w + l + r, c]);
  ctx.b.op("PAD", [x, paddings], [y]);
  return y;
}

function elementwise(type: "ADD" | "MUL"): LayerConverter {
  return (ctx) => {
    if (ctx.inputs.length < 2) unsupportedConfig(ctx, `needs at least 2 inputs, has ${ctx.inputs.length}`, "Merge two or more tensors.");
    const shape = ctx.b.shapeOf(ctx.inputs[0]!);
    for (const i of ctx.inputs) {
      const s = ctx.b.shapeOf(i);
      if (s.length !== shape.length || s.some((d, k) => d !== shape[k])) {
        unsupportedConfig(ctx, `inputs of different shapes [${shape.join(", ")}] and [${s.join(", ")}]`, "Merge tensors of equal shape.");
      }
    }
    // Keras adds n inputs left to right; so does a chain of binary ops.
    let acc = ctx.inputs[0]!;
    for (let k = 1; k < ctx.inputs.length; k++) {
      const y = ctx.b.activation(k === ctx.inputs.length - 1 ? ctx.name : `${ctx.name}/${k}`, shape);
      ctx.b.op(type, [acc, ctx.inputs[k]!], [y]);
      acc = y;
    }
    return acc;
  };
}

function concatenate(ctx: LayerContext): number {
  const shapes = ctx.inputs.map((i) => ctx.b.shapeOf(i));
  const rank = shapes[0]!.length;
  let axis = ctx.cfg.number("axis", -1);
  if (axis < 0) axis += rank;
  if (axis <= 0 || axis >= rank) unsupportedConfig(ctx, `axis ${ctx.cfg.number("axis", -1)}`, "Concatenate along a non-batch axis.");
  const out = [...shapes[0]!];
  out[axis] = shapes.reduce((s, sh) => s + sh[axis]!, 0);
  for (const sh of shapes) {
    if (sh.length !== rank || sh.some((d, k) => k !== axis && d !== out[k])) {
      unsupportedConfig(ctx, `input shapes ${shapes.map((x) => `[${x.join(", ")}]`).join(", ")} do not fit together`, "Match all dims but the axis.");
    }
  }
  const y = ctx.b.activation(ctx.name, out);
  ctx.b.op("CONCATENATION", [...ctx.inputs], [y], { axis });
  return y;
}

const identity: LayerConverter = (ctx) => one(ctx);

/** Layer class → converter. InputLayer is handled by the topology walk. */
export const LAYER_CONVERTERS: Readonly<Record<string, LayerConverter>> = {
  Conv1D: conv1d,
  Conv2D: conv2d,
  DepthwiseConv2D: depthwiseConv2d,
  SeparableConv2D: separableConv2d,
  Dense: dense,
  BatchNormalization: batchNormalization,
  Activation: activationLayer,
  ReLU: reluLayer,
  Softmax: softmaxLayer,
  MaxPooling2D: pool("MAX_POOL_2D"),
  AveragePooling2D: pool("AVERAGE_POOL_2D"),
  GlobalAveragePooling2D: globalAveragePooling2d,
  Flatten: flatten,
  Reshape: reshape,
  Dropout: identity,
  SpatialDropout2D: identity,
  ZeroPadding2D: zeroPadding2d,
  Add: elementwise("ADD"),
  Multiply: elementwise("MUL"),
  Concatenate: concatenate,
};
