// `tinyml inspect --json` on every shared model reports what TensorFlow Lite
// Micro reported for it (the golden files): the same inputs, outputs and
// executed op sequence.
import { describe, expect, it } from "vitest";
import { loadGolden, modelPath, SHARED_MODELS, type GoldenTensorSpec } from "../fixtures.js";
import { tinymlJson } from "../cli.js";
import type { ModelSummary, TensorSummary } from "../../src/inspect/summary.js";

// The golden files print float32 scales to 9 significant digits; the model
// stores float32, so compare after rounding both to float32.
const f32 = (v: number | number[]) => (Array.isArray(v) ? v.map(Math.fround) : Math.fround(v));

function expectTensor(actual: TensorSummary, golden: GoldenTensorSpec): void {
  expect(actual.index).toBe(golden.tensor_index);
  expect(actual.name).toBe(golden.name);
  expect(actual.dtype).toBe(golden.type);
  expect(actual.shape).toEqual(golden.shape);
  expect(f32(actual.scale)).toEqual(f32(golden.scale));
  expect(actual.zeroPoint).toEqual(golden.zero_point);
}

describe("tinyml inspect --json matches TFLM's view of every shared model", () => {
  for (const name of SHARED_MODELS) {
    it(name, async () => {
      const golden = loadGolden(name);
      const s = await tinymlJson<ModelSummary>(["inspect", modelPath(name)]);
      expect(s.format).toBe("tflite");
      expect(s.inputs).toHaveLength(golden.inputs.length);
      golden.inputs.forEach((g, i) => expectTensor(s.inputs[i]!, g));
      expect(s.outputs).toHaveLength(golden.outputs.length);
      golden.outputs.forEach((g, i) => expectTensor(s.outputs[i]!, g));
      expect(s.ops.map((o) => o.type)).toEqual(golden.ops);
      expect(s.ops.map((o) => o.index)).toEqual(golden.ops.map((_, i) => i));
      const counts: Record<string, number> = {};
      for (const t of golden.ops) counts[t] = (counts[t] ?? 0) + 1;
      expect(s.opCounts).toEqual(counts);
    });
  }

  it("counts person_detect's 7,157,888 MACs (the figure TFLM's benchmark publishes)", async () => {
    const s = await tinymlJson<ModelSummary>(["inspect", modelPath("person_detect")]);
    expect(s.totals.macs).toBe(7_157_888);
    expect(s.ops.reduce((n, o) => n + o.macs, 0)).toBe(s.totals.macs);
    // the weights are most of the file
    expect(s.totals.weightBytes).toBeGreaterThan(200_000);
    expect(s.totals.weightBytes).toBeLessThan(300_568);
  });

  it("micro_speech has 336,000 MACs", async () => {
    const s = await tinymlJson<ModelSummary>(["inspect", modelPath("micro_speech_quantized")]);
    expect(s.totals.macs).toBe(336_000);
  });

  it("prints a readable table without --json", async () => {
    const { tinyml } = await import("../cli.js");
    const r = await tinyml(["inspect", modelPath("micro_speech_quantized")]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("DEPTHWISE_CONV_2D");
    expect(r.stdout).toMatch(/Totals: 336,000 MACs/);
    expect(r.stdout).toMatch(/labels_softmax\s+int8\s+\[1, 4\]\s+0.00390625\s+-128/);
  });
});
