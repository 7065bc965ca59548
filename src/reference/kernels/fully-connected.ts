// FULLY_CONNECTED: tensorflow/lite/micro/kernels/fully_connected.cc +
// fully_connected_common.cc (prepare), reference_integer_ops::FullyConnected
// / FullyConnectedPerChannel (int8) and reference_ops::FullyConnected (float).

import { activationRangeFloat } from "../../fixedpoint/activation.js";
import { quantizeMultiplier } from "../../fixedpoint/multiplier.js";
import { multiplyByQuantizedMultiplier } from "../../fixedpoint/rounding.js";
import type { BuiltinKernel } from "../kernel.js";
import { outputActivationRange, perChannelMultipliers } from "../quant-params.js";
import { flatSize, input, invalidOp, output, scaleOf, unsupportedTypes, zeroPointOf } from "../tensors.js";

export interface FullyConnectedParams {
  dtype: "int8" | "float32";
  batches: number;
  outputDepth: number;
  accumDepth: number;
  inputOffset: number;
  /** -filter_zero_point; TFLM requires symmetric filters, kept for the per-tensor formula. */
  filterOffset: number;
  outputOffset: number;
  /** One entry for per-tensor filters, one per output channel otherwise. */
  outputMultiplier: number[];
  outputShift: number[];
  activationMin: number;
  activationMax: number;
}

export const fullyConnected: BuiltinKernel<"FULLY_CONNECTED", FullyConnectedParams> = {
  prepare(ctx) {
    const o = ctx.op.options;
    const x = input(ctx, 0);
    const filter = input(ctx, 1);
    const y = output(ctx);
    if (o.weightsFormat !== "DEFAULT") unsupportedTypes(ctx, `weights format ${o.weightsFormat}`, "DEFAULT weights");
    const isInt8 = x.dtype === "int8" && filter.dtype === "int8" && y.dtype === "int8";
    const isFloat = x.dtype === "float32" && filter.dtype === "float32" && y.dtype === "float32";
    if (!isInt8 && !isFloat) {
      unsupportedTypes(ctx, `input ${x.dtype}, filter ${filter.dtype}, output ${y.dtype}`, "int8 (int8 filter, int32 bias) or float32");
    }
    if (filter.shape.length < 2 || y.shape.length < 1) invalidOp(ctx, "filter must be at least 2-D");
    const outputDepth = y.shape[y.shape.length - 1]!;
    const accumDepth = filter.shape[filter.shape.length - 1]!;
    const batches = flatSize(y.shape) / outputDepth;
    let multiplier: number[] = [];
    let shift: number[] = [];
    if (isInt8) {
      if ((filter.quantization?.scale.length ?? 0) > 1) {
        ({ multiplier, shift } = perChannelMultipliers(x, filter, y, outputDepth));
      } else {
        // GetQuantizedConvolutionMultipler: the scale product is taken in float.
        const q = quantizeMultiplier(Math.fround(scaleOf(x) * scaleOf(filter)) / scaleOf(y));
        multiplier = [q.multiplier];
        shift = [q.shift];
      }
    }
    const range = isInt8 ? outputActivationRange(o.activation, y) : activationRangeFloat(o.activation);
    return {
      dtype: isInt8 ? "int8" : "float32",
      batches,
      outputDepth,
      accumDepth,
      inputOffset: -zeroPointOf(x),
      filterOffset: -zeroPointOf(filter),
      outputOffset: zeroPointOf(y),
      outputMultiplier: multiplier,
      outputShift: shift,
      activationMin: range.min,
      activationMax: range.max,
    };
  },
  eval(p, io) {
    if (p.dtype === "int8") {
      fcInt8(p, io.inputs[0] as Int8Array, io.inputs[1] as Int8Array, io.inputs[2] as Int32Array | undefined, io.outputs[0] as Int8Array);
    } else {
      fcFloat(p, io.inputs[0] as Float32Array, io.inputs[1] as Float32Array, io.inputs[2] as Float32Array | undefined, io.outputs[0] as Float32Array);
    }
  },
};

function fcInt8(p: FullyConnectedParams, x: Int8Array, w: Int8Array, bias: Int32Array | undefined, out: Int8Array): void {
  const { batches, outputDepth, accumDepth, inputOffset, filterOffset, outputOffset, activationMin, activationMax } = p;
  const perChannel = p.outputMultiplier.length > 1;
  for (let b = 0; b < batches; b++) {
    for (let oc = 0; oc < outputDepth; oc++) {
      let acc = 0;
      const xBase = b * accumDepth;
      const wBase = oc * accumDepth;
      for (let d = 0; d < accumDepth; d++) acc += (w[wBase + d]! + filterOffset) * (x[xBase + d]! + inputOffset);
      if (bias) acc += bias[oc]!;
      const c = perChannel ? oc : 0;
      let v = multiplyByQuantizedMultiplier(acc | 0, p.outputMultiplier[c]!, p.outputShift[c]!) + outputOffset;
      v = v < activationMin ? activationMin : v > activationMax ? activationMax : v;
      out[oc + outputDepth * b] = v;
    }
  }
}

function fcFloat(p: FullyConnectedParams, x: Float32Array, w: Float32Array, bias: Float32Array | undefined, out: Float32Array): void {
  const { batches, outputDepth, accumDepth } = p;
  const fr = Math.fround;
  for (let b = 0; b < batches; b++) {
    for (let oc = 0; oc < outputDepth; oc++) {
      let total = 0;
      for (let d = 0; d < accumDepth; d++) total = fr(total + fr(x[b * accumDepth + d]! * w[oc * accumDepth + d]!));
      const v = fr(total + (bias ? bias[oc]! : 0));
      out[oc + outputDepth * b] = v < p.activationMin ? p.activationMin : v > p.activationMax ? p.activationMax : v;
    }
  }
}
