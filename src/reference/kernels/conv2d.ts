// CONV_2D: tensorflow/lite/micro/kernels/conv.cc + conv_common.cc (prepare),
// reference_integer_ops::ConvPerChannel (int8) and reference_ops::Conv (float).

import { activationRangeFloat } from "../../fixedpoint/activation.js";
import { multiplyByQuantizedMultiplier } from "../../fixedpoint/rounding.js";
import type { BuiltinKernel } from "../kernel.js";
import { computePaddingHeightWidth } from "../padding.js";
import { outputActivationRange, perChannelMultipliers } from "../quant-params.js";
import { input, invalidOp, output, unsupportedTypes, zeroPointOf } from "../tensors.js";
import { isPointwise, pointwiseInt8 } from "./conv2d-pointwise.js";

export interface Conv2DParams {
  dtype: "int8" | "float32";
  /** NHWC input, OHWI filter, NHWC output. */
  inputShape: number[];
  filterShape: number[];
  outputShape: number[];
  strideH: number;
  strideW: number;
  dilationH: number;
  dilationW: number;
  padH: number;
  padW: number;
  hasBias: boolean;
  /** -input_zero_point (int8). */
  inputOffset: number;
  outputOffset: number;
  /** Per output channel (broadcast when the filter is per-tensor). */
  outputMultiplier: number[];
  outputShift: number[];
  /** Fused activation: an integer range for int8, a real range for float. */
  activationMin: number;
  activationMax: number;
}

export const conv2d: BuiltinKernel<"CONV_2D", Conv2DParams> = {
  prepare(ctx) {
    const o = ctx.op.options;
    const x = input(ctx, 0);
    const filter = input(ctx, 1);
    const bias = ctx.inputs[2];
    const y = output(ctx);
    if (x.shape.length !== 4 || filter.shape.length !== 4) invalidOp(ctx, "input and filter must be 4-D");
    const isInt8 = x.dtype === "int8" && filter.dtype === "int8" && y.dtype === "int8";
    const isFloat = x.dtype === "float32" && filter.dtype === "float32" && y.dtype === "float32";
    if (!isInt8 && !isFloat) {
      unsupportedTypes(ctx, `input ${x.dtype}, filter ${filter.dtype}, output ${y.dtype}`, "int8 (int8 filter, int32 bias) or float32");
    }
    const [, inH, inW] = x.shape as [number, number, number, number];
    const [outChannels, fH, fW] = filter.shape as [number, number, number, number];
    const { padding } = computePaddingHeightWidth(o.strideH, o.strideW, o.dilationH, o.dilationW, inH, inW, fH, fW, o.padding);
    const quant = isInt8 ? perChannelMultipliers(x, filter, y, outChannels) : { multiplier: [], shift: [] };
    const range = isInt8 ? outputActivationRange(o.activation, y) : activationRangeFloat(o.activation);
    return {
      dtype: isInt8 ? "int8" : "float32",
      inputShape: [...x.shape],
      filterShape: [...filter.shape],
      outputShape: [...y.shape],
      strideH: o.strideH,
      strideW: o.strideW,
      dilationH: o.dilationH,
      dilationW: o.dilationW,
      padH: padding.height,
      padW: padding.width,
      hasBias: bias !== undefined,
      inputOffset: -zeroPointOf(x),
      outputOffset: zeroPointOf(y),
      outputMultiplier: quant.multiplier,
      outputShift: quant.shift,
      activationMin: range.min,
      activationMax: range.max,
    };
  },
  eval(p, io) {
    if (p.dtype === "int8") {
      convInt8(p, io.inputs[0] as Int8Array, io.inputs[1] as Int8Array, io.inputs[2] as Int32Array | undefined, io.outputs[0] as Int8Array);
    } else {
      convFloat(p, io.inputs[0] as Float32Array, io.inputs[1] as Float32Array, io.inputs[2] as Float32Array | undefined, io.outputs[0] as Float32Array);
    }
  },
};

/**
 * ConvPerChannel, restructured for speed but with the same result bit for
 * bit: every term w * (x + input_offset) is an integer below 2^15 and a
 * window has far fewer than 2^38 of them, so the double sums are exact and
 * their order cannot matter; `| 0` after the bias gives C's int32 wrap.
 * The input offset is added once per element instead of once per MAC, each
 * window's valid taps are found once for all output channels, and four
 * output channels share every input load.
 */
