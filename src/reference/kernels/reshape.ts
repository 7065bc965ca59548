// RESHAPE: tensorflow/lite/micro/kernels/reshape.cc — the bytes are already
// in the right order; eval copies them (TFLM aliases when it can).

import type { NumericArray } from "../../model/dtype.js";
import type { BuiltinKernel } from "../kernel.js";
import { flatSize, input, invalidOp, output } from "../tensors.js";

export interface CopyParams {
  size: number;
}

/** Copies elements between two arrays of the same element type. */
export function copyElements(from: NumericArray, to: NumericArray, size: number): void {
  (to as Int8Array).set((from as Int8Array).subarray(0, size));
}

export const reshape: BuiltinKernel<"RESHAPE", CopyParams> = {
  prepare(ctx) {
    const x = input(ctx, 0);
    const y = output(ctx);
    if (x.dtype !== y.dtype) invalidOp(ctx, `input ${x.dtype} and output ${y.dtype} differ`);
    const size = flatSize(x.shape);
    if (size !== flatSize(y.shape)) invalidOp(ctx, `cannot reshape [${x.shape.join(", ")}] to [${y.shape.join(", ")}]`);
    return { size };
  },
  eval: (p, io) => copyElements(io.inputs[0]!, io.outputs[0]!, p.size),
};
