// HARD_SWISH: tensorflow/lite/micro/kernels/hard_swish.cc +
// hard_swish_common.cc (prepare), reference_ops::HardSwish (int8 16-bit
// fixed-point path, and float).

import { downScaleInt32ToInt16Multiplier, quantizeMultiplier } from "../../fixedpoint/multiplier.js";
import {
  roundingDivideByPOT16,
  saturatingDoublingHighMul16,
  saturatingLeftShift16,
  saturatingRoundingDoublingHighMul16,
  toInt16,
} from "../../fixedpoint/int16.js";
import type { BuiltinKernel } from "../kernel.js";
import { flatSize, input, invalidOp, output, sameDType, scaleOf, unsupportedTypes, zeroPointOf } from "../tensors.js";

export interface HardSwishParams {
  dtype: "int8" | "float32";
  size: number;
  inputZeroPoint: number;
  outputZeroPoint: number;
  reluishMultiplierFixedpointInt16: number;
  reluishMultiplierExponent: number;
  outputMultiplierFixedpointInt16: number;
  outputMultiplierExponent: number;
}

export const hardSwish: BuiltinKernel<"HARD_SWISH", HardSwishParams> = {
  prepare(ctx) {
    const x = input(ctx, 0);
    const y = output(ctx);
    const dtype = sameDType(ctx, [x, y]);
    const size = flatSize(x.shape);
    const none = { size, inputZeroPoint: 0, outputZeroPoint: 0, reluishMultiplierFixedpointInt16: 0, reluishMultiplierExponent: 0, outputMultiplierFixedpointInt16: 0, outputMultiplierExponent: 0 };
    if (dtype === "float32") return { dtype, ...none };
    if (dtype !== "int8") unsupportedTypes(ctx, dtype, "int8, float32");
    // These scales are float products and quotients in the C++.
    const fr = Math.fround;
    const hiresInputScale = fr(fr(1 / 128) * scaleOf(x));
    const reluishScale = fr(3 / 32768);
    const outputQ = quantizeMultiplier(fr(hiresInputScale / scaleOf(y)));
    const reluishQ = quantizeMultiplier(fr(hiresInputScale / reluishScale));
    if (outputQ.shift > 0) invalidOp(ctx, "output scale too small relative to input scale");
    return {
      dtype,
      size,
      inputZeroPoint: zeroPointOf(x),
      outputZeroPoint: zeroPointOf(y),
      reluishMultiplierFixedpointInt16: downScaleInt32ToInt16Multiplier(reluishQ.multiplier),
      reluishMultiplierExponent: reluishQ.shift,
      outputMultiplierFixedpointInt16: downScaleInt32ToInt16Multiplier(outputQ.multiplier),
      outputMultiplierExponent: outputQ.shift,
    };
  },
  eval(p, io) {
    if (p.dtype === "float32") {
      const x = io.inputs[0] as Float32Array;
      const out = io.outputs[0] as Float32Array;
      const fr = Math.fround;
      for (let i = 0; i < p.size; i++) {
        const v = x[i]!;
        out[i] = fr(fr(v * Math.min(6, Math.max(0, fr(v + 3)))) / 6);
      }
      return;
    }
    const x = io.inputs[0] as Int8Array;
    const out = io.outputs[0] as Int8Array;
    for (let i = 0; i < p.size; i++) {
      const inputValue = toInt16(x[i]! - p.inputZeroPoint);
      const hires = toInt16(inputValue * 128);
      const preshiftOutput = saturatingRoundingDoublingHighMul16(hires, p.outputMultiplierFixedpointInt16);
      let reluish = hires;
      if (p.reluishMultiplierExponent > 0) reluish = saturatingLeftShift16(reluish, p.reluishMultiplierExponent - 1);
      reluish = saturatingRoundingDoublingHighMul16(reluish, p.reluishMultiplierFixedpointInt16);
      if (p.reluishMultiplierExponent > 0) reluish = saturatingLeftShift16(reluish, 1);
      if (p.reluishMultiplierExponent < 0) reluish = roundingDivideByPOT16(reluish, -p.reluishMultiplierExponent);
      // [-1, 1] -> [0, 1] in Q0.15.
      reluish = toInt16((reluish + (1 << 15)) >> 1);
      const preshift = saturatingDoublingHighMul16(reluish, preshiftOutput);
      let o = toInt16(roundingDivideByPOT16(preshift, -p.outputMultiplierExponent) + p.outputZeroPoint);
      o = o > 127 ? 127 : o < -128 ? -128 : o;
      out[i] = o;
    }
  },
};
