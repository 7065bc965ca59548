// read → write → read is the identity on every shared model, through the
// real `tinyml convert` command, and the written buffers are 16-byte aligned.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { modelPath, SHARED_MODELS } from "../fixtures.js";
import { tinyml } from "../cli.js";
import { readTflite } from "../../src/model/tflite/reader.js";

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
    });
  }
});
