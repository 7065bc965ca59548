// DIV: tensorflow/lite/micro/kernels/div.cc (prepare and eval),
// reference_ops::DivElementwise (int8: reciprocal of the divisor in fixed
// point, then two requantizations) and reference_ops::Div (int32, float).

import { activationRangeFloat, activationRangeInt32 } from "../../fixedpoint/activation.js";
import { getReciprocal } from "../../fixedpoint/gemmlowp.js";
import { quantizeMultiplier } from "../../fixedpoint/multiplier.js";
import {
  countLeadingSignBits32,
  multiplyByQuantizedMultiplierGreaterThanOne,
  multiplyByQuantizedMultiplierSmallerThanOneExp,
} from "../../fixedpoint/rounding.js";
import { broadcastBinary, planBroadcast, type BroadcastPlan } from "../broadcast.js";
import type { BuiltinKernel } from "../kernel.js";
import { outputActivationRange } from "../quant-params.js";
import { input, output, sameDType, scaleOf, unsupportedTypes, zeroPointOf } from "../tensors.js";

export interface DivParams {
  dtype: "int8" | "int32" | "float32";
  plan: BroadcastPlan;
  input1Offset: number;
  input2Offset: number;
  outputOffset: number;
  outputMultiplier: number;
  outputShift: number;
  activationMin: number;
  activationMax: number;
}

type Tensors = Int8Array | Int32Array | Float32Array;

export const div: BuiltinKernel<"DIV", DivParams> = {
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
    if (dtype !== "int8") unsupportedTypes(ctx, dtype, "int8, int32, float32");
    // CalculateOpDataDiv: s1 / (s2 * s_out), all in float.
    const fr = Math.fround;
    const q = quantizeMultiplier(fr(scaleOf(a) / fr(scaleOf(b) * scaleOf(y))));
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
        broadcastBinary(p.plan, a, b, out, (x, y) => clamp(Math.fround(x / y)));
        return;
      case "int32":
        // C integer division truncates toward zero (division by zero is UB there; 0 here).
        broadcastBinary(p.plan, a, b, out, (x, y) => clamp(y === 0 ? 0 : Math.trunc(x / y) | 0));
        return;
      default:
        broadcastBinary(p.plan, a, b, out, (x, y) => clamp(divInt8(p, x, y)));
    }
  },
};

function divInt8(p: DivParams, x: number, y: number): number {
  let v1 = p.input1Offset + x;
  let v2 = p.input2Offset + y;
  if (v2 < 0) {
    // Keep the divisor positive so its reciprocal is a valid multiplier.
    v1 = -v1;
    v2 = -v2;
  }
  const { reciprocal, numBitsOverUnit: recipShift } = getReciprocal(v2, 31);
  const headroom = countLeadingSignBits32(v1);
  const unscaledQuotient = multiplyByQuantizedMultiplierGreaterThanOne(v1, reciprocal, headroom);
  const totalShift = p.outputShift - recipShift - headroom;
  // TFLM then rounds right by -totalShift bits, and that exceeds 31 whenever
  // the quotient is below half an output step (always for a numerator equal
  // to its zero point: headroom is 31). gemmlowp's RoundingDivideByPOT is
  // undefined there: TFLM's default build aborts on its assert, and its
  // NDEBUG x86 build returns output_zp + 1 for a zero numerator and wrapped
  // values (often saturating to 127/-128) for other small quotients; on
  // Cortex-M it gives zp ± 1. We take the one value every definition agrees
  // on in the limit — the exactly rounded quotient, 0 — as the C kernel's
  // tml_rdbpot does (firmware/kernels/tml_fixedpoint.h).
  if (totalShift < -31) return p.outputOffset;
  return p.outputOffset + multiplyByQuantizedMultiplierSmallerThanOneExp(unscaledQuotient, p.outputMultiplier, totalShift);
}
