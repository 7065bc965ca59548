// `tinyml doctor` reports every toolchain, emulator and flasher with its
// version or install hint, and exits 0 even when some are missing.
import { chmodSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { describe, expect, it } from "vitest";
import { requireTool, tinyml } from "../cli.js";
import { whichTool } from "../../src/toolchain/probe.js";
import { FAKES_BIN, tempDir } from "./helpers.js";

interface Entry {
  name: string;
  kind: string;
  found: boolean;
  version?: string;
  hint: string;
  problems: string[];
  boards: string[];
}

async function doctor(env: Record<string, string>): Promise<Entry[]> {
  const r = await tinyml(["doctor", "--json"], { env });
  expect(r.exitCode).toBe(0);
  return (JSON.parse(r.stdout) as { tools: Entry[] }).tools;
}

describe("tinyml doctor", () => {
  it("finds the (fake) vendor tools on PATH with their versions", async () => {
    const tools = await doctor({ PATH: `${FAKES_BIN}${delimiter}${process.env.PATH}`, IDF_PATH: "/opt/esp-idf", CORALMICRO_DIR: tempDir("no-sdk") });
    const idf = tools.find((t) => t.name === "ESP-IDF (idf.py)")!;
    expect(idf).toMatchObject({ kind: "toolchain", found: true, version: "5.2.1", boards: ["esp32", "esp32s3"] });
    expect(tools.find((t) => t.name === "arduino-cli")).toMatchObject({ found: true, version: "1.1.1", boards: ["nano33ble"] });
    expect(tools.find((t) => t.name === "esptool.py")).toMatchObject({ kind: "flasher", found: true, version: "4.7.0" });
    const coral = tools.find((t) => t.name.startsWith("coralmicro SDK"))!;
    expect(coral.found).toBe(false);
    expect(coral.problems[0]).toContain("no coralmicro SDK at");
  });

  it("checks arm-none-eabi-g++'s C++ library, which --runtime tflm needs", async (ctx) => {
    if (!(await requireTool("arm-none-eabi-g++", "apt-get install gcc-arm-none-eabi libstdc++-arm-none-eabi-newlib"))) return ctx.skip();
    const name = "arm-none-eabi C++ library (libstdc++, for --runtime tflm)";
    const here = (await doctor({})).find((t) => t.name === name)!;
    expect(here).toMatchObject({ kind: "toolchain", found: true, boards: ["qemu-m4", "qemu-m7"] });
    // The same driver without libstdc++'s headers: a machine without the Debian package.
    const bin = tempDir("no-libstdcxx");
    writeFileSync(join(bin, "arm-none-eabi-g++"), `#!/bin/sh\nexec ${whichTool("arm-none-eabi-g++")} -nostdinc++ "$@"\n`);
    chmodSync(join(bin, "arm-none-eabi-g++"), 0o755);
    const without = (await doctor({ PATH: `${bin}${delimiter}${process.env.PATH}` })).find((t) => t.name === name)!;
    expect(without.found).toBe(false);
    expect(without.hint).toBe("apt-get install libstdc++-arm-none-eabi-newlib");
    expect(without.problems[0]).toMatch(/cannot include <cstddef>: .*cstddef: No such file/);
  });

  it("marks what is missing with an install hint and still exits 0", async () => {
    const tools = await doctor({ IDF_PATH: "" });
    const idf = tools.find((t) => t.name === "ESP-IDF (idf.py)")!;
    expect(idf.found).toBe(false);
    expect(idf.hint).toContain("export.sh");
    const human = await tinyml(["doctor"], { env: { IDF_PATH: "" } });
    expect(human.exitCode).toBe(0);
    expect(human.stdout).toMatch(/MISSING\s+ESP-IDF \(idf\.py\)/);
  });
});
