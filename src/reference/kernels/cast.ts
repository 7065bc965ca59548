// CAST: tensorflow/lite/micro/kernels/cast.cc. Each element goes through a
// C++ static_cast; JS typed-array stores implement the same conversions for
// in-range values (truncation toward zero for float -> int, wrap-around for
// narrowing ints, round-to-nearest for int -> float). bool outputs are 0/1.

import type { DType } from "../../model/dtype.js";
import type { BuiltinKernel } from "../kernel.js";
import { flatSize, input, output, unsupportedTypes } from "../tensors.js";

export interface CastParams {
  inputType: DType;
  outputType: DType;
  size: number;
}

const INPUTS: readonly DType[] = ["int8", "uint8", "int16", "uint16", "int32", "uint32", "float32", "bool"];
const OUTPUTS: readonly DType[] = ["int8", "uint8", "int16", "uint16", "int32", "uint32", "float32", "bool"];

export const cast: BuiltinKernel<"CAST", CastParams> = {
  prepare(ctx) {
    const x = input(ctx, 0);
    const y = output(ctx);
    if (!INPUTS.includes(x.dtype) || !OUTPUTS.includes(y.dtype)) {
      unsupportedTypes(ctx, `${x.dtype} -> ${y.dtype}`, `inputs ${INPUTS.join(", ")}; outputs ${OUTPUTS.join(", ")}`);
    }
    return { inputType: x.dtype, outputType: y.dtype, size: flatSize(x.shape) };
  },
  eval(p, io) {
    const x = io.inputs[0] as Float32Array;
    const out = io.outputs[0] as Float32Array;
    if (p.outputType === "bool") {
      for (let i = 0; i < p.size; i++) out[i] = x[i] !== 0 ? 1 : 0;
    } else {
      for (let i = 0; i < p.size; i++) out[i] = x[i]!;
    }
  },
};
