// The vendor projects tinyml writes, for every vendor board and both
// runtimes, against snapshot files: every rendered build file verbatim
// (versions and hashes scrubbed) and the list of sources placed beside them.
// Refresh on purpose with `npx vitest run test/vendor -u`.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadBoard } from "../../src/boards/load.js";
import { buildVendorProject } from "../../src/toolchain/vendor-drivers.js";
import { renderBoard, RUNTIMES, scrub, tempDir, VENDOR_BOARDS } from "./helpers.js";

describe("vendor project rendering", () => {
  for (const boardId of VENDOR_BOARDS) {
    for (const runtime of RUNTIMES) {
      it(`${boardId} / ${runtime}`, async () => {
        const { project } = await renderBoard(boardId, runtime);
        const text = [
          `# sources (${project.sources.length})`,
          ...project.sources,
          ...project.rendered.flatMap((f) => [``, `=== ${f} ===`, readFileSync(join(project.dir, f), "utf8").trimEnd()]),
          "",
        ].join("\n");
        await expect(scrub(text)).toMatchFileSnapshot(`__snapshots__/${boardId}.${runtime}.txt`);
      });
    }
  }

  it("places exactly one app and no host or bare-metal main()", async () => {
    const { project } = await renderBoard("esp32", "aot");
    const names = project.sources.map((s) => s.split("/").pop());
    expect(names).toContain("tml_proto_app.c");
    expect(names).not.toContain("tml_eembc.c");
    expect(names).not.toContain("tml_main.c");
    expect(names).toContain("tml_hal_esp_idf.c");
    expect(names.filter((n) => n?.startsWith("tml_hal_") && n.endsWith(".c"))).toEqual(["tml_hal_esp_idf.c"]);
  });

  it("arduino: flattens into the sketch's src/ and renames .cc to .cpp", async () => {
    const { project } = await renderBoard("nano33ble", "tflm");
    expect(project.sources.every((s) => /^tinyml_app\/src\/[^/]+$/.test(s))).toBe(true);
    expect(project.sources).toContain("tinyml_app/src/tml_model_tflm.cpp");
    expect(project.sources.some((s) => s.endsWith(".cc"))).toBe(false);
  });

  it("re-rendering with another runtime leaves no stale model sources behind", async () => {
    const dir = tempDir("rerender");
    await renderBoard("nano33ble", "aot", dir);
    const { project } = await renderBoard("nano33ble", "tflm", dir);
    const { readdirSync } = await import("node:fs");
    const onDisk = readdirSync(join(dir, "tinyml_app/src")).map((f) => `tinyml_app/src/${f}`).sort();
    expect(onDisk).toEqual(project.sources);
    expect(onDisk).not.toContain("tinyml_app/src/model.c");
  });

  it("a new board of a known family is one JSON file", async () => {
    const boardsDir = tempDir("boards");
    const esp32 = JSON.parse(readFileSync(loadBoard("esp32").file, "utf8")) as Record<string, unknown> & { toolchain: object; memory: object };
    mkdirSync(boardsDir, { recursive: true });
    writeFileSync(
      join(boardsDir, "esp32-wrover.json"),
      JSON.stringify({ ...esp32, $schema: undefined, name: "ESP32-WROVER-KIT", memory: { ...esp32.memory, flashBytes: 16777216 }, toolchain: { driver: "esp-idf", target: "esp32" } }),
    );
    const board = loadBoard("esp32-wrover", boardsDir);
    const { project } = await renderBoard("esp32-wrover", "tflm", tempDir("wrover"), boardsDir);
    expect(readFileSync(join(project.dir, "sdkconfig.defaults"), "utf8")).toContain("CONFIG_ESPTOOLPY_FLASHSIZE_16MB=y");
    expect(readFileSync(join(project.dir, "main/CMakeLists.txt"), "utf8")).toContain('"TML_BOARD_ID=\\"esp32-wrover\\""');
    const r = await buildVendorProject({ board, project, dryRun: true });
    expect(r.commands.map((c) => c.argv)).toEqual([["idf.py", "set-target", "esp32"], ["idf.py", "build"]]);
  });
});
