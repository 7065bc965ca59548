// The audio frontend through the aot runtime on the host board: the built
// executable must reproduce TFLM's golden single windows, and, fed a whole
// clip as a sequence of input files (one initialized model, state carried),
// every streamed frame of micro_speech_pipeline.json — equal to the reference.

import { execa } from "execa";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import "../../src/reference/kernels/signal/index.js";
import { loadModel } from "../../src/model/load.js";
import { prepareReference } from "../../src/reference/interpreter.js";
import { requireTool, tinyml } from "../cli.js";
import { fixturesDir, goldenInput, loadGolden, modelPath } from "../fixtures.js";
import { clipWindows, loadPipelineGolden } from "./pipeline.js";

function int8s(path: string): number[] {
  return Array.from(new Int8Array(readFileSync(path)));
}

describe("audio_preprocessor_int8 on the host board, aot runtime", () => {
  let image: string | undefined;

  beforeAll(async () => {
    if (!(await requireTool("cc", "apt-get install gcc"))) return;
    const dir = mkdtempSync(join(tmpdir(), "tinyml-signal-"));
    const r = await tinyml(["build", "--board", "host", modelPath("audio_preprocessor_int8"), "-o", dir, "--json"]);
    expect(r.stderr).not.toContain("error");
    expect(r.exitCode).toBe(0);
    image = (JSON.parse(r.stdout) as { harness: string }).harness;
  });

  it("matches TFLM and the reference on every golden window", async () => {
    if (!image) return;
    const { model } = await loadModel(modelPath("audio_preprocessor_int8"));
    for (const c of loadGolden("audio_preprocessor_int8").cases) {
      const out = mkdtempSync(join(tmpdir(), "tinyml-out-"));
      await execa(image, ["-o", out, ...c.inputs.map((p) => `${fixturesDir}golden/${p}`)]);
      const got = int8s(join(out, "0.bin"));
      expect({ name: c.name, got }).toEqual({ name: c.name, got: c.outputs[0]!.values });
      const [ref] = prepareReference(model).invoke(c.inputs.map(goldenInput));
      expect(got).toEqual(Array.from(ref as Int8Array));
    }
  });

  it("carries the noise estimate across a streamed clip, frame by frame", async () => {
    if (!image) return;
    const golden = loadPipelineGolden();
    const { model } = await loadModel(modelPath("audio_preprocessor_int8"));
    for (const clip of golden.clips.filter((c) => c.frames.length > 1)) {
      const dir = mkdtempSync(join(tmpdir(), "tinyml-stream-"));
      const files = clipWindows(golden, clip).map((w, k) => {
        const f = join(dir, `w${k}.bin`);
        writeFileSync(f, new Uint8Array(w.buffer, w.byteOffset, w.byteLength));
        return f;
      });
      const out = join(dir, "out");
      await execa(image, ["-o", out, ...files]);
      const reference = prepareReference(model);
      files.forEach((f, k) => {
        const got = int8s(join(out, `0.${k}.bin`));
        expect({ clip: clip.clip, frame: k, got }).toEqual({ clip: clip.clip, frame: k, got: clip.frames[k] });
        expect(got).toEqual(Array.from(reference.invoke([new Uint8Array(readFileSync(f))])[0] as Int8Array));
      });
    }
  });
});
