// Two generated models in one firmware: a prefixed model exports only its own
// names from its own files, the default generation is unchanged, and the two
// compile and link together with the kernels.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { generateAot } from "../../src/codegen/aot/generate.js";
import { FixedSize, MAX_BODY, MAX_CHUNK } from "../../src/device/protocol.js";
import { loadModel } from "../../src/model/load.js";
import { packagePath } from "../../src/paths.js";
import { modelPath } from "../fixtures.js";

describe("AOT symbol prefix", () => {
  it("renames the exported API, the macros and the files; the default stays model.{c,h} with tml_model_*", async () => {
    const frontend = await loadModel(modelPath("audio_preprocessor_int8"));
    const plain = generateAot(frontend).files;
    const prefixed = generateAot(frontend, { prefix: "tml_frontend" }).files;
    expect(plain.map((f) => f.path)).toEqual(["model.h", "model.c"]);
    expect(prefixed.map((f) => f.path)).toEqual(["frontend_model.h", "frontend_model.c"]);
    const [h, c] = prefixed.map((f) => f.text);
    expect(c).not.toMatch(/\btml_model_[a-z_]+\s*\(/);
    expect(c).toContain("int tml_frontend_invoke(void) {");
    expect(c).toContain('#include "frontend_model.h"');
    expect(h).toContain("#define TML_FRONTEND_ARENA_BYTES");
    expect(h).toContain("int tml_frontend_init(void);");
    expect(h).not.toContain("TML_MODEL_ARENA_BYTES");
    // Apart from the names, the code is the same.
    expect(c!.replaceAll("tml_frontend_", "tml_model_").replaceAll("TML_FRONTEND_", "TML_MODEL_").replace("frontend_model.h", "model.h")).toBe(plain[1]!.text);
  });

  it("links a prefixed frontend and a default classifier into one program", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tinyml-aot-prefix-"));
    const files = [
      ...generateAot(await loadModel(modelPath("audio_preprocessor_int8")), { prefix: "tml_frontend" }).files,
      ...generateAot(await loadModel(modelPath("micro_speech_quantized"))).files,
    ];
    for (const f of files) writeFileSync(join(dir, f.path), f.text);
    writeFileSync(join(dir, "main.c"), [
      '#include "frontend_model.h"',
      '#include "model.h"',
      "int main(void) { return tml_frontend_init() | tml_model_init() | tml_frontend_invoke() | tml_model_invoke(); }",
      "",
    ].join("\n"));
    const kernels = packagePath("firmware", "kernels");
    const r = await execa("sh", ["-c", `cc -std=c99 -O1 -Wall -Werror -I. -I${kernels} -I${packagePath("firmware", "runtime")} main.c frontend_model.c model.c ${kernels}/*.c -lm -o both && ./both`], { cwd: dir, reject: false });
    expect(r.stderr).toBe("");
    expect(r.exitCode).toBe(0);
  });

  it("an AUDIO answer to the largest block fits one frame", () => {
    const framesPerBlock = Math.ceil(MAX_CHUNK / 2 / 320);
    expect(FixedSize.AUDIO_RESPONSE_FIXED + framesPerBlock * (FixedSize.WW_FRAME_FIXED + 40 + 12)).toBeLessThanOrEqual(MAX_BODY);
    expect(FixedSize.AUDIO_REQUEST_FIXED + MAX_CHUNK).toBeLessThanOrEqual(MAX_BODY);
  });
});
