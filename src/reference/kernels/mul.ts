// MUL: tensorflow/lite/micro/kernels/mul.cc + mul_common.cc (prepare),
// reference_integer_ops::MulElementwise / BroadcastMul6DSlow (int8, int16),
// reference_ops::Mul (int32 wrapping, float).

import { activationRangeFloat, activationRangeInt32 } from "../../fixedpoint/activation.js";
import { quantizeMultiplier } from "../../fixedpoint/multiplier.js";
import { multiplyByQuantizedMultiplier } from "../../fixedpoint/rounding.js";
import { broadcastBinary, planBroadcast, type BroadcastPlan } from "../broadcast.js";
import type { BuiltinKernel } from "../kernel.js";
import { outputActivationRange } from "../quant-params.js";
import { input, invalidOp, output, sameDType, scaleOf, unsupportedTypes, zeroPointOf } from "../tensors.js";

export interface MulParams {
  dtype: "int8" | "int16" | "int32" | "float32";
  plan: BroadcastPlan;
  input1Offset: number;
  input2Offset: number;
  outputOffset: number;
  outputMultiplier: number;
  outputShift: number;
  activationMin: number;
  activationMax: number;
}

type Tensors = Int8Array | Int16Array | Int32Array | Float32Array;

export const mul: BuiltinKernel<"MUL", MulParams> = {
  prepare(ctx) {
    const a = input(ctx, 0);
    const b = input(ctx, 1);
    const y = output(ctx);
    const dtype = sameDType(ctx, [a, b, y]);
    const activation = ctx.op.options.activation;
    const base = { plan: planBroadcast(ctx, a, b, y), input1Offset: 0, input2Offset: 0, outputOffset: 0, outputMultiplier: 0, outputShift: 0 };
    if (dtype === "float32") {
      const r = activationRangeFloat(activation);
      return { dtype, ...base, activationMin: r.min, activationMax: r.max };
    }
    if (dtype === "int32") {
      const r = activationRangeInt32(activation);
      return { dtype, ...base, activationMin: r.min, activationMax: r.max };
    }
    if (dtype !== "int8" && dtype !== "int16") unsupportedTypes(ctx, dtype, "int8, int16, int32, float32");
    if (dtype === "int16" && (zeroPointOf(a) !== 0 || zeroPointOf(b) !== 0 || zeroPointOf(y) !== 0)) {
      invalidOp(ctx, "int16 MUL requires zero points of 0");
    }
    const q = quantizeMultiplier((scaleOf(a) * scaleOf(b)) / scaleOf(y));
    const r = outputActivationRange(activation, y);
    return {
      dtype,
      ...base,
      input1Offset: -zeroPointOf(a),
      input2Offset: -zeroPointOf(b),
      outputOffset: zeroPointOf(y),
      outputMultiplier: q.multiplier,
      outputShift: q.shift,
      activationMin: r.min,
      activationMax: r.max,
    };
  },
  eval(p, io) {
    const a = io.inputs[0] as Tensors;
    const b = io.inputs[1] as Tensors;
    const out = io.outputs[0] as Tensors;
    const lo = p.activationMin;
    const hi = p.activationMax;
    const clamp = (v: number): number => (v < lo ? lo : v > hi ? hi : v);
    switch (p.dtype) {
      case "float32":
        broadcastBinary(p.plan, a, b, out, (x, y) => clamp(Math.fround(x * y)));
        return;
      case "int32":
        broadcastBinary(p.plan, a, b, out, (x, y) => clamp(Math.imul(x, y)));
        return;
      default:
        broadcastBinary(p.plan, a, b, out, (x, y) =>
          clamp(p.outputOffset + multiplyByQuantizedMultiplier(Math.imul(p.input1Offset + x, p.input2Offset + y), p.outputMultiplier, p.outputShift)),
        );
    }
  },
};
