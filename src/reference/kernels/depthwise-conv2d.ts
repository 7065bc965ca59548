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
 * the input offset is added once per element, each window's valid taps are
 * found once for all channels, and with depth multiplier 1 four channels
 * sum over the taps in registers (otherwise each tap runs over all channels
 * in memory order).
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
  // The window's valid taps: where their input pixel starts, and their filter row.
  const tapX = new Int32Array(fH * fW);
  const tapW = new Int32Array(fH * fW);
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
            tapW[taps] = (fy * fW + fx) * outDepth;
            taps++;
          }
        }
        if (m === 1) {
          // Four channels at a time over the window's taps, in registers.
          let c = 0;
          for (; c + 4 <= outDepth; c += 4) {
            let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
            for (let t = 0; t < taps; t++) {
              const xb = tapX[t]! + c, wb = tapW[t]! + c;
              a0 += w[wb]! * xo[xb]!;
              a1 += w[wb + 1]! * xo[xb + 1]!;
              a2 += w[wb + 2]! * xo[xb + 2]!;
              a3 += w[wb + 3]! * xo[xb + 3]!;
            }
            acc[c] = a0; acc[c + 1] = a1; acc[c + 2] = a2; acc[c + 3] = a3;
          }
          for (; c < outDepth; c++) {
            let a = 0;
            for (let t = 0; t < taps; t++) a += w[tapW[t]! + c]! * xo[tapX[t]! + c]!;
            acc[c] = a;
          }
        } else {
          acc.fill(0);
          for (let t = 0; t < taps; t++) {
            const xb = tapX[t]!, wb = tapW[t]!;
            for (let ic = 0; ic < inDepth; ic++) {
              const v = xo[xb + ic]!;
              for (let mi = 0, oc = ic * m; mi < m; mi++, oc++) acc[oc] += w[wb + oc]! * v;
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
