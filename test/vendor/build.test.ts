// The vendor builds run for real against recording fakes of idf.py,
// arduino-cli, cmake and make placed first on PATH: each call's exact argv,
// working directory and environment are checked, a dry run must list exactly
// the calls a real run makes, and a failing tool's error must quote the
// tool's last lines and the command.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadBoard } from "../../src/boards/load.js";
import { TinymlError } from "../../src/errors.js";
import { formatCommand } from "../../src/toolchain/command.js";
import { buildVendorProject } from "../../src/toolchain/vendor-drivers.js";
import { renderBoard, tempDir, withFakes, type FakeCall } from "./helpers.js";

/** The calls that make the image (detection queries like `--version` are left out). */
function buildCalls(calls: FakeCall[]): FakeCall[] {
  return calls.filter((c) => !["--version", "version", "core", "lib"].includes(c.argv[0] ?? ""));
}

function fakeCoralmicroSdk(): string {
  const sdk = tempDir("coralmicro-sdk");
  mkdirSync(join(sdk, "cmake"), { recursive: true });
  writeFileSync(join(sdk, "cmake/toolchain-arm-none-eabi-gcc.cmake"), "# fake\n");
  return sdk;
}

const quiet = { write: () => true, isTTY: false, columns: 80 } as unknown as NodeJS.WriteStream;

describe("ESP-IDF build through idf.py", () => {
  for (const [boardId, target] of [["esp32", "esp32"], ["esp32s3", "esp32s3"]] as const) {
    it(`${boardId}: set-target ${target}, then build, in the project with unbuffered Python`, async () => {
      const board = loadBoard(boardId);
      const { project } = await renderBoard(boardId, "tflm");
      const dry = await buildVendorProject({ board, project, dryRun: true });
      const { result, error, calls } = await withFakes({ IDF_PATH: "/opt/esp-idf" }, () => buildVendorProject({ board, project, stream: quiet }));
      expect(error).toBeUndefined();
      expect(buildCalls(calls)).toEqual([
        { tool: "idf.py", argv: ["set-target", target], cwd: project.dir, env: { PYTHONUNBUFFERED: "1", IDF_PATH: "/opt/esp-idf" } },
        { tool: "idf.py", argv: ["build"], cwd: project.dir, env: { PYTHONUNBUFFERED: "1", IDF_PATH: "/opt/esp-idf" } },
      ]);
      expect(dry.commands).toEqual(result!.commands);
      expect(dry.commands.map(formatCommand)).toEqual([
        `cd ${project.dir} && PYTHONUNBUFFERED=1 idf.py set-target ${target}`,
        `cd ${project.dir} && PYTHONUNBUFFERED=1 idf.py build`,
      ]);
      expect(result!.image.elf).toBe(join(project.dir, "build/tinyml_app.elf"));
      const log = readFileSync(result!.log, "utf8");
      expect(log).toContain(`$ cd ${project.dir} && PYTHONUNBUFFERED=1 idf.py build`);
      expect(log).toContain("Project build complete.");
    });
  }

  it("without IDF_PATH it is a missing toolchain with the export.sh hint, and nothing runs", async () => {
    const board = loadBoard("esp32");
    const { project } = await renderBoard("esp32", "aot");
    const { error, calls } = await withFakes({}, async () => {
      delete process.env.IDF_PATH;
      return buildVendorProject({ board, project, stream: quiet });
    });
    expect(error).toBeInstanceOf(TinymlError);
    expect((error as TinymlError).code).toBe("TML_E_TOOLCHAIN_MISSING");
    expect((error as TinymlError).message).toContain("IDF_PATH is not set");
    expect((error as TinymlError).hint).toContain("export.sh");
    expect(buildCalls(calls)).toEqual([]);
  });

  it("a failing build quotes the compiler's last lines and the command", async () => {
    const board = loadBoard("esp32s3");
    const { project } = await renderBoard("esp32s3", "aot");
    const { error, calls } = await withFakes({ IDF_PATH: "/opt/esp-idf", TINYML_FAKE_FAIL: "idf.py build" }, () =>
      buildVendorProject({ board, project, stream: quiet }),
    );
    expect(buildCalls(calls).map((c) => c.argv)).toEqual([["set-target", "esp32s3"], ["build"]]);
    expect(error).toBeInstanceOf(TinymlError);
    const e = error as TinymlError;
    expect(e.code).toBe("TML_E_TOOLCHAIN_FAILED");
    expect(e.message).toContain("idf.py failed (exit 2)");
    expect(e.message).toContain("main/model.c:42:5: error: implicit declaration of function 'tml_conv2d_s8'");
    expect(e.message).toContain("ninja: build stopped: subcommand failed.");
    expect(e.location?.detail).toBe(`command: cd ${project.dir} && PYTHONUNBUFFERED=1 idf.py build`);
    expect(e.location?.file).toBe(join(project.dir, "build.log"));
    expect(readFileSync(join(project.dir, "build.log"), "utf8")).toContain("cc1: some warnings being treated as errors");
  });
});

