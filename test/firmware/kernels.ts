// Shared helpers of the firmware/kernels tests: where the sources are, which
// compilers and flags they must build with, and whether a tool is installed.
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";

export const kernelsDir = fileURLToPath(new URL("../../firmware/kernels/", import.meta.url));
export const kernelTestSource = fileURLToPath(new URL("./kernels_test.c", import.meta.url));

/** Every kernel translation unit, sorted, as absolute paths. */
export function kernelSources(): string[] {
  return readdirSync(kernelsDir)
    .filter((f) => f.endsWith(".c"))
    .sort()
    .map((f) => join(kernelsDir, f));
}

export const STRICT_FLAGS = ["-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-O2"];

export interface Target {
  name: string;
  compiler: string;
  flags: string[];
  /** Single-precision-only FPU: no double-precision runtime calls allowed. */
  singlePrecisionOnly: boolean;
}

export const TARGETS: Target[] = [
  { name: "host gcc", compiler: "gcc", flags: [], singlePrecisionOnly: false },
  {
    name: "cortex-m4 (fpv4-sp-d16)",
    compiler: "arm-none-eabi-gcc",
    flags: ["-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16"],
    singlePrecisionOnly: true,
  },
  {
    name: "cortex-m7 (fpv5-d16)",
    compiler: "arm-none-eabi-gcc",
    flags: ["-mcpu=cortex-m7", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv5-d16"],
    singlePrecisionOnly: false,
  },
  { name: "cortex-m33", compiler: "arm-none-eabi-gcc", flags: ["-mcpu=cortex-m33", "-mthumb"], singlePrecisionOnly: false },
];

export const ARM_INSTALL_HINT = "apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi";

export async function hasTool(tool: string): Promise<boolean> {
  const r = await execa(tool, ["--version"], { reject: false });
  return r.exitCode === 0;
}

export function scratchDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `tinyml-${prefix}-`));
}
