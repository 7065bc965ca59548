// Emitters for the elementwise and row-wise unary ops: activations,
// HARD_SWISH, SOFTMAX, QUANTIZE/DEQUANTIZE, and RESHAPE (a planned alias, or
// a copy when its input is a constant in flash). Binary ops: emit-binary.ts.

import { numElements, tensorBytes } from "../../model/graph.js";
import type { HardSwishParams } from "../../reference/kernels/hard-swish.js";
import type { DequantizeParams } from "../../reference/kernels/dequantize.js";
import type { LogisticParams } from "../../reference/kernels/logistic.js";
import type { QuantizeParams } from "../../reference/kernels/quantize.js";
import type { ReluParams } from "../../reference/kernels/activations.js";
import type { SoftmaxParams } from "../../reference/kernels/softmax.js";
import {
  TML_DTYPES, callStatement, i, inputPtr, outputPtr, tensorAt, unsupportedDtypes,
  type EmitContext, type EmittedOp,
} from "./emit-context.js";
import { kernelParams } from "./kernel-structs.js";

function count(ctx: EmitContext): string {
  return i(numElements(tensorAt(ctx, "outputs", 0).shape));
}

export function emitReshape(ctx: EmitContext): EmittedOp {
  if (ctx.aliased) return { decls: [], body: [] };
  const bytes = tensorBytes(tensorAt(ctx, "outputs", 0));
  return { decls: [], body: [`memcpy(${outputPtr(ctx)}, ${inputPtr(ctx, 0)}, ${bytes}u);`], includes: ["string.h"] };
}

export function emitRelu(ctx: EmitContext): EmittedOp {
  const p = ctx.params as ReluParams;
  const io = `${inputPtr(ctx, 0)}, ${outputPtr(ctx)}, ${count(ctx)}`;
  if (p.dtype === "float32") return { decls: [], body: callStatement(`tml_relu_f32(${io})`) };
  if (p.dtype !== "int8") return unsupportedDtypes(ctx, p.dtype, "int8 and float32");
  const name = `${ctx.id}_params`;
  return {
    // The reference's inputOffset/outputOffset are the zero points themselves.
    decls: [kernelParams("tml_relu_s8_params", name, {
      input_zero_point: p.inputOffset, output_zero_point: p.outputOffset,
      output_multiplier: p.outputMultiplier, output_shift: p.outputShift,
      act_min: p.min, act_max: p.max,
    })],
    body: callStatement(`tml_relu_s8(&${name}, ${io})`),
  };
}

export function emitRelu6(ctx: EmitContext): EmittedOp {
  const p = ctx.params as ReluParams;
  const io = `${inputPtr(ctx, 0)}, ${outputPtr(ctx)}, ${count(ctx)}`;
  if (p.dtype === "float32") return { decls: [], body: callStatement(`tml_relu6_f32(${io})`) };
  if (p.dtype !== "int8") return unsupportedDtypes(ctx, p.dtype, "int8 and float32");
  const name = `${ctx.id}_params`;
  return {
    decls: [kernelParams("tml_relu6_s8_params", name, { zero: p.min, six: p.max })],
    body: callStatement(`tml_relu6_s8(&${name}, ${io})`),
  };
}

function emitQ4Activation(ctx: EmitContext, kind: "logistic" | "tanh"): EmittedOp {
  const p = ctx.params as LogisticParams;
  const io = `${inputPtr(ctx, 0)}, ${outputPtr(ctx)}, ${count(ctx)}`;
  if (p.dtype === "float32") return { decls: [], body: callStatement(`tml_${kind}_f32(${io})`) };
  const name = `${ctx.id}_params`;
  return {
    decls: [kernelParams(kind === "logistic" ? "tml_logistic_s8_params" : "tml_tanh_s8_params", name, {
      input_zero_point: p.inputZeroPoint, input_range_radius: p.inputRangeRadius,
      input_multiplier: p.inputMultiplier, input_left_shift: p.inputLeftShift,
    })],
    body: callStatement(`tml_${kind}_s8(&${name}, ${io})`),
  };
}

