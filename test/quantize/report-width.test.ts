// `tinyml quantize`'s terminal report fits 100 columns with TensorFlow's
// fused tensor names ("sequential/dense_1/MatMul;sequential/dense_1/Relu;…":
// one per op the converter fused, 200+ characters in larger models), and
// --json keeps them whole. The names are hello_world_int8's own.

import { describe, expect, it } from "vitest";
import { renderReport } from "../../src/cli/quantize.js";
import { mainGraph } from "../../src/model/graph.js";
import { opTypeName } from "../../src/model/ir.js";
import { loadModel } from "../../src/model/load.js";
import type { QuantizationReport } from "../../src/quantize/evaluate.js";
import { modelPath } from "../fixtures.js";

describe("quantize report width", () => {
  it("hello_world's fused layer names: every line within 100 columns, the layer still named", async () => {
    const g = mainGraph((await loadModel(modelPath("hello_world_int8"))).model);
    const layers = g.ops.map((op, i) => ({ op: i, type: opTypeName(op), tensor: g.tensors[op.outputs[0]!]!.name, sqnrDb: 30 + i / 10 }));
    expect(Math.max(...layers.map((l) => l.tensor.length))).toBeGreaterThan(70);
    const report: QuantizationReport = {
      samples: 8, layers,
      outputs: [{ name: g.tensors[g.outputs[0]!]!.name, top1Agreement: 1, rmse: 0.01, mae: 0.005, relativeL2: 0.02, cosine: 0.9998 }],
    } as QuantizationReport;
    const text = renderReport("hello_world_int8.tflite", "out.tflite", 4_000, "calibration", report);
    // The same table with the names as they are is wider than 100 columns.
    expect(Math.max(...layers.map((l) => l.tensor.length + 30))).toBeGreaterThan(100);
    expect(text.split("\n").filter((l) => [...l].length > 100)).toEqual([]);
    expect(text).toMatch(/^ +1 +FULLY_CONNECTED +sequential\/dense_1\/MatMul +30\.1$/m);
  });
});
