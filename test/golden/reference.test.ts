// The reference interpreter against TFLM itself: every case of every golden
// file whose model uses only builtin ops must come out bit-exact (int8) or
// within 1e-5 relative (float32). Expected values were produced by TFLM's
// reference kernels (see fixtures/NOTICE.md), never by tinyml.

import { describe, expect, test } from "vitest";
import { loadModel } from "../../src/model/load.js";
import { prepareReference } from "../../src/reference/interpreter.js";
import { goldenInput, loadGolden, modelPath, type SharedModel } from "../fixtures.js";

const BUILTIN_ONLY: SharedModel[] = ["hello_world_int8", "hello_world_float", "micro_speech_quantized", "person_detect"];

describe.each(BUILTIN_ONLY)("%s", (name) => {
  const golden = loadGolden(name);

  test("has no custom ops", () => {
    expect(golden.ops.filter((o) => o.startsWith("CUSTOM:"))).toEqual([]);
  });

  test.each(golden.cases.map((c) => [c.name, c] as const))("case %s matches TFLM", async (_caseName, c) => {
    const { model } = await loadModel(modelPath(name));
    const interp = prepareReference(model);
    const outputs = interp.invoke(c.inputs.map(goldenInput));
    expect(outputs.length).toBe(c.outputs.length);
    c.outputs.forEach((want, k) => {
      const got = Array.from(outputs[k]!, Number);
      if (want.type === "float32") {
        expect(got.length).toBe(want.values.length);
        got.forEach((v, i) => {
          const w = want.values[i]!;
          expect(Math.abs(v - w)).toBeLessThanOrEqual(1e-5 * Math.abs(w));
        });
      } else {
        expect(got).toEqual(want.values);
      }
    });
  });
});
