// PAD: tensorflow/lite/micro/kernels/pad.cc + pad_common.cc with
// reference_ops::Pad. Quantized tensors pad with the output zero point
// unless a constant_values input is given.

import { constantValues } from "../../model/graph.js";
import type { Tensor } from "../../model/ir.js";
import type { BuiltinKernel } from "../kernel.js";
import { constantInt32, input, invalidOp, output, unsupportedTypes, zeroPointOf } from "../tensors.js";

export interface PadParams {
  inputShape: number[];
  outputShape: number[];
  /** Padding before each dim. */
  before: number[];
  padValue: number;
}

export const pad: BuiltinKernel<"PAD", PadParams> = {
  prepare(ctx) {
    const x = input(ctx, 0);
    const y = output(ctx);
    if (x.dtype !== y.dtype) invalidOp(ctx, `input ${x.dtype} and output ${y.dtype} differ`);
    if (x.dtype === "int64" || x.dtype === "bool") unsupportedTypes(ctx, x.dtype, "float32, int8, uint8, int16, int32");
    const paddings = constantInt32(ctx, 1);
    const rank = x.shape.length;
    if (paddings.length !== rank * 2) invalidOp(ctx, `paddings has ${paddings.length} values, expected ${rank * 2}`);
    const before = Array.from({ length: rank }, (_, d) => paddings[2 * d]!);
    const outputShape = x.shape.map((n, d) => n + paddings[2 * d]! + paddings[2 * d + 1]!);
    if (outputShape.some((n, d) => n !== y.shape[d])) invalidOp(ctx, `padded shape [${outputShape.join(", ")}] != output [${y.shape.join(", ")}]`);
    const constant = ctx.inputs[2];
    let padValue = x.dtype === "float32" ? 0 : zeroPointOf(y);
    if (constant) {
      if (!constant.data) invalidOp(ctx, "constant_values must be a constant tensor");
      padValue = Number(constantValues(constant as Tensor & { dtype: "int8" })[0]);
    }
    return { inputShape: [...x.shape], outputShape, before, padValue };
  },
  eval(p, io) {
    const x = io.inputs[0] as Int8Array;
    const out = io.outputs[0] as Int8Array;
    const rank = p.outputShape.length;
    const idx = new Array<number>(rank).fill(0);
    const total = p.outputShape.reduce((a, b) => a * b, 1);
    for (let o = 0; o < total; o++) {
      let inside = true;
      let src = 0;
      for (let d = 0; d < rank; d++) {
        const i = idx[d]! - p.before[d]!;
        if (i < 0 || i >= p.inputShape[d]!) {
          inside = false;
          break;
        }
        src = src * p.inputShape[d]! + i;
      }
      out[o] = inside ? x[src]! : p.padValue;
      for (let d = rank - 1; d >= 0; d--) {
        if (++idx[d]! < p.outputShape[d]!) break;
        idx[d] = 0;
      }
    }
  },
};
