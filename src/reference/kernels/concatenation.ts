// CONCATENATION: tensorflow/lite/micro/kernels/concatenation.cc with
// reference_ops::Concatenation. Quantized inputs must share the output's
// quantization in TFLM, so the values are copied unchanged.

import type { NumericArray } from "../../model/dtype.js";
import type { BuiltinKernel } from "../kernel.js";
import { flatSize, input, invalidOp, output, scaleOf, unsupportedTypes, zeroPointOf } from "../tensors.js";

export interface ConcatenationParams {
  /** Product of the dims before the axis. */
  outerSize: number;
  /** For each input: its dims from the axis on, multiplied (the copy size per outer step). */
  copySizes: number[];
}

export const concatenation: BuiltinKernel<"CONCATENATION", ConcatenationParams> = {
  prepare(ctx) {
    const y = output(ctx);
    const rank = y.shape.length;
    const axis = ctx.op.options.axis < 0 ? ctx.op.options.axis + rank : ctx.op.options.axis;
    if (axis < 0 || axis >= rank) invalidOp(ctx, `axis ${ctx.op.options.axis} is out of range for rank ${rank}`);
    if (ctx.op.options.activation !== "NONE") unsupportedTypes(ctx, `fused activation ${ctx.op.options.activation}`, "no fused activation");
    const copySizes: number[] = [];
    for (let i = 0; i < ctx.inputs.length; i++) {
      const x = input(ctx, i);
      if (x.dtype !== y.dtype) invalidOp(ctx, `input ${i} is ${x.dtype}, output is ${y.dtype}`);
      if (y.quantization && (scaleOf(x) !== scaleOf(y) || zeroPointOf(x) !== zeroPointOf(y))) {
        invalidOp(ctx, `input ${i} quantization differs from the output's (TFLM requires them equal)`);
      }
      copySizes.push(flatSize(x.shape.slice(axis)));
    }
    return { outerSize: flatSize(y.shape.slice(0, axis)), copySizes };
  },
  eval(p, io) {
    const out = io.outputs[0] as Int8Array;
    let o = 0;
    for (let k = 0; k < p.outerSize; k++) {
      for (let i = 0; i < p.copySizes.length; i++) {
        const n = p.copySizes[i]!;
        const x = io.inputs[i] as NumericArray as Int8Array;
        out.set(x.subarray(k * n, k * n + n), o);
        o += n;
      }
    }
  },
};