function convInt8(p: Conv2DParams, x: Int8Array, w: Int8Array, bias: Int32Array | undefined, out: Int8Array): void {
  if (isPointwise(p)) {
    pointwiseInt8(p, x, w, bias, out);
    return;
  }
  const [batches, inH, inW, inDepth] = p.inputShape as [number, number, number, number];
  const [outDepth, fH, fW, fDepth] = p.filterShape as [number, number, number, number];
  const [, outH, outW] = p.outputShape as [number, number, number, number];
  const groups = inDepth / fDepth;
  const filtersPerGroup = outDepth / groups;
  const { inputOffset, outputOffset, activationMin, activationMax, outputMultiplier, outputShift } = p;
  const xo = new Int32Array(x.length);
  for (let i = 0; i < x.length; i++) xo[i] = x[i]! + inputOffset;
  const filterSize = fH * fW * fDepth;
  // The window's valid taps: where their input channels start, and their filter offset.
  const tapX = new Int32Array(fH * fW);
  const tapW = new Int32Array(fH * fW);
  const acc = new Float64Array(outDepth);
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const inY0 = oy * p.strideH - p.padH;
      for (let ox = 0; ox < outW; ox++) {
        const inX0 = ox * p.strideW - p.padW;
        let taps = 0;
        for (let fy = 0; fy < fH; fy++) {
          const inY = inY0 + p.dilationH * fy;
          if (inY < 0 || inY >= inH) continue;
          for (let fx = 0; fx < fW; fx++) {
            const inX = inX0 + p.dilationW * fx;
            if (inX < 0 || inX >= inW) continue;
            tapX[taps] = ((b * inH + inY) * inW + inX) * inDepth;
            tapW[taps] = (fy * fW + fx) * fDepth;
            taps++;
          }
        }
        for (let oc = 0; oc < outDepth; ) {
          const group = Math.trunc(oc / filtersPerGroup);
          const groupEnd = (group + 1) * filtersPerGroup;
          const groupBase = group * fDepth;
          if (oc + 4 <= groupEnd) {
            let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
            for (let t = 0; t < taps; t++) {
              const xb = tapX[t]! + groupBase;
              const w0 = oc * filterSize + tapW[t]!;
              const w1 = w0 + filterSize, w2 = w1 + filterSize, w3 = w2 + filterSize;
              for (let ic = 0; ic < fDepth; ic++) {
                const v = xo[xb + ic]!;
                a0 += w[w0 + ic]! * v;
                a1 += w[w1 + ic]! * v;
                a2 += w[w2 + ic]! * v;
                a3 += w[w3 + ic]! * v;
              }
            }
            acc[oc] = a0; acc[oc + 1] = a1; acc[oc + 2] = a2; acc[oc + 3] = a3;
            oc += 4;
          } else {
            let a = 0;
            for (let t = 0; t < taps; t++) {
              const xb = tapX[t]! + groupBase;
              const wb = oc * filterSize + tapW[t]!;
              for (let ic = 0; ic < fDepth; ic++) a += w[wb + ic]! * xo[xb + ic]!;
            }
            acc[oc] = a;
            oc += 1;
          }
        }
        const outBase = ((b * outH + oy) * outW + ox) * outDepth;
        for (let oc = 0; oc < outDepth; oc++) {
          const total = bias ? acc[oc]! + bias[oc]! : acc[oc]!;
          let v = multiplyByQuantizedMultiplier(total | 0, outputMultiplier[oc]!, outputShift[oc]!) + outputOffset;
          v = v < activationMin ? activationMin : v > activationMax ? activationMax : v;
          out[outBase + oc] = v;
        }
      }
    }
  }
}

function convFloat(p: Conv2DParams, x: Float32Array, w: Float32Array, bias: Float32Array | undefined, out: Float32Array): void {
  const [batches, inH, inW, inDepth] = p.inputShape as [number, number, number, number];
  const [outDepth, fH, fW, fDepth] = p.filterShape as [number, number, number, number];
  const [, outH, outW] = p.outputShape as [number, number, number, number];
  const groups = inDepth / fDepth;
  const filtersPerGroup = outDepth / groups;
  const fr = Math.fround;
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const inY0 = oy * p.strideH - p.padH;
      for (let ox = 0; ox < outW; ox++) {
        const inX0 = ox * p.strideW - p.padW;
        const outBase = ((b * outH + oy) * outW + ox) * outDepth;
        for (let oc = 0; oc < outDepth; oc++) {
          const groupBase = Math.trunc(oc / filtersPerGroup) * fDepth;
          // float accumulation in C order: each product and sum rounds to float.
          let total = 0;
          for (let fy = 0; fy < fH; fy++) {
            const inY = inY0 + p.dilationH * fy;
            for (let fx = 0; fx < fW; fx++) {
              const inX = inX0 + p.dilationW * fx;
              if (inY < 0 || inY >= inH || inX < 0 || inX >= inW) continue;
              const xBase = ((b * inH + inY) * inW + inX) * inDepth + groupBase;
              const wBase = ((oc * fH + fy) * fW + fx) * fDepth;
              for (let ic = 0; ic < fDepth; ic++) total = fr(total + fr(x[xBase + ic]! * w[wBase + ic]!));
            }
          }
          const v = fr(total + (bias ? bias[oc]! : 0));
          out[outBase + oc] = v < p.activationMin ? p.activationMin : v > p.activationMax ? p.activationMax : v;
        }
      }
    }
  }
}
