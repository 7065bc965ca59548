// MINIMUM and MAXIMUM: tensorflow/lite/micro/kernels/maximum_minimum.cc with
// reference_ops::MaximumMinimumBroadcastSlow. Quantized inputs are compared
// raw: TFLM requires all three tensors to share quantization.

import type { DType } from "../../model/dtype.js";
import { broadcastBinary, planBroadcast, type BroadcastPlan } from "../broadcast.js";
import type { BuiltinKernel, BuiltinPrepareContext } from "../kernel.js";
import { input, output, sameDType, unsupportedTypes } from "../tensors.js";

export interface MinMaxParams {
  dtype: DType;
  plan: BroadcastPlan;
}

type Tensors = Int8Array | Int16Array | Int32Array | Float32Array;

function prepareMinMax(ctx: BuiltinPrepareContext<"MINIMUM" | "MAXIMUM">): MinMaxParams {
  const a = input(ctx, 0);
  const b = input(ctx, 1);
  const y = output(ctx);
  const dtype = sameDType(ctx, [a, b, y]);
  if (dtype !== "float32" && dtype !== "int8" && dtype !== "int16" && dtype !== "int32") {
    unsupportedTypes(ctx, dtype, "float32, int8, int16, int32");
  }
  return { dtype, plan: planBroadcast(ctx, a, b, y) };
}

export const maximum: BuiltinKernel<"MAXIMUM", MinMaxParams> = {
  prepare: prepareMinMax,
  eval: (p, io) => broadcastBinary(p.plan, io.inputs[0] as Tensors, io.inputs[1] as Tensors, io.outputs[0] as Tensors, (x, y) => (x > y ? x : y)),
};

export const minimum: BuiltinKernel<"MINIMUM", MinMaxParams> = {
  prepare: prepareMinMax,
  eval: (p, io) => broadcastBinary(p.plan, io.inputs[0] as Tensors, io.inputs[1] as Tensors, io.outputs[0] as Tensors, (x, y) => (x < y ? x : y)),
};
