// CONV_2D int8 when it is a matrix product: 1x1 filters, no padding, one
// group (MobileNet's pointwise layers, most of its MACs). Same exact double
// sums of integer terms as conv2d.ts, blocked for fewer loads per MAC.

import { multiplyByQuantizedMultiplier } from "../../fixedpoint/rounding.js";

/** The fields of conv2d.ts's Conv2DParams this path reads (a Conv2DParams is one). */
export interface PointwiseParams {
  inputShape: number[];
  filterShape: number[];
  outputShape: number[];
  strideH: number;
  strideW: number;
  padH: number;
  padW: number;
  inputOffset: number;
  outputOffset: number;
  outputMultiplier: number[];
  outputShift: number[];
  activationMin: number;
  activationMax: number;
}

/** A 1x1 convolution without padding or groups: a matrix product of pixels by filters. */
export function isPointwise(p: PointwiseParams): boolean {
  const [, fH, fW, fDepth] = p.filterShape as [number, number, number, number];
  return fH === 1 && fW === 1 && p.padH === 0 && p.padW === 0 && fDepth === p.inputShape[3];
}

/**
 * The pointwise case of conv2d.ts's convInt8 (most of a MobileNet's MACs), two output
 * pixels by four channels at a time so that each weight and input load
 * serves two or four MACs; the same exact sums as convInt8.
 */
export function pointwiseInt8(p: PointwiseParams, x: Int8Array, w: Int8Array, bias: Int32Array | undefined, out: Int8Array): void {
  const [batches, inH, inW, depth] = p.inputShape as [number, number, number, number];
  const [outDepth] = p.filterShape as [number];
  const [, outH, outW] = p.outputShape as [number, number, number, number];
  const { inputOffset, outputOffset, activationMin, activationMax, outputMultiplier, outputShift } = p;
  const xo = new Int32Array(x.length);
  for (let i = 0; i < x.length; i++) xo[i] = x[i]! + inputOffset;
  const pixels = batches * outH * outW;
  // Where each output pixel's input channels start.
  const inputAt = new Int32Array(pixels);
  for (let b = 0, k = 0; b < batches; b++) {
    for (let oy = 0; oy < outH; oy++) for (let ox = 0; ox < outW; ox++, k++) inputAt[k] = ((b * inH + oy * p.strideH) * inW + ox * p.strideW) * depth;
  }
  const acc = new Float64Array(2 * outDepth);
  const store = (pixel: number, at: number): void => {
    const outBase = pixel * outDepth;
    for (let oc = 0; oc < outDepth; oc++) {
      const total = bias ? acc[at + oc]! + bias[oc]! : acc[at + oc]!;
      let v = multiplyByQuantizedMultiplier(total | 0, outputMultiplier[oc]!, outputShift[oc]!) + outputOffset;
      v = v < activationMin ? activationMin : v > activationMax ? activationMax : v;
      out[outBase + oc] = v;
    }
  };
  for (let px = 0; px < pixels; px += 2) {
    const pair = px + 1 < pixels;
    const x0 = inputAt[px]!;
    const x1 = pair ? inputAt[px + 1]! : x0;
    let oc = 0;
    for (; oc + 4 <= outDepth; oc += 4) {
      const w0 = oc * depth, w1 = w0 + depth, w2 = w1 + depth, w3 = w2 + depth;
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
      for (let ic = 0; ic < depth; ic++) {
        const u = xo[x0 + ic]!, v = xo[x1 + ic]!;
        const f0 = w[w0 + ic]!, f1 = w[w1 + ic]!, f2 = w[w2 + ic]!, f3 = w[w3 + ic]!;
        a0 += f0 * u; a1 += f1 * u; a2 += f2 * u; a3 += f3 * u;
        b0 += f0 * v; b1 += f1 * v; b2 += f2 * v; b3 += f3 * v;
      }
      acc[oc] = a0; acc[oc + 1] = a1; acc[oc + 2] = a2; acc[oc + 3] = a3;
      acc[outDepth + oc] = b0; acc[outDepth + oc + 1] = b1; acc[outDepth + oc + 2] = b2; acc[outDepth + oc + 3] = b3;
    }
    for (; oc < outDepth; oc++) {
      const wb = oc * depth;
      let a = 0, c = 0;
      for (let ic = 0; ic < depth; ic++) {
        a += w[wb + ic]! * xo[x0 + ic]!;
        c += w[wb + ic]! * xo[x1 + ic]!;
      }
      acc[oc] = a;
      acc[outDepth + oc] = c;
    }
    store(px, 0);
    if (pair) store(px + 1, outDepth);
  }
}
