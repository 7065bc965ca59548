// Shared by the bare-metal tests: building a fixture app with the HAL for a
// board, and the tool checks (skip locally, fail under CI=true).

import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Board } from "../../src/boards/board.js";
import { ARM_GCC_INSTALL_HINT, buildBaremetal, type BaremetalImage } from "../../src/toolchain/arm-gcc.js";
import { baremetalHal, renderLinkerScript } from "../../src/toolchain/baremetal-link.js";
import { QEMU_INSTALL_HINT } from "../../src/device/qemu.js";
import { requireTool } from "../cli.js";

export const fixturesDir = fileURLToPath(new URL("./fixtures/", import.meta.url));
export const boardFixturesDir = join(fixturesDir, "boards");
export const kernelsDir = fileURLToPath(new URL("../../firmware/kernels/", import.meta.url));

/** Firmware we ship must build warning-free under these on every board. */
export const STRICT = ["-Werror", "-pedantic"];

export async function haveArmGcc(): Promise<boolean> {
  return requireTool("arm-none-eabi-gcc", ARM_GCC_INSTALL_HINT);
}

export async function haveQemu(): Promise<boolean> {
  return (await haveArmGcc()) && (await requireTool("qemu-system-arm", QEMU_INSTALL_HINT));
}

export function scratch(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `tinyml-${prefix}-`));
}

export function kernelSources(): string[] {
  return readdirSync(kernelsDir)
    .filter((f) => f.endsWith(".c"))
    .sort()
    .map((f) => join(kernelsDir, f));
}

/** Builds fixtures/<app> with the bare-metal HAL (and extra sources) for the board. */
export async function buildApp(board: Board, app: string, outDir: string, extra: { sources?: string[]; includeDirs?: string[] } = {}): Promise<BaremetalImage> {
  const hal = baremetalHal();
  return buildBaremetal({
    board,
    sources: [...hal.sources, join(fixturesDir, app), ...(extra.sources ?? [])],
    includeDirs: [...hal.includeDirs, ...(extra.includeDirs ?? [])],
    outDir,
    linkerScript: renderLinkerScript(board),
    cflags: STRICT,
  });
}
