// SOFTMAX: tensorflow/lite/micro/kernels/softmax.cc + softmax_common.cc
// (prepare), reference_ops::Softmax: the gemmlowp exp path for int8 input
// (int8 or int16 output) and the float path.

import { getReciprocal, expOnNegativeValues, rescale } from "../../fixedpoint/gemmlowp.js";
import { calculateInputRadius, preprocessSoftmaxScaling } from "../../fixedpoint/multiplier.js";
import { multiplyByQuantizedMultiplierGreaterThanOne, roundingDivideByPOT, saturatingRoundingDoublingHighMul } from "../../fixedpoint/rounding.js";
import type { BuiltinKernel } from "../kernel.js";
import { flatSize, input, invalidOp, output, scaleOf, unsupportedTypes, zeroPointOf } from "../tensors.js";

/** Q5.26 scaled input differences (kScaledDiffIntegerBits). */
const SCALED_DIFF_INTEGER_BITS = 5;
/** Q12.19 sum of exponentials (kAccumulationIntegerBits). */
const ACCUMULATION_INTEGER_BITS = 12;

export interface SoftmaxParams {
  inputType: "int8" | "float32";
  outputType: "int8" | "int16" | "float32";
  outerSize: number;
  depth: number;
  inputMultiplier: number;
  inputLeftShift: number;
  /** Differences below this contribute exp() = 0 (and output the minimum). */
  diffMin: number;
  /** float beta, for the float path. */
  beta: number;
}

export const softmax: BuiltinKernel<"SOFTMAX", SoftmaxParams> = {
  prepare(ctx) {
    const x = input(ctx, 0);
    const y = output(ctx);
    if (x.shape.length < 1) invalidOp(ctx, "input must have at least one dimension");
    const depth = x.shape[x.shape.length - 1]!;
    const base = { outerSize: flatSize(x.shape) / depth, depth, beta: ctx.op.options.beta };
    if (x.dtype === "float32" && y.dtype === "float32") {
      return { ...base, inputType: "float32", outputType: "float32", inputMultiplier: 0, inputLeftShift: 0, diffMin: 0 };
    }
    if (x.dtype !== "int8" || (y.dtype !== "int8" && y.dtype !== "int16")) {
      unsupportedTypes(ctx, `input ${x.dtype}, output ${y.dtype}`, "int8 -> int8, int8 -> int16, float32 -> float32");
    }
    if (y.dtype === "int8" && (zeroPointOf(y) !== -128 || scaleOf(y) !== 1 / 256)) {
      invalidOp(ctx, "an int8 output must have scale 1/256 and zero point -128");
    }
    // softmax_common.cc: TF_LITE_ENSURE_NEAR(scale, 1/65536, 0.1%) for an int16 output of int8 input.
    if (y.dtype === "int16" && (zeroPointOf(y) !== -32768 || Math.abs(scaleOf(y) - 1 / 65536) > 0.001 / 65536)) {
      invalidOp(ctx, "an int16 output of int8 input must have scale 1/65536 and zero point -32768");
    }
    const q = preprocessSoftmaxScaling(ctx.op.options.beta, scaleOf(x), SCALED_DIFF_INTEGER_BITS);
    return {
      ...base,
      inputType: "int8",
      outputType: y.dtype,
      inputMultiplier: q.multiplier,
      inputLeftShift: q.shift,
      diffMin: -1.0 * calculateInputRadius(SCALED_DIFF_INTEGER_BITS, q.shift),
    };
  },
  eval(p, io) {
    if (p.inputType === "float32") softmaxFloat(p, io.inputs[0] as Float32Array, io.outputs[0] as Float32Array);
    else softmaxQuantized(p, io.inputs[0] as Int8Array, io.outputs[0] as Int8Array | Int16Array);
  },
};

function softmaxQuantized(p: SoftmaxParams, x: Int8Array, out: Int8Array | Int16Array): void {
  const outMin = p.outputType === "int8" ? -128 : -32768;
  const outMax = p.outputType === "int8" ? 127 : 32767;
  const outBits = p.outputType === "int8" ? 8 : 16;
  const { depth, inputMultiplier, inputLeftShift, diffMin } = p;
  for (let i = 0; i < p.outerSize; i++) {
    const row = i * depth;
    let maxInRow = -128;
    for (let c = 0; c < depth; c++) if (x[row + c]! > maxInRow) maxInRow = x[row + c]!;

    let sumOfExps = 0; // Q12.19
    for (let c = 0; c < depth; c++) {
      const diff = x[row + c]! - maxInRow;
      if (diff >= diffMin) {
        const scaled = multiplyByQuantizedMultiplierGreaterThanOne(diff, inputMultiplier, inputLeftShift);
        sumOfExps = (sumOfExps + rescale(expOnNegativeValues(scaled, SCALED_DIFF_INTEGER_BITS), 0, ACCUMULATION_INTEGER_BITS)) | 0;
      }
    }

    const { reciprocal: shiftedScale, numBitsOverUnit } = getReciprocal(sumOfExps, ACCUMULATION_INTEGER_BITS);
    const exponent = numBitsOverUnit + 31 - outBits;
    for (let c = 0; c < depth; c++) {
      const diff = x[row + c]! - maxInRow;
      if (diff >= diffMin) {
        const scaled = multiplyByQuantizedMultiplierGreaterThanOne(diff, inputMultiplier, inputLeftShift);
        const expIn0 = expOnNegativeValues(scaled, SCALED_DIFF_INTEGER_BITS);
        const unsat = roundingDivideByPOT(saturatingRoundingDoublingHighMul(shiftedScale, expIn0), exponent);
        const shifted = unsat + outMin;
        out[row + c] = shifted > outMax ? outMax : shifted < outMin ? outMin : shifted;
      } else {
        out[row + c] = outMin;
      }
    }
  }
}

function softmaxFloat(p: SoftmaxParams, x: Float32Array, out: Float32Array): void {
  const fr = Math.fround;
  const beta = fr(p.beta);
  for (let i = 0; i < p.outerSize; i++) {
    const row = i * p.depth;
    let max = -3.4028234663852886e38;
    for (let c = 0; c < p.depth; c++) if (x[row + c]! > max) max = x[row + c]!;
    let sum = 0;
    for (let c = 0; c < p.depth; c++) {
      // std::exp on a float argument (expf); Math.exp rounded to float can
      // differ from a libm expf by an ulp — float outputs are compared with
      // a tolerance, never bit-exactly.
      const e = fr(Math.exp(fr(fr(x[row + c]! - max) * beta)));
      out[row + c] = e;
      sum = fr(sum + e);
    }
    for (let c = 0; c < p.depth; c++) out[row + c] = fr(out[row + c]! / sum);
  }
}
