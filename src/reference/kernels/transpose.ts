// TRANSPOSE: tensorflow/lite/micro/kernels/transpose.cc with
// reference_ops::Transpose (output[i...] = input[perm-permuted i...]).

import type { BuiltinKernel } from "../kernel.js";
import { constantInt32, flatSize, input, invalidOp, output } from "../tensors.js";

export interface TransposeParams {
  inputShape: number[];
  /** The resolved permutation: output dim i is input dim perm[i]. */
  perm: number[];
  outputShape: number[];
  /** Input element stride for each output dim. */
  inputStrides: number[];
}

export const transpose: BuiltinKernel<"TRANSPOSE", TransposeParams> = {
  prepare(ctx) {
    const x = input(ctx, 0);
    const y = output(ctx);
    if (x.dtype !== y.dtype) invalidOp(ctx, `input ${x.dtype} and output ${y.dtype} differ`);
    const rank = x.shape.length;
    const perm = constantInt32(ctx, 1).map((a) => (a < 0 ? a + rank : a));
    if (perm.length !== rank || new Set(perm).size !== rank || perm.some((a) => a < 0 || a >= rank)) {
      invalidOp(ctx, `perm [${perm.join(", ")}] is not a permutation of ${rank} dims`);
    }
    const strides = new Array<number>(rank);
    let s = 1;
    for (let d = rank - 1; d >= 0; d--) {
      strides[d] = s;
      s *= x.shape[d]!;
    }
    const outputShape = perm.map((a) => x.shape[a]!);
    if (flatSize(outputShape) !== flatSize(y.shape)) invalidOp(ctx, "output shape does not match the permuted input");
    return { inputShape: [...x.shape], perm, outputShape, inputStrides: perm.map((a) => strides[a]!) };
  },
  eval(p, io) {
    const x = io.inputs[0] as Int8Array;
    const out = io.outputs[0] as Int8Array;
    const rank = p.outputShape.length;
    const idx = new Array<number>(rank).fill(0);
    const total = flatSize(p.outputShape);
    let src = 0;
    for (let o = 0; o < total; o++) {
      out[o] = x[src]!;
      for (let d = rank - 1; d >= 0; d--) {
        idx[d]!++;
        src += p.inputStrides[d]!;
        if (idx[d]! < p.outputShape[d]!) break;
        src -= p.inputStrides[d]! * p.outputShape[d]!;
        idx[d] = 0;
      }
    }
  },
};
