// LOGISTIC: tensorflow/lite/micro/kernels/logistic.cc + logistic_common.cc
// (prepare), reference_integer_ops::Logistic (int8: gemmlowp::logistic on a
// Q4.27 input) and reference_ops::Logistic (float).

import { fixedLogistic } from "../../fixedpoint/gemmlowp.js";
import { calculateInputRadius, frexp, roundHalfAwayFromZero } from "../../fixedpoint/multiplier.js";
import { multiplyByQuantizedMultiplier, roundingDivideByPOT } from "../../fixedpoint/rounding.js";
import type { BuiltinKernel } from "../kernel.js";
import { flatSize, input, invalidOp, output, sameDType, scaleOf, unsupportedTypes, zeroPointOf } from "../tensors.js";

const INPUT_INTEGER_BITS = 4;

export interface LogisticParams {
  dtype: "int8" | "float32";
  size: number;
  inputZeroPoint: number;
  /** Inputs at or beyond ±radius (after the zero point) saturate. */
  inputRangeRadius: number;
  inputMultiplier: number;
  inputLeftShift: number;
}

/**
 * The (multiplier, shift, radius) TFLM's logistic and tanh prepare from the
 * input scale: frexp of scale * 2^27 rounded to Q31 — without QuantizeMultiplier's
 * 2^31 fix-up, so a rounded 2^31 wraps to INT32_MIN exactly as the C cast does.
 */
export function q4InputRescale(inputScale: number): { multiplier: number; shift: number; radius: number } {
  const real = inputScale * (1 << (31 - INPUT_INTEGER_BITS));
  const { fraction, exponent } = frexp(real);
  return {
    multiplier: roundHalfAwayFromZero(fraction * 2147483648) | 0,
    shift: exponent,
    radius: calculateInputRadius(INPUT_INTEGER_BITS, exponent, 31),
  };
}

export const logistic: BuiltinKernel<"LOGISTIC", LogisticParams> = {
  prepare(ctx) {
    const x = input(ctx, 0);
    const y = output(ctx);
    const dtype = sameDType(ctx, [x, y]);
    const size = flatSize(x.shape);
    if (dtype === "float32") return { dtype, size, inputZeroPoint: 0, inputRangeRadius: 0, inputMultiplier: 0, inputLeftShift: 0 };
    if (dtype !== "int8") unsupportedTypes(ctx, dtype, "int8, float32");
    if (zeroPointOf(y) !== -128) invalidOp(ctx, "an int8 output must have zero point -128");
    const r = q4InputRescale(scaleOf(x));
    return { dtype, size, inputZeroPoint: zeroPointOf(x), inputRangeRadius: r.radius, inputMultiplier: r.multiplier, inputLeftShift: r.shift };
  },
  eval(p, io) {
    if (p.dtype === "float32") {
      logisticFloat(p.size, io.inputs[0] as Float32Array, io.outputs[0] as Float32Array);
      return;
    }
    const x = io.inputs[0] as Int8Array;
    const out = io.outputs[0] as Int8Array;
    for (let i = 0; i < p.size; i++) {
      const v = x[i]! - p.inputZeroPoint;
      if (v <= -p.inputRangeRadius) out[i] = -128;
      else if (v >= p.inputRangeRadius) out[i] = 127;
      else {
        const inQ4 = multiplyByQuantizedMultiplier(v, p.inputMultiplier, p.inputLeftShift);
        const outQ0 = fixedLogistic(inQ4, INPUT_INTEGER_BITS);
        // Q0.31 -> Q0.8 (kOutputIntegerBits = 8), then the -128 zero point.
        const o = roundingDivideByPOT(outQ0, 23) - 128;
        out[i] = o < -128 ? -128 : o > 127 ? 127 : o;
      }
    }
  },
};

/** reference_ops::Logistic<float>: the cut-off approximation TFLite uses. */
function logisticFloat(size: number, x: Float32Array, out: Float32Array): void {
  const fr = Math.fround;
  const cutoffUpper = 16.619047164916992;
  const cutoffLower = -9;
  for (let i = 0; i < size; i++) {
    const v = x[i]!;
    if (v > cutoffUpper) out[i] = 1;
    else if (v < cutoffLower) out[i] = fr(Math.exp(v));
    else out[i] = fr(1 / fr(1 + fr(Math.exp(-v))));
  }
}
