// For an emulated board, `tinyml flash` boots the built image in QEMU and
// checks the firmware answers with this build's provenance.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { modelPath } from "../fixtures.js";
import { requireTool, tinyml, tinymlJson } from "../cli.js";
import { sha256Hex } from "../../src/util/files.js";

describe("tinyml flash on an emulated board", () => {
  it("boots qemu-m7 and reads the firmware's INFO", async (ctx) => {
    if (!(await requireTool("arm-none-eabi-gcc", "apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi"))) return ctx.skip();
    if (!(await requireTool("qemu-system-arm", "apt-get install qemu-system-arm"))) return ctx.skip();
    const dir = mkdtempSync(join(tmpdir(), "tinyml-flash-qemu-"));
    const built = await tinyml(["build", "--board", "qemu-m7", modelPath("hello_world_int8"), "-o", dir]);
    expect(built.exitCode).toBe(0);
    const r = await tinymlJson<{ board: string; firmware: { boardId: string; modelSha256: string; runtime: string } }>(
      ["flash", "--board", "qemu-m7", "--build-dir", dir],
    );
    expect(r.board).toBe("qemu-m7");
    expect(r.firmware.boardId).toBe("qemu-m7");
    expect(r.firmware.runtime).toBe("aot");
    expect(r.firmware.modelSha256).toBe(sha256Hex(new Uint8Array(readFileSync(modelPath("hello_world_int8")))));
  });

  it("says to build first when there is no image", async () => {
    const r = await tinyml(["flash", "--board", "qemu-m4", "--build-dir", mkdtempSync(join(tmpdir(), "tinyml-empty-"))]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/no firmware image at .*firmware\.elf/);
    expect(r.stderr).toMatch(/hint: Build it first: tinyml build --board qemu-m4/);
  });
});
