// The reference interpreter's int8 CONV_2D and DEPTHWISE_CONV_2D are
// restructured for speed (offsets added once, taps hoisted, four channels
// per input load, 1x1 convolutions two pixels by four channels); here they must equal, element for element, the loop nests
// of TFLM's reference_integer_ops::ConvPerChannel and
// DepthwiseConvPerChannel, transcribed below as they are written in TFLM
// (one tap at a time, the offset added per MAC, int32 wrap), on random
// shapes covering groups, strides, dilation, padding, depth multipliers,
// extreme offsets and int32-wrapping biases.
import { describe, expect, it } from "vitest";
import { multiplyByQuantizedMultiplier } from "../../src/fixedpoint/rounding.js";
import { conv2d, type Conv2DParams } from "../../src/reference/kernels/conv2d.js";
import { depthwiseConv2d, type DepthwiseConv2DParams } from "../../src/reference/kernels/depthwise-conv2d.js";

/** Deterministic 32-bit PRNG (mulberry32), so a failure reproduces. */
function rng(seed: number): (lo: number, hi: number) => number {
  let a = seed >>> 0;
  return (lo, hi) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
    return lo + Math.floor(u * (hi - lo + 1));
  };
}

const int8s = (r: ReturnType<typeof rng>, n: number): Int8Array => Int8Array.from({ length: n }, () => r(-128, 127));

function tflmConv(p: Conv2DParams, x: Int8Array, w: Int8Array, bias: Int32Array | undefined): Int8Array {
  const [batches, inH, inW, inDepth] = p.inputShape as [number, number, number, number];
  const [outDepth, fH, fW, fDepth] = p.filterShape as [number, number, number, number];
  const [, outH, outW] = p.outputShape as [number, number, number, number];
  const out = new Int8Array(batches * outH * outW * outDepth);
  const groups = inDepth / fDepth;
  const filtersPerGroup = outDepth / groups;
  for (let b = 0; b < batches; b++) for (let oy = 0; oy < outH; oy++) for (let ox = 0; ox < outW; ox++) for (let oc = 0; oc < outDepth; oc++) {
    const group = Math.trunc(oc / filtersPerGroup);
    let acc = 0;
    for (let fy = 0; fy < fH; fy++) for (let fx = 0; fx < fW; fx++) {
      const inY = oy * p.strideH - p.padH + p.dilationH * fy;
      const inX = ox * p.strideW - p.padW + p.dilationW * fx;
      if (inX < 0 || inX >= inW || inY < 0 || inY >= inH) continue;
      for (let ic = 0; ic < fDepth; ic++) {
        const xv = x[((b * inH + inY) * inW + inX) * inDepth + ic + group * fDepth]!;
        const wv = w[((oc * fH + fy) * fW + fx) * fDepth + ic]!;
        acc = (acc + Math.imul(wv, xv + p.inputOffset)) | 0;
      }
    }
    if (bias) acc = (acc + bias[oc]!) | 0;
    const v = multiplyByQuantizedMultiplier(acc, p.outputMultiplier[oc]!, p.outputShift[oc]!) + p.outputOffset;
    out[((b * outH + oy) * outW + ox) * outDepth + oc] = Math.min(Math.max(v, p.activationMin), p.activationMax);
  }
  return out;
}

