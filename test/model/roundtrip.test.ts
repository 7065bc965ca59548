// read → write → read is the identity on every shared model, through the
// real `tinyml convert` command, and the written buffers are 16-byte aligned.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { goldenInput, loadGolden, modelPath, SHARED_MODELS } from "../fixtures.js";
import { tinyml } from "../cli.js";
import { readTflite } from "../../src/model/tflite/reader.js";
import { prepareReference } from "../../src/reference/interpreter.js";

describe("tinyml convert round trip", () => {
  const dir = mkdtempSync(join(tmpdir(), "tinyml-rt-"));
  for (const name of SHARED_MODELS) {
    it(name, async () => {
      const out = join(dir, `${name}.tflite`);
      const r = await tinyml(["convert", modelPath(name), "-o", out]);
      expect(r.stderr).toBe("");
      expect(r.exitCode).toBe(0);
      const original = readTflite(new Uint8Array(readFileSync(modelPath(name))));
      const bytes = new Uint8Array(readFileSync(out));
      const written = readTflite(bytes);
      expect(written).toEqual(original);
      // Constant data sits at 16-byte aligned file offsets (TFLM reads in place).
      for (const t of written.graphs[0]!.tensors) {
        if (t.data) expect(t.data.byteOffset % 16, t.name).toBe(0);
      }
      // Writing is deterministic.
      const again = await tinyml(["convert", out, "-o", join(dir, `${name}.again.tflite`)]);
      expect(again.exitCode).toBe(0);
      expect(new Uint8Array(readFileSync(join(dir, `${name}.again.tflite`)))).toEqual(bytes);
      // The written model computes TFLM's golden outputs (int8 models; the
      // audio frontend's custom ops run once the wake-word work adds them).
      const golden = loadGolden(name);
      if (golden.ops.some((o) => o.startsWith("CUSTOM:")) || golden.outputs[0]!.type !== "int8") return;
      const interp = prepareReference(written);
      for (const c of golden.cases) {
        const outs = interp.invoke(c.inputs.map(goldenInput));
        expect(outs.map((o) => Array.from(o, Number))).toEqual(c.outputs.map((o) => o.values));
      }
    });
  }
});
