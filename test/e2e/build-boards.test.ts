// `tinyml build` for every board through the real CLI: the emulated boards
// compile to ELFs checked against their budget, the vendor boards write
// complete projects and print the exact vendor commands (--dry-run), and a
// board added as one JSON file builds like the built-in ones.
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixturesDir, modelPath } from "../fixtures.js";
import { requireTool, tinyml, tinymlJson } from "../cli.js";
import type { FirmwareResult as BuildResult } from "../../src/firmware-project/request.js";
import { loadBoard } from "../../src/boards/load.js";
import { launchQemu } from "../../src/device/qemu.js";
import { SerialTransport } from "../../src/device/transport.js";
import { DeviceClient } from "../../src/device/client.js";
import { sha256Hex } from "../../src/util/files.js";

const tmp = (p: string) => mkdtempSync(join(tmpdir(), `tinyml-build-${p}-`));
const ARM = ["arm-none-eabi-gcc", "apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi"] as const;

describe("emulated Cortex-M boards", () => {
  for (const board of ["qemu-m4", "qemu-m7"]) {
    it(`${board}: person_detect builds to an ELF within the budget`, async (ctx) => {
      if (!(await requireTool(...ARM))) return ctx.skip();
      const dir = tmp(board);
      const r = await tinyml(["build", "--board", board, modelPath("person_detect"), "-o", dir]);
      expect(r.stderr).toContain(`compiling`);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toMatch(/Flash: \[=+ *\] +\d+\.\d% \(\d+\.\d KB of 1\.00 MB\)/);
      expect(r.stdout).toMatch(/RAM: +\[=+ *\] +\d+\.\d% \(\d+\.\d KB of \d+\.\d KB\)/);
      expect(existsSync(join(dir, "firmware.elf"))).toBe(true);
      // The weights (213.8 KB) are in flash; the 36.5 KB arena is in RAM: op
      // 3's depthwise conv run in place, 384 B + its 36,864 B input + 128 B
      // of scratch (test/codegen/aot.test.ts derives it).
      const json = await tinymlJson<BuildResult>(["build", "--board", board, modelPath("person_detect"), "-o", dir]);
      expect(json.budget.source).toBe("image");
      expect(json.budget.flash.used).toBeGreaterThan(213_000);
      expect(json.budget.ram.used).toBeGreaterThan(37_376);
      expect(json.memory.arenaBytes).toBe(37_376);

      // It boots: QEMU starts the ELF and the firmware answers over its UART
      // with the provenance of exactly this build.
      if (!(await requireTool("qemu-system-arm", "apt-get install qemu-system-arm"))) return;
      const session = await launchQemu({ board: loadBoard(board), elf: json.image!, icount: true, timeoutMs: 120_000 });
      const transport = await SerialTransport.open(session.ptyPath, { baudRate: 115200 });
      try {
        await session.resume();
        const client = await DeviceClient.connect(transport, { attemptTimeoutMs: 2500, attempts: 12 });
        const info = await client.info();
        expect(info.boardId).toBe(board);
        expect(info.runtime).toBe("aot");
        expect(info.modelInitOk).toBe(true);
        expect(info.modelSha256).toBe(sha256Hex(new Uint8Array(readFileSync(modelPath("person_detect")))));
        expect(info.arenaBytes).toBe(37_376);
        expect(info.timerHz).toBe(25_000_000);
        expect(info.inputs[0]!.shape).toEqual([1, 96, 96, 1]);
        await client.close();
      } finally {
        await transport.close().catch(() => undefined);
        session.kill();
      }
    });
  }

  it("a board added as one JSON file builds too", async (ctx) => {
    if (!(await requireTool(...ARM))) return ctx.skip();
    const dir = tmp("custom");
    const json = await tinymlJson<BuildResult>([
      "build", "--board", "my-nrf52840", "--boards-dir", join(fixturesDir, "boards", "valid"), modelPath("micro_speech_quantized"), "-o", dir,
    ]);
    expect(json.board).toBe("my-nrf52840");
    expect(json.budget.ram.budget).toBe(196_608);
    expect(existsSync(json.image!)).toBe(true);
  });

  it("an image over the RAM budget is an error naming the overshoot", async (ctx) => {
    if (!(await requireTool(...ARM))) return ctx.skip();
    const r = await tinyml(["build", "--board", "qemu-m4-16k", "--boards-dir", join(fixturesDir, "..", "baremetal", "fixtures", "boards"), modelPath("person_detect"), "-o", tmp("over")]);
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toMatch(/^error\[TML_E_BUDGET_EXCEEDED\]/m);
    expect(r.stderr).toMatch(/overflow/);
  });
});

describe("--plan-only: the budget before compiling", () => {
  it("prints planned flash and RAM for a vendor board", async () => {
    const r = await tinyml(["build", "--board", "nano33ble", "--plan-only", modelPath("person_detect")]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/Flash: \[==\s+\]\s+22\.3% \(213\.8 KB of 960\.0 KB\)/);
    // The arena: op 3 in place, 384 + 36864 + 128 = 37376 B = 36.5 KB, 14.3% of 256 KB.
    expect(r.stdout).toMatch(/RAM:\s+\[=\s+\]\s+14\.3% \(36\.5 KB of 256\.0 KB\)/);
  });

  it("fails when the plan alone does not fit", async () => {
    const r = await tinyml(["build", "--board", "qemu-m4-16k", "--boards-dir", join(fixturesDir, "..", "baremetal", "fixtures", "boards"), "--plan-only", modelPath("person_detect")]);
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toMatch(/TML_E_BUDGET_EXCEEDED.*flash by/);
    expect(r.stderr).toMatch(/model weights 213\.8 KB/);
  });
});

describe("vendor boards: complete projects and the exact commands (--dry-run)", () => {
  const expected: Record<string, RegExp[]> = {
    esp32: [/idf\.py set-target esp32$/, /idf\.py build$/],
    esp32s3: [/idf\.py set-target esp32s3$/, /idf\.py build$/],
    nano33ble: [/arduino-cli compile --fqbn arduino:mbed_nano:nano33ble --output-dir out .* tinyml_app$/],
    coralmicro: [/cmake -S \. -B out -DCMAKE_BUILD_TYPE=Release -DCMAKE_TOOLCHAIN_FILE=.*toolchain-arm-none-eabi-gcc\.cmake/, /make -C out -j\d+$/],
  };
  const projectFile: Record<string, string> = {
    esp32: "main/idf_component.yml", esp32s3: "sdkconfig.defaults", nano33ble: "tinyml_app/tinyml_app.ino", coralmicro: "CMakeLists.txt",
  };
  for (const [board, commands] of Object.entries(expected)) {
    it(board, async () => {
      const dir = tmp(board);
      const json = await tinymlJson<BuildResult>(["build", "--board", board, "--dry-run", modelPath("person_detect"), "-o", dir]);
      expect(json.ran).toBe(false);
      expect(json.commands).toHaveLength(commands.length);
      json.commands.forEach((c, i) => expect(c).toMatch(commands[i]!));
      expect(existsSync(join(dir, projectFile[board]!))).toBe(true);
      // The project carries the generated model: the same AOT C as every board.
      const text = readFileSync(join(dir, projectFile[board]!), "utf8");
      expect(text).toMatch(/Generated by tinyml|tinyml/);
    });
  }
});
