// TANH: tensorflow/lite/micro/kernels/tanh.cc (prepare and eval),
// reference_integer_ops::Tanh (int8: gemmlowp::tanh on a Q4.27 input) and
// reference_ops::Tanh (float).

import { fixedTanh } from "../../fixedpoint/gemmlowp.js";
import { multiplyByQuantizedMultiplier, roundingDivideByPOT } from "../../fixedpoint/rounding.js";
import type { BuiltinKernel } from "../kernel.js";
import { flatSize, input, output, sameDType, scaleOf, unsupportedTypes, zeroPointOf } from "../tensors.js";
import { q4InputRescale, type LogisticParams } from "./logistic.js";

const INPUT_INTEGER_BITS = 4;

export type TanhParams = LogisticParams;

export const tanh: BuiltinKernel<"TANH", TanhParams> = {
  prepare(ctx) {
    const x = input(ctx, 0);
    const y = output(ctx);
    const dtype = sameDType(ctx, [x, y]);
    const size = flatSize(x.shape);
    if (dtype === "float32") return { dtype, size, inputZeroPoint: 0, inputRangeRadius: 0, inputMultiplier: 0, inputLeftShift: 0 };
    if (dtype !== "int8") unsupportedTypes(ctx, dtype, "int8, float32");
    const r = q4InputRescale(scaleOf(x));
    return { dtype, size, inputZeroPoint: zeroPointOf(x), inputRangeRadius: r.radius, inputMultiplier: r.multiplier, inputLeftShift: r.shift };
  },
  eval(p, io) {
    if (p.dtype === "float32") {
      const x = io.inputs[0] as Float32Array;
      const out = io.outputs[0] as Float32Array;
      // std::tanh(float) is tanhf; Math.tanh rounded to float may differ by an ulp.
      for (let i = 0; i < p.size; i++) out[i] = Math.fround(Math.tanh(x[i]!));
      return;
    }
    const x = io.inputs[0] as Int8Array;
    const out = io.outputs[0] as Int8Array;
    for (let i = 0; i < p.size; i++) {
      const v = x[i]! - p.inputZeroPoint;
      if (v <= -p.inputRangeRadius) out[i] = -128;
      else if (v >= p.inputRangeRadius) out[i] = 127;
      else {
        const inQ4 = multiplyByQuantizedMultiplier(v, p.inputMultiplier, p.inputLeftShift);
        // Q0.31 -> Q0.7 (kOutputScale = 7); the output zero point is 0 by contract.
        const o = roundingDivideByPOT(fixedTanh(inQ4, INPUT_INTEGER_BITS), 24);
        out[i] = o < -128 ? -128 : o > 127 ? 127 : o;
      }
    }
  },
};
