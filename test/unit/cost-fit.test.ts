// The per-op cost fit: it recovers coefficients a synthetic op type was made
// with, never goes negative, keeps the simpler model when data cannot tell,
// and the committed table (data/op-costs.json) is what its notes say.

import { describe, expect, it } from "vitest";
import { applyCost, fitType, type CostSample } from "../../src/analyze/cost-fit.js";
import { readCostTable } from "../../src/analyze/cost-model.js";
import { shortTensorName } from "../../src/util/short-name.js";

const sample = (macs: number, outputElements: number, instructions: number): CostSample => ({
  model: "m", type: "CONV_2D int8", features: { macs, windowTaps: 0, windowRows: 0, outputElements, inputElements: 0, fixed: 1 }, instructions,
});

describe("fitType", () => {
  it("recovers 1.75 per MAC + 9 per output element + 300 fixed from exact samples", () => {
    const shapes: Array<[number, number]> = [[1000, 10], [50_000, 400], [200_000, 6000], [9000, 900], [640_000, 1200]];
    const fit = fitType(shapes.map(([m, o]) => sample(m, o, 1.75 * m + 9 * o + 300)));
    expect(fit.coefficients.macs).toBeCloseTo(1.75, 6);
    expect(fit.coefficients.outputElements).toBeCloseTo(9, 4);
    expect(fit.coefficients.fixed).toBeCloseTo(300, 1);
    expect(fit.rmsRelativeError).toBeLessThan(1e-9);
  });

  it("never gives a negative coefficient, even where one would fit better", () => {
    // instructions fall with output elements here: unconstrained least squares would make that coefficient negative.
    const fit = fitType([sample(1000, 100, 1900), sample(2000, 10, 4100), sample(3000, 300, 5000), sample(4000, 50, 8000)]);
    for (const v of Object.values(fit.coefficients)) expect(v).toBeGreaterThanOrEqual(0);
  });

  it("one sample: a single coefficient, on MACs first", () => {
    const fit = fitType([sample(100, 10, 250)]);
    expect(fit.coefficients).toEqual({ macs: 2.5 });
    expect(applyCost(fit.coefficients, { macs: 200, windowTaps: 0, windowRows: 0, outputElements: 0, inputElements: 0, fixed: 1 })).toBe(500);
  });
});

describe("data/op-costs.json", () => {
  it("says how it was made and how far it is from the measurement per model", () => {
    const t = readCostTable();
    expect(t.produced.command).toMatch(/^npm run calibrate:op-costs/);
    expect(t.produced.emulator).toMatch(/QEMU emulator version/);
    expect(t.boards.map((b) => b.board).sort()).toEqual(["qemu-m4", "qemu-m7"]);
    for (const b of t.boards) {
      expect(b.models.map((m) => m.model)).toContain("person_detect.tflite");
      for (const m of b.models) expect(Math.abs(m.estimatedInstructions - m.measuredInstructions) / m.measuredInstructions).toBeCloseTo(Math.abs(m.relativeError), 9);
    }
  });
});

describe("shortTensorName", () => {
  it("keeps the layer's segment of a fused TensorFlow name", () => {
    const name = "MobilenetV1/MobilenetV1/Conv2d_1_depthwise/Relu6;MobilenetV1/MobilenetV1/Conv2d_1_depthwise/depthwise;MobilenetV1/Conv2d_1_depthwise/BiasAdd";
    expect(shortTensorName(name)).toBe("…/Conv2d_1_depthwise/Relu6");
    expect(shortTensorName(name, 20)).toBe("…/Conv2d_1_de…/Relu6");
    expect(shortTensorName("input")).toBe("input");
    expect(shortTensorName("x".repeat(40), 10)).toBe(`${"x".repeat(9)}…`);
    for (const max of [12, 20, 32]) expect([...shortTensorName(name, max)].length).toBeLessThanOrEqual(max);
  });
});
