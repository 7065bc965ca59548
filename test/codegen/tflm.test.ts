// The TFLM sources: checked as text (no TFLM here), against snapshot files
// scrubbed of the tinyml version so a release does not churn them.
import { describe, expect, it } from "vitest";
import { generateTflm } from "../../src/codegen/tflm/generate.js";
import { planResolver } from "../../src/codegen/tflm/resolver.js";
import { mainGraph } from "../../src/model/graph.js";
import { loadModel } from "../../src/model/load.js";
import { tinymlVersion } from "../../src/paths.js";
import { loadGolden, modelPath, type SharedModel } from "../fixtures.js";
import { readFileSync } from "node:fs";

const scrub = (text: string): string => text.split(`tinyml ${tinymlVersion} `).join("tinyml <version> ");

describe("generateTflm", () => {
  it.each(["hello_world_int8", "audio_preprocessor_int8"] as SharedModel[])("matches the snapshot for %s", async (name) => {
    const loaded = await loadModel(modelPath(name));
    const r = generateTflm(loaded, { name, tfliteBytes: new Uint8Array(readFileSync(modelPath(name))) });
    const cc = r.files.find((f) => f.path === "tml_model_tflm.cc")!;
    await expect(scrub(cc.text)).toMatchFileSnapshot(`__snapshots__/${name}.tml_model_tflm.cc`);
    const header = r.files.find((f) => f.path === "model_data.h")!;
    await expect(scrub(header.text)).toMatchFileSnapshot(`__snapshots__/${name}.model_data.h`);
  });

  it("registers exactly the distinct ops, custom signal ops by their registration functions", async () => {
    const g = mainGraph((await loadModel(modelPath("audio_preprocessor_int8"))).model);
    const r = planResolver(g);
    expect(r.ops).toEqual([...new Set(loadGolden("audio_preprocessor_int8").ops)]);
    expect(r.statements).toContain('resolver.AddCustom("SignalWindow", tflite::tflm_signal::Register_WINDOW())');
    expect(r.statements).toContain("resolver.AddStridedSlice()");
  });

  it("keeps the model file's bytes in the array, 16-byte aligned", async () => {
    const bytes = new Uint8Array(readFileSync(modelPath("hello_world_int8")));
    const r = generateTflm(await loadModel(modelPath("hello_world_int8")), { name: "hello world-int8", tfliteBytes: bytes });
    const c = r.files.find((f) => f.path === "model_data.c")!.text;
    expect(c).toContain(`TML_ALIGNAS(16) const unsigned char g_hello_world_int8_model_data[${bytes.length}] = {`);
    expect(c).toContain(`const unsigned int g_hello_world_int8_model_data_size = ${bytes.length}u;`);
    const hex = [...c.matchAll(/0x([0-9a-f]{2})/g)].map((m) => parseInt(m[1]!, 16));
    expect(Uint8Array.from(hex)).toEqual(bytes);
  });

  it.each(["hello_world_int8", "micro_speech_quantized", "person_detect", "audio_preprocessor_int8", "audio_preprocessor_float", "hello_world_float"] as SharedModel[])(
    "sizes the %s arena to cover what TFLM used on a 64-bit host",
    async (name) => {
      const r = generateTflm(await loadModel(modelPath(name)), { name });
      expect(r.arenaBytes).toBeGreaterThanOrEqual(loadGolden(name).arena_used_bytes_host64);
    },
  );
});
