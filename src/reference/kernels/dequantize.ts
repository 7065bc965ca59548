// DEQUANTIZE: tensorflow/lite/micro/kernels/dequantize.cc +
// dequantize_common.cc with reference_ops::Dequantize:
// static_cast<float>(double(scale) * (val - zero_point)).

import type { BuiltinKernel } from "../kernel.js";
import { flatSize, input, output, scaleOf, unsupportedTypes, zeroPointOf } from "../tensors.js";

export interface DequantizeParams {
  size: number;
  scale: number;
  zeroPoint: number;
}

export const dequantize: BuiltinKernel<"DEQUANTIZE", DequantizeParams> = {
  prepare(ctx) {
    const x = input(ctx, 0);
    const y = output(ctx);
    if ((x.dtype !== "int8" && x.dtype !== "uint8" && x.dtype !== "int16") || y.dtype !== "float32") {
      unsupportedTypes(ctx, `${x.dtype} -> ${y.dtype}`, "int8, uint8, int16 -> float32");
    }
    return { size: flatSize(x.shape), scale: scaleOf(x), zeroPoint: zeroPointOf(x) };
  },
  eval(p, io) {
    const x = io.inputs[0] as Int8Array;
    const out = io.outputs[0] as Float32Array;
    for (let i = 0; i < p.size; i++) out[i] = p.scale * (x[i]! - p.zeroPoint);
  },
};
