// RELU and RELU6: tensorflow/lite/micro/kernels/activations.cc +
// activations_common.cc. int8 RELU requantizes to the output scale; int8
// RELU6 clamps in the input's quantized domain (TFLM assumes matching scales).

import { multiplyByQuantizedMultiplier } from "../../fixedpoint/rounding.js";
import { quantizeMultiplier, roundHalfAwayFromZero } from "../../fixedpoint/multiplier.js";
import type { BuiltinKernel } from "../kernel.js";
import { flatSize, input, output, sameDType, scaleOf, unsupportedTypes, zeroPointOf } from "../tensors.js";

export interface ReluParams {
  dtype: "int8" | "int16" | "float32";
  size: number;
  inputOffset: number;
  outputOffset: number;
  outputMultiplier: number;
  outputShift: number;
  /** Quantized clamp bounds (RELU: [zero, type max]; RELU6: [zero, six]). */
  min: number;
  max: number;
}

function typeBounds(dtype: "int8" | "int16"): [number, number] {
  return dtype === "int8" ? [-128, 127] : [-32768, 32767];
}

export const relu: BuiltinKernel<"RELU", ReluParams> = {
  prepare(ctx) {
    const x = input(ctx, 0);
    const y = output(ctx);
    const dtype = sameDType(ctx, [x, y]);
    const size = flatSize(x.shape);
    if (dtype === "float32") return { dtype, size, inputOffset: 0, outputOffset: 0, outputMultiplier: 0, outputShift: 0, min: 0, max: 0 };
    if (dtype !== "int8" && dtype !== "int16") unsupportedTypes(ctx, dtype, "int8, int16, float32");
    // CalculateReluOpData: the scale ratio is a float division.
    const q = quantizeMultiplier(Math.fround(scaleOf(x) / scaleOf(y)));
    const [lo, hi] = typeBounds(dtype);
    return {
      dtype,
      size,
      inputOffset: zeroPointOf(x),
      outputOffset: zeroPointOf(y),
      outputMultiplier: q.multiplier,
      outputShift: q.shift,
      min: Math.max(lo, zeroPointOf(y) + roundHalfAwayFromZero(Math.fround(0 / scaleOf(y)))),
      max: hi,
    };
  },
  eval(p, io) {
    if (p.dtype === "float32") {
      const x = io.inputs[0] as Float32Array;
      const out = io.outputs[0] as Float32Array;
      for (let i = 0; i < p.size; i++) out[i] = x[i]! < 0 ? 0 : x[i]!;
      return;
    }
    const x = io.inputs[0] as Int8Array | Int16Array;
    const out = io.outputs[0] as Int8Array | Int16Array;
    for (let i = 0; i < p.size; i++) {
      let v = p.outputOffset + multiplyByQuantizedMultiplier(x[i]! - p.inputOffset, p.outputMultiplier, p.outputShift);
      v = v < p.min ? p.min : v > p.max ? p.max : v;
      out[i] = v;
    }
  },
};

export const relu6: BuiltinKernel<"RELU6", ReluParams> = {
  prepare(ctx) {
    const x = input(ctx, 0);
    const y = output(ctx);
    const dtype = sameDType(ctx, [x, y]);
    const size = flatSize(x.shape);
    if (dtype === "float32") return { dtype, size, inputOffset: 0, outputOffset: 0, outputMultiplier: 0, outputShift: 0, min: 0, max: 6 };
    if (dtype !== "int8" && dtype !== "int16") unsupportedTypes(ctx, dtype, "int8, int16, float32");
    const [lo, hi] = typeBounds(dtype);
    // FloatToQuantizedType: round(6.0f / scale) + zero_point, clamped to the type.
    const six = Math.min(hi, Math.max(lo, roundHalfAwayFromZero(Math.fround(6 / scaleOf(x))) + zeroPointOf(x)));
    return { dtype, size, inputOffset: 0, outputOffset: 0, outputMultiplier: 0, outputShift: 0, min: zeroPointOf(x), max: six };
  },
  eval(p, io) {
    const x = io.inputs[0] as Int8Array | Int16Array | Float32Array;
    const out = io.outputs[0] as Int8Array | Int16Array | Float32Array;
    for (let i = 0; i < p.size; i++) {
      const v = x[i]!;
      out[i] = v > p.max ? p.max : v < p.min ? p.min : v;
    }
  },
};
