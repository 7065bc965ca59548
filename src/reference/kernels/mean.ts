// MEAN: tensorflow/lite/micro/kernels/reduce.cc + reduce_common.cc. int8/int16
// use reference_ops::QuantizedMeanOrSum: an int32 sum per output, then one
// requantization. As in TFLM, prepare keeps the plain QuantizeMultiplier(
// in_scale / out_scale) (OpDataReduce::multiplier/shift) and eval folds
// 1/num_elements into it (foldMeanMultiplier), so these params are exactly
// what the C kernel tml_mean_s8 takes. float uses Mean / the 4-D (axes 1, 2)
// special case — both sum in input order in float and divide once, so one
// path covers them.

import { quantizeMultiplier } from "../../fixedpoint/multiplier.js";
import { multiplyByQuantizedMultiplier } from "../../fixedpoint/rounding.js";
import type { BuiltinKernel } from "../kernel.js";
import { constantInt32, flatSize, input, invalidOp, output, scaleOf, unsupportedTypes, zeroPointOf } from "../tensors.js";

export interface MeanParams {
  dtype: "int8" | "int16" | "float32";
  inputShape: number[];
  /** The reduced dims, resolved (non-negative, no duplicates), ascending. */
  axes: number[];
  /** For each input dim, the stride into the output (0 for reduced dims). */
  outputStrides: number[];
  outputSize: number;
  /** Elements averaged into each output. */
  count: number;
  inputZeroPoint: number;
  outputZeroPoint: number;
  /** QuantizeMultiplier(input scale / output scale), before the 1/count fold. */
  multiplier: number;
  shift: number;
}

/**
 * The fold QuantizedMeanOrSum applies at Eval (reference/reduce.h): shift the
 * multiplier up by floor(log2(count)), capped at 32 and at 31 + shift, then
 * divide by count in int64.
 */
export function foldMeanMultiplier(multiplier: number, shift: number, count: number): { multiplier: number; shift: number } {
  let extra = 31 - Math.clz32(count);
  extra = Math.min(extra, 32, 31 + shift);
  const folded = Number(BigInt.asIntN(32, (BigInt(multiplier) << BigInt(extra)) / BigInt(count)));
  return { multiplier: folded, shift: shift - extra };
}

export const mean: BuiltinKernel<"MEAN", MeanParams> = {
  prepare(ctx) {
    const x = input(ctx, 0);
    const y = output(ctx);
    if (x.dtype !== y.dtype) unsupportedTypes(ctx, `${x.dtype} -> ${y.dtype}`, "matching input and output dtypes");
    const dtype = x.dtype;
    if (dtype !== "int8" && dtype !== "int16" && dtype !== "float32") unsupportedTypes(ctx, dtype, "int8, int16, float32");
    const rank = x.shape.length;
    // ResolveAxis: negative axes wrap, duplicates collapse.
    const axes = new Set<number>();
    for (const a of constantInt32(ctx, 1)) {
      const r = a < 0 ? a + rank : a;
      if (r < 0 || r >= rank) invalidOp(ctx, `axis ${a} is out of range for rank ${rank}`);
      axes.add(r);
    }
    const outputStrides = new Array<number>(rank).fill(0);
    let s = 1;
    for (let d = rank - 1; d >= 0; d--) {
      if (axes.has(d)) continue;
      outputStrides[d] = s;
      s *= x.shape[d]!;
    }
    const outputSize = s;
    if (outputSize !== flatSize(y.shape)) invalidOp(ctx, `output has ${flatSize(y.shape)} elements, expected ${outputSize}`);
    let count = 1;
    for (const a of axes) count *= x.shape[a]!;
    let multiplier = 0;
    let shift = 0;
    if (dtype !== "float32") {
      // PrepareMeanOrSumHelper: the ratio of the float scales, in double.
      const q = quantizeMultiplier(scaleOf(x) / scaleOf(y));
      multiplier = q.multiplier;
      shift = q.shift;
    }
    return { dtype, inputShape: [...x.shape], axes: [...axes].sort((a, b) => a - b), outputStrides, outputSize, count, inputZeroPoint: zeroPointOf(x), outputZeroPoint: zeroPointOf(y), multiplier, shift };
  },
  eval(p, io) {
    const x = io.inputs[0] as Int8Array | Int16Array | Float32Array;
    const isFloat = p.dtype === "float32";
    const sums = new Float64Array(p.outputSize);
    const rank = p.inputShape.length;
    const idx = new Array<number>(rank).fill(0);
    const total = flatSize(p.inputShape);
    let o = 0;
    for (let i = 0; i < total; i++) {
      sums[o] = isFloat ? Math.fround(sums[o]! + x[i]!) : (sums[o]! + x[i]!) | 0;
      for (let d = rank - 1; d >= 0; d--) {
        idx[d]!++;
        o += p.outputStrides[d]!;
        if (idx[d]! < p.inputShape[d]!) break;
        o -= p.outputStrides[d]! * p.inputShape[d]!;
        idx[d] = 0;
      }
    }
    if (isFloat) {
      const out = io.outputs[0] as Float32Array;
      for (let k = 0; k < p.outputSize; k++) out[k] = p.count > 0 ? Math.fround(sums[k]! / p.count) : 0;
      return;
    }
    const out = io.outputs[0] as Int8Array | Int16Array;
    const [lo, hi] = p.dtype === "int8" ? [-128, 127] : [-32768, 32767];
    if (p.count === 0) return;
    const q = foldMeanMultiplier(p.multiplier, p.shift, p.count);
    for (let k = 0; k < p.outputSize; k++) {
      const shifted = (sums[k]! - p.inputZeroPoint * p.count) | 0;
      const v = multiplyByQuantizedMultiplier(shifted, q.multiplier, q.shift) + p.outputZeroPoint;
      out[k] = v < lo ? lo : v > hi ? hi : v;
    }
  },
};