function tflmDepthwise(p: DepthwiseConv2DParams, x: Int8Array, w: Int8Array, bias: Int32Array | undefined): Int8Array {
  const [batches, inH, inW, inDepth] = p.inputShape as [number, number, number, number];
  const [, fH, fW, outDepth] = p.filterShape as [number, number, number, number];
  const [, outH, outW] = p.outputShape as [number, number, number, number];
  const out = new Int8Array(batches * outH * outW * outDepth);
  for (let b = 0; b < batches; b++) for (let oy = 0; oy < outH; oy++) for (let ox = 0; ox < outW; ox++) for (let ic = 0; ic < inDepth; ic++) for (let m = 0; m < p.depthMultiplier; m++) {
    const oc = m + ic * p.depthMultiplier;
    let acc = 0;
    for (let fy = 0; fy < fH; fy++) for (let fx = 0; fx < fW; fx++) {
      const inY = oy * p.strideH - p.padH + p.dilationH * fy;
      const inX = ox * p.strideW - p.padW + p.dilationW * fx;
      if (inX < 0 || inX >= inW || inY < 0 || inY >= inH) continue;
      const xv = x[((b * inH + inY) * inW + inX) * inDepth + ic]!;
      const wv = w[(fy * fW + fx) * outDepth + oc]!;
      acc = (acc + Math.imul(wv, xv + p.inputOffset)) | 0;
    }
    if (bias) acc = (acc + bias[oc]!) | 0;
    const v = multiplyByQuantizedMultiplier(acc, p.outputMultiplier[oc]!, p.outputShift[oc]!) + p.outputOffset;
    out[((b * outH + oy) * outW + ox) * outDepth + oc] = Math.min(Math.max(v, p.activationMin), p.activationMax);
  }
  return out;
}

/** A random window geometry; the output size is what the padding and strides give (at least 1). */
function geometry(r: ReturnType<typeof rng>) {
  const fH = r(1, 5), fW = r(1, 5), strideH = r(1, 3), strideW = r(1, 3), dilationH = r(1, 2), dilationW = r(1, 2);
  const inH = r(1, 12), inW = r(1, 12);
  const padH = r(0, fH), padW = r(0, fW);
  const outH = Math.max(1, Math.floor((inH + 2 * padH - dilationH * (fH - 1) - 1) / strideH) + 1);
  const outW = Math.max(1, Math.floor((inW + 2 * padW - dilationW * (fW - 1) - 1) / strideW) + 1);
  return { fH, fW, strideH, strideW, dilationH, dilationW, inH, inW, padH, padW, outH, outW };
}

function requant(r: ReturnType<typeof rng>, channels: number) {
  // Offsets at both ends of int8's range; biases up to ±2^31 so the int32 sum wraps.
  const edge = r(0, 3);
  return {
    inputOffset: edge === 0 ? 128 : edge === 1 ? -127 : r(-127, 128),
    outputOffset: r(-128, 127),
    outputMultiplier: Array.from({ length: channels }, () => r(1 << 30, 2 ** 31 - 1)),
    outputShift: Array.from({ length: channels }, () => r(-12, 3)),
    activationMin: r(-128, -100),
    activationMax: r(100, 127),
    bias: r(0, 3) === 0 ? undefined : Int32Array.from({ length: channels }, () => (r(0, 4) === 0 ? r(-(2 ** 31), 2 ** 31 - 1) : r(-20000, 20000))),
  };
}

const CASES = 400;

