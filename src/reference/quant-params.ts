// Prepare-time quantization parameters shared by several kernels, mirroring
// tensorflow/lite/kernels/kernel_util.cc.

import { activationRangeQuantized, type IntRange } from "../fixedpoint/activation.js";
import { quantizeMultiplier } from "../fixedpoint/multiplier.js";
import type { Tensor } from "../model/ir.js";
import type { Activation } from "../model/ops.js";
import { scaleOf, zeroPointOf } from "./tensors.js";

export interface PerChannelMultipliers {
  multiplier: number[];
  shift: number[];
}

/**
 * PopulateConvolutionQuantizationParams' per-channel part: for each output
 * channel, QuantizeMultiplier(input_scale * filter_scale[c] / output_scale)
 * in double, broadcasting a per-tensor filter scale.
 */
export function perChannelMultipliers(input: Tensor, filter: Tensor, output: Tensor, channels: number): PerChannelMultipliers {
  const filterScales = filter.quantization?.scale ?? [0];
  const perChannel = filterScales.length > 1;
  const multiplier: number[] = [];
  const shift: number[] = [];
  for (let c = 0; c < channels; c++) {
    const fs = perChannel ? filterScales[c]! : filterScales[0]!;
    const q = quantizeMultiplier((scaleOf(input) * fs) / scaleOf(output));
    multiplier.push(q.multiplier);
    shift.push(q.shift);
  }
  return { multiplier, shift };
}

/** CalculateActivationRangeQuantized for an int8/int16 output tensor. */
export function outputActivationRange(activation: Activation, output: Tensor): IntRange {
  const dtype = output.dtype === "int16" ? "int16" : output.dtype === "uint8" ? "uint8" : "int8";
  return activationRangeQuantized(activation, dtype, scaleOf(output), zeroPointOf(output));
}
