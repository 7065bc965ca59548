// Fused activations as clamping ranges. Quantized kernels fold RELU/RELU6/
// RELU_N1_TO_1 into the output's integer range (tensorflow/lite/kernels/
// kernel_util.cc CalculateActivationRangeQuantized); float kernels clamp to
// real bounds (kernels/internal/common.h GetActivationMinMax).

import type { Activation } from "../model/ops.js";
import { roundHalfAwayFromZero } from "./multiplier.js";

export interface IntRange {
  min: number;
  max: number;
}

const FLT_MAX = 3.4028234663852886e38;

/** Integer range of a dtype, as std::numeric_limits<T>. */
export function integerTypeRange(dtype: "int8" | "uint8" | "int16" | "int32"): IntRange {
  switch (dtype) {
    case "int8":
      return { min: -128, max: 127 };
    case "uint8":
      return { min: 0, max: 255 };
    case "int16":
      return { min: -32768, max: 32767 };
    case "int32":
      return { min: -2147483648, max: 2147483647 };
  }
}

/** kernel_util.cc Quantize(): zero_point + round(f / scale), computed in float. */
function quantizeForRange(scale: number, zeroPoint: number, f: number): number {
  const tmp = roundHalfAwayFromZero(Math.fround(f / Math.fround(scale)));
  return zeroPoint + tmp;
}

/** CalculateActivationRangeQuantized for an output with `scale`/`zeroPoint` of `dtype`. */
export function activationRangeQuantized(
  activation: Activation,
  dtype: "int8" | "uint8" | "int16" | "int32",
  scale: number,
  zeroPoint: number,
): IntRange {
  const { min: qmin, max: qmax } = integerTypeRange(dtype);
  switch (activation) {
    case "RELU":
      return { min: Math.max(qmin, quantizeForRange(scale, zeroPoint, 0)), max: qmax };
    case "RELU6":
      return {
        min: Math.max(qmin, quantizeForRange(scale, zeroPoint, 0)),
        max: Math.min(qmax, quantizeForRange(scale, zeroPoint, 6)),
      };
    case "RELU_N1_TO_1":
      return {
        min: Math.max(qmin, quantizeForRange(scale, zeroPoint, -1)),
        max: Math.min(qmax, quantizeForRange(scale, zeroPoint, 1)),
      };
    default:
      return { min: qmin, max: qmax };
  }
}

/** CalculateActivationRange<float> / GetActivationMinMax. */
export function activationRangeFloat(activation: Activation): IntRange {
  switch (activation) {
    case "RELU":
      return { min: 0, max: FLT_MAX };
    case "RELU6":
      return { min: 0, max: 6 };
    case "RELU_N1_TO_1":
      return { min: -1, max: 1 };
    default:
      return { min: -FLT_MAX, max: FLT_MAX };
  }
}

/** CalculateActivationRange<int32_t>, used by unquantized int32 arithmetic. */
export function activationRangeInt32(activation: Activation): IntRange {
  switch (activation) {
    case "RELU":
      return { min: 0, max: 2147483647 };
    case "RELU6":
      return { min: 0, max: 6 };
    case "RELU_N1_TO_1":
      return { min: -1, max: 1 };
    default:
      return { min: -2147483648, max: 2147483647 };
  }
}
