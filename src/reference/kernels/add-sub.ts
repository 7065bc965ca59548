// ADD and SUB: tensorflow/lite/micro/kernels/add.cc + add_common.cc and
// sub.cc + sub_common.cc (prepare); reference_integer_ops::AddFunc /
// reference_ops::SubElementwise (int8/int16: both inputs rescaled to a common
// 2^left_shift-scaled domain, summed, then requantized), and the plain
// float / int32 reference ops.

import { activationRangeFloat, activationRangeInt32 } from "../../fixedpoint/activation.js";
import { quantizeMultiplierSmallerThanOneExp } from "../../fixedpoint/multiplier.js";
import { multiplyByQuantizedMultiplierSmallerThanOneExp as rescale } from "../../fixedpoint/rounding.js";
import { broadcastBinary, planBroadcast, type BroadcastPlan } from "../broadcast.js";
import type { BuiltinKernel, BuiltinPrepareContext } from "../kernel.js";
import { outputActivationRange } from "../quant-params.js";
import { input, output, sameDType, scaleOf, unsupportedTypes, zeroPointOf } from "../tensors.js";

export interface AddSubParams {
  dtype: "int8" | "int16" | "int32" | "float32";
  /** +1 for ADD, -1 for SUB. */
  sign: 1 | -1;
  plan: BroadcastPlan;
  leftShift: number;
  input1Offset: number;
  input1Multiplier: number;
  input1Shift: number;
  input2Offset: number;
  input2Multiplier: number;
  input2Shift: number;
  outputOffset: number;
  outputMultiplier: number;
  outputShift: number;
  activationMin: number;
  activationMax: number;
}

function prepareAddSub(ctx: BuiltinPrepareContext<"ADD" | "SUB">, sign: 1 | -1): AddSubParams {
  const a = input(ctx, 0);
  const b = input(ctx, 1);
  const y = output(ctx);
  const dtype = sameDType(ctx, [a, b, y]);
  const activation = ctx.op.options.activation;
  const base = {
    sign, plan: planBroadcast(ctx, a, b, y), leftShift: 0,
    input1Offset: 0, input1Multiplier: 0, input1Shift: 0, input2Offset: 0, input2Multiplier: 0, input2Shift: 0,
    outputOffset: 0, outputMultiplier: 0, outputShift: 0,
  };
  if (dtype === "float32") return { dtype, ...base, activationMin: activationRangeFloat(activation).min, activationMax: activationRangeFloat(activation).max };
  if (dtype === "int32") {
    // TFLM's int32 ADD ignores the fused activation; SUB applies it.
    const r = sign === 1 ? activationRangeInt32("NONE") : activationRangeInt32(activation);
    return { dtype, ...base, activationMin: r.min, activationMax: r.max };
  }
  if (dtype !== "int8" && dtype !== "int16") unsupportedTypes(ctx, dtype, "int8, int16, int32, float32");
  const leftShift = dtype === "int16" ? 15 : 20;
  const s1 = scaleOf(a);
  const s2 = scaleOf(b);
  let real1: number;
  let real2: number;
  let realOut: number;
  if (sign === 1) {
    // CalculateOpDataAdd computes these in double.
    const twiceMax = 2 * Math.max(s1, s2);
    real1 = s1 / twiceMax;
    real2 = s2 / twiceMax;
    realOut = twiceMax / ((1 << leftShift) * scaleOf(y));
  } else {
    // CalculateOpDataSub computes the same ratios in float.
    const fr = Math.fround;
    const twiceMax = fr(2 * Math.max(s1, s2));
    real1 = fr(s1 / twiceMax);
    real2 = fr(s2 / twiceMax);
    realOut = fr(twiceMax / fr((1 << leftShift) * scaleOf(y)));
  }
  const q1 = quantizeMultiplierSmallerThanOneExp(real1);
  const q2 = quantizeMultiplierSmallerThanOneExp(real2);
  const qo = quantizeMultiplierSmallerThanOneExp(realOut);
  const r = outputActivationRange(activation, y);
  return {
    ...base,
    dtype,
    leftShift,
    input1Offset: -zeroPointOf(a),
    input1Multiplier: q1.multiplier,
    input1Shift: q1.shift,
    input2Offset: -zeroPointOf(b),
    input2Multiplier: q2.multiplier,
    input2Shift: q2.shift,
    outputOffset: zeroPointOf(y),
    outputMultiplier: qo.multiplier,
    outputShift: qo.shift,
    activationMin: r.min,
    activationMax: r.max,
  };
}

function evalAddSub(p: AddSubParams, a: Int8Array | Int16Array | Int32Array | Float32Array, b: typeof a, out: typeof a): void {
  const lo = p.activationMin;
  const hi = p.activationMax;
  const clamp = (v: number): number => (v < lo ? lo : v > hi ? hi : v);
  switch (p.dtype) {
    case "float32":
      broadcastBinary(p.plan, a, b, out, (x, y) => clamp(Math.fround(x + p.sign * y)));
      return;
    case "int32":
      broadcastBinary(p.plan, a, b, out, (x, y) => clamp((x + p.sign * y) | 0));
      return;
    default: {
      const scale = 1 << p.leftShift;
      broadcastBinary(p.plan, a, b, out, (x, y) => {
        const s1 = rescale((p.input1Offset + x) * scale, p.input1Multiplier, p.input1Shift);
        const s2 = rescale((p.input2Offset + y) * scale, p.input2Multiplier, p.input2Shift);
        const raw = (s1 + p.sign * s2) | 0;
        return clamp(rescale(raw, p.outputMultiplier, p.outputShift) + p.outputOffset);
      });
    }
  }
}

type Tensors = Int8Array | Int16Array | Int32Array | Float32Array;

export const add: BuiltinKernel<"ADD", AddSubParams> = {
  prepare: (ctx) => prepareAddSub(ctx, 1),
  eval: (p, io) => evalAddSub(p, io.inputs[0] as Tensors, io.inputs[1] as Tensors, io.outputs[0] as Tensors),
};

export const sub: BuiltinKernel<"SUB", AddSubParams> = {
  prepare: (ctx) => prepareAddSub(ctx, -1),
  eval: (p, io) => evalAddSub(p, io.inputs[0] as Tensors, io.inputs[1] as Tensors, io.outputs[0] as Tensors),
};
