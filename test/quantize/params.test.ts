// The parameter choices of TFLite's quantizer, on hand-computed cases.

import { describe, expect, it } from "vitest";
import { activationParams, quantizeBias, quantizeValue, quantizeWeightsPerChannel } from "../../src/quantize/params.js";

describe("activationParams", () => {
  it("maps [0, 6] (a fused RELU6 range) to scale 6/255 and zero point -128", () => {
    expect(activationParams(0, 6)).toEqual({ scale: Math.fround(6 / 255), zeroPoint: -128, degenerate: false });
  });

  it("widens a range to include 0", () => {
    expect(activationParams(2, 5)).toEqual(activationParams(0, 5));
    expect(activationParams(-4, -1)).toEqual({ scale: Math.fround(4 / 255), zeroPoint: 127, degenerate: false });
  });

  it("nudges a half-integer zero point away from zero, as std::round does", () => {
    // [-1, 1]: zero point -0.5 from either end.
    expect(activationParams(-1, 1).zeroPoint).toBe(-1);
  });

  it("gives an all-zero range scale 1 and zero point -128 (TFLite's special case)", () => {
    expect(activationParams(0, 0)).toEqual({ scale: 1, zeroPoint: -128, degenerate: true });
  });

  it("represents real 0 exactly", () => {
    for (const [lo, hi] of [[-0.3, 2.7], [-5, 0.01], [-1e-3, 1e3]] as const) {
      const p = activationParams(lo, hi);
      expect(p.scale * (quantizeValue(0, p) - p.zeroPoint)).toBe(0);
    }
  });
});

describe("per-channel weights and biases", () => {
  it("scales each output channel to ±127 with zero point 0", () => {
    // Two output channels (axis 0) of two weights each.
    const w = quantizeWeightsPerChannel(Float32Array.from([0.5, -1, 0.02, 0.01]), [2, 2], 0);
    expect(w.scales).toEqual([Math.fround(1 / 127), Math.fround(0.02 / 127)]);
    expect(Array.from(w.values)).toEqual([64, -127, 127, 64]);
  });

  it("quantizes depthwise weights along the last axis", () => {
    const w = quantizeWeightsPerChannel(Float32Array.from([1, 2, -0.5, 4]), [1, 1, 2, 2], 3);
    expect(w.scales).toEqual([Math.fround(1 / 127), Math.fround(4 / 127)]);
    expect(Array.from(w.values)).toEqual([127, 64, -64, 127]);
  });

  it("gives an all-zero channel scale 1 rather than 0", () => {
    expect(quantizeWeightsPerChannel(new Float32Array(4), [2, 2], 0).scales).toEqual([1, 1]);
  });

  it("widens a weight range whose bias would overflow int32", () => {
    const w = quantizeWeightsPerChannel(Float32Array.from([1e-9]), [1, 1], 0, Float32Array.from([1000]), 1e-3);
    const b = quantizeBias(Float32Array.from([1000]), 1e-3, w.scales);
    expect(Math.abs(b.values[0]!)).toBeLessThan(2 ** 30 + 1);
  });

  it("puts biases at scale input × weight with zero point 0", () => {
    const b = quantizeBias(Float32Array.from([0.5, -0.25]), 0.1, [0.01, 0.02]);
    expect(b.scales).toEqual([Math.fround(0.1 * 0.01), Math.fround(0.1 * 0.02)]);
    expect(Array.from(b.values)).toEqual([500, -125]);
  });
});
