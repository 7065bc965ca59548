// MEAN: tensorflow/lite/micro/kernels/reduce.cc + reduce_common.cc. int8/int16
// use reference_ops::QuantizedMeanOrSum: an int32 sum per output, then one
// requantization whose multiplier absorbs 1/num_elements (computed here once
// from constants). float uses Mean / the 4-D (axes 1, 2) special case — both
// sum in input order in float and divide once, so one path covers them.

import { quantizeMultiplier } from "../../fixedpoint/multiplier.js";
import { multiplyByQuantizedMultiplier } from "../../fixedpoint/rounding.js";
import type { BuiltinKernel } from "../kernel.js";
import { constantInt32, flatSize, input, invalidOp, output, scaleOf, unsupportedTypes, zeroPointOf } from "../tensors.js";

export interface MeanParams {
  dtype: "int8" | "int16" | "float32";
  inputShape: number[];
  /** For each input dim, the stride into the output (0 for reduced dims). */
  outputStrides: number[];
  outputSize: number;
  /** Elements averaged into each output. */
  count: number;
  inputZeroPoint: number;
  outputZeroPoint: number;
  multiplier: number;
  shift: number;
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
      const q = quantizeMultiplier(scaleOf(x) / scaleOf(y));
      // QuantizedMeanOrSum folds 1/count into the multiplier: shift it up by
      // floor(log2(count)) (capped at 32 and at 31 + shift), then divide in int64.
      let extra = count > 0 ? 63 - (64 - count.toString(2).length) : 0;
      extra = Math.min(extra, 32, 31 + q.shift);
      multiplier = count > 0 ? Number(BigInt.asIntN(32, (BigInt(q.multiplier) << BigInt(extra)) / BigInt(count))) : q.multiplier;
      shift = q.shift - extra;
    }
    return { dtype, inputShape: [...x.shape], outputStrides, outputSize, count, inputZeroPoint: zeroPointOf(x), outputZeroPoint: zeroPointOf(y), multiplier, shift };
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
    for (let k = 0; k < p.outputSize; k++) {
      const shifted = (sums[k]! - p.inputZeroPoint * p.count) | 0;
      const v = multiplyByQuantizedMultiplier(shifted, p.multiplier, p.shift) + p.outputZeroPoint;
      out[k] = v < lo ? lo : v > hi ? hi : v;
    }
  },
};
