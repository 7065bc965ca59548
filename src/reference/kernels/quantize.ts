// QUANTIZE: tensorflow/lite/micro/kernels/quantize.cc + quantize_common.cc.
// float -> int8/int16 is reference_ops::AffineQuantize; integer -> integer is
// reference_ops::Requantize with one QuantizeMultiplier(s_in / s_out).

import { quantizeMultiplier, roundHalfAwayFromZero } from "../../fixedpoint/multiplier.js";
import { multiplyByQuantizedMultiplier } from "../../fixedpoint/rounding.js";
import { integerTypeRange } from "../../fixedpoint/activation.js";
import type { BuiltinKernel } from "../kernel.js";
import { flatSize, input, invalidOp, output, scaleOf, unsupportedTypes, zeroPointOf } from "../tensors.js";

export interface QuantizeParams {
  mode: "affine" | "requantize";
  size: number;
  outputMin: number;
  outputMax: number;
  /** Affine: the output scale (a float) and zero point. */
  scale: number;
  outputZeroPoint: number;
  /** Requantize: input zero point, multiplier and shift. */
  inputZeroPoint: number;
  multiplier: number;
  shift: number;
}

const INT_TYPES = ["int8", "uint8", "int16", "int32"] as const;
type IntType = (typeof INT_TYPES)[number];
function isIntType(d: string): d is IntType {
  return (INT_TYPES as readonly string[]).includes(d);
}

export const quantize: BuiltinKernel<"QUANTIZE", QuantizeParams> = {
  prepare(ctx) {
    const x = input(ctx, 0);
    const y = output(ctx);
    if ((y.quantization?.scale.length ?? 0) !== 1) invalidOp(ctx, "the output must be quantized per-tensor");
    if (!isIntType(y.dtype)) unsupportedTypes(ctx, `output ${y.dtype}`, "int8, uint8, int16, int32 outputs");
    const { min, max } = integerTypeRange(y.dtype);
    const base = { size: flatSize(x.shape), outputMin: min, outputMax: max, scale: scaleOf(y), outputZeroPoint: zeroPointOf(y) };
    if (x.dtype === "float32") return { mode: "affine", ...base, inputZeroPoint: 0, multiplier: 0, shift: 0 };
    if (!isIntType(x.dtype)) unsupportedTypes(ctx, `input ${x.dtype}`, "float32, int8, uint8, int16, int32 inputs");
    const q = quantizeMultiplier(scaleOf(x) / scaleOf(y));
    return { mode: "requantize", ...base, inputZeroPoint: zeroPointOf(x), multiplier: q.multiplier, shift: q.shift };
  },
  eval(p, io) {
    const out = io.outputs[0] as Int8Array;
    if (p.mode === "affine") {
      const x = io.inputs[0] as Float32Array;
      const scale = Math.fround(p.scale);
      for (let i = 0; i < p.size; i++) {
        // round(val / (float)scale) in float. C's float->int32 cast of an
        // out-of-range value is undefined; this saturates, as ARM does.
        const r = roundHalfAwayFromZero(Math.fround(x[i]! / scale));
        const v = Math.max(-2147483648, Math.min(2147483647, r)) + p.outputZeroPoint;
        out[i] = v < p.outputMin ? p.outputMin : v > p.outputMax ? p.outputMax : v;
      }
      return;
    }
    const x = io.inputs[0] as Int8Array;
    for (let i = 0; i < p.size; i++) {
      const v = multiplyByQuantizedMultiplier((x[i]! - p.inputZeroPoint) | 0, p.multiplier, p.shift) + p.outputZeroPoint;
      out[i] = v > p.outputMax ? p.outputMax : v < p.outputMin ? p.outputMin : v;
    }
  },
};