/** TFLM hard_swish.cc: HardSwishParams from HardSwishPrepare, reference_ops::HardSwish. */
export function emitHardSwish(ctx: EmitContext): EmittedOp {
  const p = ctx.params as HardSwishParams;
  const io = `${inputPtr(ctx, 0)}, ${outputPtr(ctx)}, ${count(ctx)}`;
  if (p.dtype === "float32") return { decls: [], body: callStatement(`tml_hard_swish_f32(${io})`) };
  const name = `${ctx.id}_params`;
  return {
    decls: [kernelParams("tml_hard_swish_s8_params", name, {
      input_zero_point: p.inputZeroPoint, output_zero_point: p.outputZeroPoint,
      reluish_multiplier_fixedpoint_int16: p.reluishMultiplierFixedpointInt16,
      reluish_multiplier_exponent: p.reluishMultiplierExponent,
      output_multiplier_fixedpoint_int16: p.outputMultiplierFixedpointInt16,
      output_multiplier_exponent: p.outputMultiplierExponent,
    })],
    body: callStatement(`tml_hard_swish_s8(&${name}, ${io})`),
  };
}

export const emitLogistic = (ctx: EmitContext): EmittedOp => emitQ4Activation(ctx, "logistic");
export const emitTanh = (ctx: EmitContext): EmittedOp => emitQ4Activation(ctx, "tanh");

export function emitSoftmax(ctx: EmitContext): EmittedOp {
  const p = ctx.params as SoftmaxParams;
  const name = `${ctx.id}_params`;
  const io = `${inputPtr(ctx, 0)}, ${outputPtr(ctx)}`;
  const rows = { outer_size: p.outerSize, depth: p.depth };
  if (p.inputType === "float32") {
    return {
      decls: [kernelParams("tml_softmax_f32_params", name, { ...rows, beta: p.beta })],
      body: callStatement(`tml_softmax_f32(&${name}, ${io})`),
    };
  }
  const fn = p.outputType === "int16" ? "tml_softmax_s8_s16" : "tml_softmax_s8";
  return {
    decls: [kernelParams("tml_softmax_s8_params", name, {
      ...rows, input_multiplier: p.inputMultiplier, input_left_shift: p.inputLeftShift, diff_min: p.diffMin,
    })],
    body: callStatement(`${fn}(&${name}, ${io})`),
  };
}

export function emitQuantize(ctx: EmitContext): EmittedOp {
  const p = ctx.params as QuantizeParams;
  const x = tensorAt(ctx, "inputs", 0);
  const y = tensorAt(ctx, "outputs", 0);
  const name = `${ctx.id}_params`;
  const io = `${inputPtr(ctx, 0)}, ${outputPtr(ctx)}, ${count(ctx)}`;
  if (p.mode === "affine") {
    if (y.dtype !== "int8" && y.dtype !== "int16") return unsupportedDtypes(ctx, `float32 -> ${y.dtype}`, "float32 -> int8/int16");
    return {
      decls: [kernelParams("tml_quantize_f32_params", name, { scale: p.scale, zero_point: p.outputZeroPoint })],
      body: callStatement(`tml_quantize_f32_${y.dtype === "int8" ? "s8" : "s16"}(&${name}, ${io})`),
    };
  }
  const inType = TML_DTYPES[x.dtype];
  const outType = TML_DTYPES[y.dtype];
  if (!inType || !outType) return unsupportedDtypes(ctx, `${x.dtype} -> ${y.dtype}`, "the integer pairs TFLM supports");
  return {
    decls: [kernelParams("tml_requantize_params", name, {
      input_type: inType, output_type: outType,
      input_zero_point: p.inputZeroPoint, output_zero_point: p.outputZeroPoint,
      multiplier: p.multiplier, shift: p.shift,
    })],
    body: callStatement(`tml_quantize_int(&${name}, ${io})`),
  };
}

export function emitDequantize(ctx: EmitContext): EmittedOp {
  const p = ctx.params as DequantizeParams;
  const x = tensorAt(ctx, "inputs", 0);
  if (x.dtype !== "int8" && x.dtype !== "int16") return unsupportedDtypes(ctx, `${x.dtype} input`, "int8 and int16 inputs");
  const name = `${ctx.id}_params`;
  return {
    decls: [kernelParams("tml_dequantize_params", name, { scale: p.scale, zero_point: p.zeroPoint })],
    body: callStatement(`tml_dequantize_${x.dtype === "int8" ? "s8" : "s16"}(&${name}, ${inputPtr(ctx, 0)}, ${outputPtr(ctx)}, ${count(ctx)})`),
  };
}
