// DEPTHWISE_CONV_2D: tensorflow/lite/micro/kernels/depthwise_conv.cc +
// depthwise_conv_common.cc (prepare), reference_integer_ops::
// DepthwiseConvPerChannel (int8) and reference_ops::DepthwiseConv (float).

import { activationRangeFloat } from "../../fixedpoint/activation.js";
import { multiplyByQuantizedMultiplier } from "../../fixedpoint/rounding.js";
import type { BuiltinKernel } from "../kernel.js";
import { computePaddingHeightWidth } from "../padding.js";
import { outputActivationRange, perChannelMultipliers } from "../quant-params.js";
import { input, invalidOp, output, unsupportedTypes, zeroPointOf } from "../tensors.js";

export interface DepthwiseConv2DParams {
  dtype: "int8" | "float32";
  /** NHWC input, 1HW(C*M) filter, NHWC output. */
  inputShape: number[];
  filterShape: number[];
  outputShape: number[];
  depthMultiplier: number;
  strideH: number;
  strideW: number;
  dilationH: number;
  dilationW: number;
  padH: number;
  padW: number;
  inputOffset: number;
  outputOffset: number;
  outputMultiplier: number[];
  outputShift: number[];
  activationMin: number;
  activationMax: number;
}

export const depthwiseConv2d: BuiltinKernel<"DEPTHWISE_CONV_2D", DepthwiseConv2DParams> = {
  prepare(ctx) {
    const o = ctx.op.options;
    const x = input(ctx, 0);
    const filter = input(ctx, 1);
    const y = output(ctx);
    if (x.shape.length !== 4 || filter.shape.length !== 4) invalidOp(ctx, "input and filter must be 4-D");
    const isInt8 = x.dtype === "int8" && filter.dtype === "int8" && y.dtype === "int8";
    const isFloat = x.dtype === "float32" && filter.dtype === "float32" && y.dtype === "float32";
    if (!isInt8 && !isFloat) {
      unsupportedTypes(ctx, `input ${x.dtype}, filter ${filter.dtype}, output ${y.dtype}`, "int8 (int8 filter, int32 bias) or float32");
    }
    const [, inH, inW, inDepth] = x.shape as [number, number, number, number];
    const [, fH, fW, outDepth] = filter.shape as [number, number, number, number];
    // The options field is authoritative in TFLM; a converter writing 0 means
    // "derive it", which TFLite does from the shapes.
    const depthMultiplier = o.depthMultiplier > 0 ? o.depthMultiplier : outDepth / inDepth;
    if (outDepth !== inDepth * depthMultiplier) invalidOp(ctx, `output depth ${outDepth} != input depth ${inDepth} x depth multiplier ${depthMultiplier}`);
    const { padding } = computePaddingHeightWidth(o.strideH, o.strideW, o.dilationH, o.dilationW, inH, inW, fH, fW, o.padding);
    const quant = isInt8 ? perChannelMultipliers(x, filter, y, outDepth) : { multiplier: [], shift: [] };
    const range = isInt8 ? outputActivationRange(o.activation, y) : activationRangeFloat(o.activation);
    return {
      dtype: isInt8 ? "int8" : "float32",
      inputShape: [...x.shape],
      filterShape: [...filter.shape],
      outputShape: [...y.shape],
      depthMultiplier,
      strideH: o.strideH,
      strideW: o.strideW,
      dilationH: o.dilationH,
      dilationW: o.dilationW,
      padH: padding.height,
      padW: padding.width,
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
      depthwiseInt8(p, io.inputs[0] as Int8Array, io.inputs[1] as Int8Array, io.inputs[2] as Int32Array | undefined, io.outputs[0] as Int8Array);
    } else {
      depthwiseFloat(p, io.inputs[0] as Float32Array, io.inputs[1] as Float32Array, io.inputs[2] as Float32Array | undefined, io.outputs[0] as Float32Array);
    }
  },
};

/**
 * DepthwiseConvPerChannel, restructured for speed with the same result bit
 * for bit (exact double sums of integer terms below 2^15, as in conv2d.ts):
 * the input offset is added once per element, and each valid tap of a
 * window runs over all channels at once, reading filter and input rows in
 * order instead of striding through the filter per channel.
 */
function depthwiseInt8(p: DepthwiseConv2DParams, x: Int8Array, w: Int8Array, bias: Int32Array | undefined, out: Int8Array): void {
  const [batches, inH, inW, inDepth] = p.inputShape as [number, number, number, number];
  const [, fH, fW, outDepth] = p.filterShape as [number, number, number, number];
  const [, outH, outW] = p.outputShape as [number, number, number, number];
  const m = p.depthMultiplier;
  const { inputOffset, outputOffset, activationMin, activationMax, outputMultiplier, outputShift } = p;
  const xo = new Int32Array(x.length);
  for (let i = 0; i < x.length; i++) xo[i] = x[i]! + inputOffset;
  const acc = new Float64Array(outDepth);
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const inY0 = oy * p.strideH - p.padH;
      for (let ox = 0; ox < outW; ox++) {
        const inX0 = ox * p.strideW - p.padW;
        acc.fill(0);
        for (let fy = 0; fy < fH; fy++) {
          const inY = inY0 + p.dilationH * fy;
          if (inY < 0 || inY >= inH) continue;
          for (let fx = 0; fx < fW; fx++) {
            const inX = inX0 + p.dilationW * fx;
            if (inX < 0 || inX >= inW) continue;
            const xb = ((b * inH + inY) * inW + inX) * inDepth;
            const wb = (fy * fW + fx) * outDepth;
            if (m === 1) {
              for (let c = 0; c < outDepth; c++) acc[c] += w[wb + c]! * xo[xb + c]!;
            } else {
              for (let ic = 0; ic < inDepth; ic++) {
                const v = xo[xb + ic]!;
                for (let mi = 0, oc = ic * m; mi < m; mi++, oc++) acc[oc] += w[wb + oc]! * v;
              }
            }
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

function depthwiseFloat(p: DepthwiseConv2DParams, x: Float32Array, w: Float32Array, bias: Float32Array | undefined, out: Float32Array): void {
  const [batches, inH, inW, inDepth] = p.inputShape as [number, number, number, number];
  const [, fH, fW, outDepth] = p.filterShape as [number, number, number, number];
  const [, outH, outW] = p.outputShape as [number, number, number, number];
  const m = p.depthMultiplier;
  const fr = Math.fround;
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const inY0 = oy * p.strideH - p.padH;
      for (let ox = 0; ox < outW; ox++) {
        const inX0 = ox * p.strideW - p.padW;
        const outBase = ((b * outH + oy) * outW + ox) * outDepth;
        for (let ic = 0; ic < inDepth; ic++) {
          for (let mi = 0; mi < m; mi++) {
            const oc = mi + ic * m;
            let total = 0;
            for (let fy = 0; fy < fH; fy++) {
              const inY = inY0 + p.dilationH * fy;
              for (let fx = 0; fx < fW; fx++) {
                const inX = inX0 + p.dilationW * fx;
                if (inY < 0 || inY >= inH || inX < 0 || inX >= inW) continue;
                total = fr(total + fr(x[((b * inH + inY) * inW + inX) * inDepth + ic]! * w[(fy * fW + fx) * outDepth + oc]!));
              }
            }
            const v = fr(total + (bias ? bias[oc]! : 0));
            out[outBase + oc] = v < p.activationMin ? p.activationMin : v > p.activationMax ? p.activationMax : v;
          }
        }
      }
    }
  }
}