describe("arduino-cli build", () => {
  it("compiles the sketch for the board's FQBN with the defines as extra flags", async () => {
    const board = loadBoard("nano33ble");
    const { project } = await renderBoard("nano33ble", "tflm");
    const { result, error, calls } = await withFakes({}, () => buildVendorProject({ board, project, stream: quiet }));
    expect(error).toBeUndefined();
    const flags = '"-DTML_BOARD_ID="nano33ble"" -DTML_TIMER_HZ=64000000u -DTML_UART_BAUD=115200u "-DTML_RUNTIME_NAME="tflm"" ' +
      `"-DTML_VERSION="${project.context.versions.tinyml}"" -DTML_MIC_GAIN=20 -DTML_APP_INPUT_STAGE_BYTES=1u`;
    expect(buildCalls(calls)).toEqual([
      {
        tool: "arduino-cli",
        argv: ["compile", "--fqbn", "arduino:mbed_nano:nano33ble", "--output-dir", "out",
          "--build-property", `compiler.c.extra_flags=${flags}`, "--build-property", `compiler.cpp.extra_flags=${flags}`, "tinyml_app"],
        cwd: project.dir,
        env: {},
      },
    ]);
    // Detection checked the core and, for tflm, the TFLM library before compiling.
    expect(calls.map((c) => c.argv.slice(0, 2).join(" "))).toEqual(["version", "core list", "lib list", `compile --fqbn`]);
    expect(result!.image.elf).toBe(join(project.dir, "out/tinyml_app.ino.elf"));
    const dry = await buildVendorProject({ board, project, dryRun: true });
    expect(dry.commands).toEqual(result!.commands);
  });
});

describe("coralmicro CMake build", () => {
  it("configures out/ against CORALMICRO_DIR in Release and runs make", async () => {
    const board = loadBoard("coralmicro");
    const { project } = await renderBoard("coralmicro", "aot");
    const sdk = fakeCoralmicroSdk();
    const { result, error, calls } = await withFakes({ CORALMICRO_DIR: sdk }, () => buildVendorProject({ board, project, stream: quiet }));
    expect(error).toBeUndefined();
    expect(buildCalls(calls)).toEqual([
      {
        tool: "cmake",
        argv: ["-S", ".", "-B", "out", "-DCMAKE_BUILD_TYPE=Release", `-DCMAKE_TOOLCHAIN_FILE=${sdk}/cmake/toolchain-arm-none-eabi-gcc.cmake`, `-DCORALMICRO_DIR=${sdk}`],
        cwd: project.dir,
        env: { CORALMICRO_DIR: sdk },
      },
      { tool: "make", argv: ["-C", "out", `-j${availableParallelism()}`], cwd: project.dir, env: { CORALMICRO_DIR: sdk } },
    ]);
    expect(result!.image.elf).toBe(join(project.dir, "out/tinyml_app"));
  });

  it("without an SDK checkout it says where to get one", async () => {
    const board = loadBoard("coralmicro");
    const { project } = await renderBoard("coralmicro", "aot");
    const { error } = await withFakes({}, async () => {
      delete process.env.CORALMICRO_DIR;
      return buildVendorProject({ board, project, stream: quiet });
    });
    expect((error as TinymlError).code).toBe("TML_E_TOOLCHAIN_MISSING");
    expect((error as TinymlError).message).toContain(`no coralmicro SDK at ${project.dir}/coralmicro`);
    expect((error as TinymlError).hint).toContain("git clone --recurse-submodules https://github.com/google-coral/coralmicro");
  });
});
