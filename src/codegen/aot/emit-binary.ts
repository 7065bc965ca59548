// Emitters for the broadcasting binary ops: ADD, SUB, MUL, DIV (quantized
// int8/int16 through TFLM's requantizing elementwise functions, int32 and
// float32 as plain arithmetic with a clamp) and MINIMUM/MAXIMUM (raw
// comparisons: TFLM requires one quantization for all three tensors).

import type { AddSubParams } from "../../reference/kernels/add-sub.js";
import type { DivParams } from "../../reference/kernels/div.js";
import type { MinMaxParams } from "../../reference/kernels/minimum-maximum.js";
import type { MulParams } from "../../reference/kernels/mul.js";
import {
  TML_DTYPES, TML_MAX_DIMS, callStatement, inputPtr, outputPtr, paramStruct, shapeInit, tensorAt, unsupportedDtypes,
  type EmitContext, type EmittedOp,
} from "./emit-context.js";
import { kernelParams } from "./kernel-structs.js";
import { addSubS8Entry } from "./add-sub-variants.js";

export function binaryShapes(ctx: EmitContext): string {
  const shapes = [tensorAt(ctx, "inputs", 0), tensorAt(ctx, "inputs", 1), tensorAt(ctx, "outputs", 0)].map((t) => t.shape);
  if (shapes.some((s) => s.length > TML_MAX_DIMS)) return unsupportedDtypes(ctx, `rank above ${TML_MAX_DIMS}`, `up to ${TML_MAX_DIMS} dims`);
  const [a, b, y] = shapes as [number[], number[], number[]];
  return paramStruct("tml_binary_shapes", `${ctx.id}_shapes`, { input1: shapeInit(a), input2: shapeInit(b), output: shapeInit(y) });
}

export function binaryIo(ctx: EmitContext): string {
  return `&${ctx.id}_shapes, ${inputPtr(ctx, 0)}, ${inputPtr(ctx, 1)}, ${outputPtr(ctx)}`;
}

export function plainArith(ctx: EmitContext, op: string, dtype: string, min: number, max: number): EmittedOp {
  const name = `${ctx.id}_params`;
  const isFloat = dtype === "float32";
  return {
    decls: [
      binaryShapes(ctx),
      isFloat
        ? kernelParams("tml_arith_f32_params", name, { act_min: min, act_max: max })
        : kernelParams("tml_arith_s32_params", name, { act_min: min, act_max: max }),
    ],
    body: callStatement(`tml_${op}_${isFloat ? "f32" : "s32"}(&${name}, ${binaryIo(ctx)})`),
  };
}

function emitAddSub(ctx: EmitContext, op: "add" | "sub"): EmittedOp {
  const p = ctx.params as AddSubParams;
  if (p.dtype === "float32" || p.dtype === "int32") return plainArith(ctx, op, p.dtype, p.activationMin, p.activationMax);
  if (p.dtype !== "int8") return unsupportedDtypes(ctx, p.dtype, "int8, int32 and float32");
  const name = `${ctx.id}_params`;
  return {
    decls: [
      binaryShapes(ctx),
      kernelParams(op === "add" ? "tml_add_s8_params" : "tml_sub_s8_params", name, {
        left_shift: p.leftShift,
        input1_offset: p.input1Offset, input1_multiplier: p.input1Multiplier, input1_shift: p.input1Shift,
        input2_offset: p.input2Offset, input2_multiplier: p.input2Multiplier, input2_shift: p.input2Shift,
        output_offset: p.outputOffset, output_multiplier: p.outputMultiplier, output_shift: p.outputShift,
        act_min: p.activationMin, act_max: p.activationMax,
      }),
    ],
    body: callStatement(`${addSubS8Entry(op, p)}(&${name}, ${binaryIo(ctx)})`),
  };
}

export const emitAdd = (ctx: EmitContext): EmittedOp => emitAddSub(ctx, "add");
export const emitSub = (ctx: EmitContext): EmittedOp => emitAddSub(ctx, "sub");

export function emitMul(ctx: EmitContext): EmittedOp {
  const p = ctx.params as MulParams;
  if (p.dtype === "float32" || p.dtype === "int32") return plainArith(ctx, "mul", p.dtype, p.activationMin, p.activationMax);
  const name = `${ctx.id}_params`;
  const suffix = p.dtype === "int8" ? "s8" : "s16";
  return {
    decls: [
      binaryShapes(ctx),
      kernelParams(suffix === "s8" ? "tml_mul_s8_params" : "tml_mul_s16_params", name, {
        input1_offset: p.input1Offset, input2_offset: p.input2Offset, output_offset: p.outputOffset,
        output_multiplier: p.outputMultiplier, output_shift: p.outputShift,
        act_min: p.activationMin, act_max: p.activationMax,
      }),
    ],
    body: callStatement(`tml_mul_${suffix}(&${name}, ${binaryIo(ctx)})`),
  };
}

/** TFLM div.cc: DivElementwise (int8) or the plain Div (int32 truncating, float32). */
export function emitDiv(ctx: EmitContext): EmittedOp {
  const p = ctx.params as DivParams;
  if (p.dtype === "float32" || p.dtype === "int32") return plainArith(ctx, "div", p.dtype, p.activationMin, p.activationMax);
  const name = `${ctx.id}_params`;
  return {
    decls: [
      binaryShapes(ctx),
      kernelParams("tml_div_s8_params", name, {
        input1_offset: p.input1Offset, input2_offset: p.input2Offset, output_offset: p.outputOffset,
        output_multiplier: p.outputMultiplier, output_shift: p.outputShift,
        act_min: p.activationMin, act_max: p.activationMax,
      }),
    ],
    body: callStatement(`tml_div_s8(&${name}, ${binaryIo(ctx)})`),
  };
}

/** TFLM maximum_minimum.cc: MaximumMinimumBroadcastSlow, one comparison per element. */
function emitMinMax(ctx: EmitContext, op: "minimum" | "maximum"): EmittedOp {
  const p = ctx.params as MinMaxParams;
  const type = TML_DTYPES[p.dtype];
  if (!type || p.dtype === "uint8" || p.dtype === "uint32" || p.dtype === "bool") {
    return unsupportedDtypes(ctx, p.dtype, "int8, int16, int32 and float32");
  }
  return { decls: [binaryShapes(ctx)], body: callStatement(`tml_${op}(${type}, ${binaryIo(ctx)})`) };
}

export const emitMinimum = (ctx: EmitContext): EmittedOp => emitMinMax(ctx, "minimum");
export const emitMaximum = (ctx: EmitContext): EmittedOp => emitMinMax(ctx, "maximum");