describe("int8 reference convolutions equal TFLM's loop nests", () => {
  it(`CONV_2D, ${CASES} random cases (groups, strides, dilation, padding)`, () => {
    const r = rng(16);
    for (let k = 0; k < CASES; k++) {
      const g = geometry(r);
      const batches = r(1, 2), groups = r(1, 3), fDepth = r(1, 9), perGroup = r(1, 7);
      const inDepth = groups * fDepth, outDepth = groups * perGroup;
      const q = requant(r, outDepth);
      const p: Conv2DParams = {
        dtype: "int8", inputShape: [batches, g.inH, g.inW, inDepth], filterShape: [outDepth, g.fH, g.fW, fDepth], outputShape: [batches, g.outH, g.outW, outDepth],
        strideH: g.strideH, strideW: g.strideW, dilationH: g.dilationH, dilationW: g.dilationW, padH: g.padH, padW: g.padW, hasBias: q.bias !== undefined,
        inputOffset: q.inputOffset, outputOffset: q.outputOffset, outputMultiplier: q.outputMultiplier, outputShift: q.outputShift,
        activationMin: q.activationMin, activationMax: q.activationMax,
      };
      const x = int8s(r, batches * g.inH * g.inW * inDepth);
      const w = int8s(r, outDepth * g.fH * g.fW * fDepth);
      const got = new Int8Array(batches * g.outH * g.outW * outDepth);
      conv2d.eval(p, { inputs: [x, w, ...(q.bias ? [q.bias] : [])], outputs: [got] });
      expect(got, `case ${k}: ${JSON.stringify(p.filterShape)} over ${JSON.stringify(p.inputShape)}`).toEqual(tflmConv(p, x, w, q.bias));
    }
  });

  it(`CONV_2D 1x1 without padding (the pointwise path), ${CASES} random cases (odd pixel counts, strides, any channel count)`, () => {
    const r = rng(11);
    for (let k = 0; k < CASES; k++) {
      const batches = r(1, 2), inH = r(1, 9), inW = r(1, 9), strideH = r(1, 3), strideW = r(1, 3);
      const inDepth = r(1, 40), outDepth = r(1, 19);
      const outH = Math.floor((inH - 1) / strideH) + 1, outW = Math.floor((inW - 1) / strideW) + 1;
      const q = requant(r, outDepth);
      const p: Conv2DParams = {
        dtype: "int8", inputShape: [batches, inH, inW, inDepth], filterShape: [outDepth, 1, 1, inDepth], outputShape: [batches, outH, outW, outDepth],
        strideH, strideW, dilationH: 1, dilationW: 1, padH: 0, padW: 0, hasBias: q.bias !== undefined,
        inputOffset: q.inputOffset, outputOffset: q.outputOffset, outputMultiplier: q.outputMultiplier, outputShift: q.outputShift,
        activationMin: q.activationMin, activationMax: q.activationMax,
      };
      const x = int8s(r, batches * inH * inW * inDepth);
      const w = int8s(r, outDepth * inDepth);
      const got = new Int8Array(batches * outH * outW * outDepth);
      conv2d.eval(p, { inputs: [x, w, ...(q.bias ? [q.bias] : [])], outputs: [got] });
      expect(got, `case ${k}: ${JSON.stringify(p.filterShape)} over ${JSON.stringify(p.inputShape)}`).toEqual(tflmConv(p, x, w, q.bias));
    }
  });

  it(`DEPTHWISE_CONV_2D, ${CASES} random cases (depth multipliers 1-4, strides, dilation, padding)`, () => {
    const r = rng(61);
    for (let k = 0; k < CASES; k++) {
      const g = geometry(r);
      const batches = r(1, 2), inDepth = r(1, 12), m = r(0, 2) === 0 ? r(2, 4) : 1;
      const outDepth = inDepth * m;
      const q = requant(r, outDepth);
      const p: DepthwiseConv2DParams = {
        dtype: "int8", inputShape: [batches, g.inH, g.inW, inDepth], filterShape: [1, g.fH, g.fW, outDepth], outputShape: [batches, g.outH, g.outW, outDepth],
        depthMultiplier: m, strideH: g.strideH, strideW: g.strideW, dilationH: g.dilationH, dilationW: g.dilationW, padH: g.padH, padW: g.padW,
        inputOffset: q.inputOffset, outputOffset: q.outputOffset, outputMultiplier: q.outputMultiplier, outputShift: q.outputShift,
        activationMin: q.activationMin, activationMax: q.activationMax,
      };
      const x = int8s(r, batches * g.inH * g.inW * inDepth);
      const w = int8s(r, g.fH * g.fW * outDepth);
      const got = new Int8Array(batches * g.outH * g.outW * outDepth);
      depthwiseConv2d.eval(p, { inputs: [x, w, ...(q.bias ? [q.bias] : [])], outputs: [got] });
      expect(got, `case ${k}: ${JSON.stringify(p.filterShape)} over ${JSON.stringify(p.inputShape)}`).toEqual(tflmDepthwise(p, x, w, q.bias));
    }
  });
});
