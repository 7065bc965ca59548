// Shared by the bare-metal tests: building a fixture app with the HAL for a
// board (through the same native driver and linker script a firmware build
// uses), and the tool checks (skip locally, fail under CI=true).

import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Board } from "../../src/boards/board.js";
import { linkerScriptFor } from "../../src/firmware-project/build.js";
import { boardDefines } from "../../src/firmware-project/context.js";
import { formatCommand } from "../../src/toolchain/command.js";
import { ARM_GCC_INSTALL_HINT, nativeCommands, nativeToolchain, runNativeBuild, type NativeBuild } from "../../src/toolchain/native.js";
import { QEMU_INSTALL_HINT } from "../../src/device/qemu.js";
import { packagePath } from "../../src/paths.js";
import { requireTool } from "../cli.js";

export const fixturesDir = fileURLToPath(new URL("./fixtures/", import.meta.url));
export const boardFixturesDir = join(fixturesDir, "boards");
export const kernelsDir = fileURLToPath(new URL("../../firmware/kernels/", import.meta.url));

/** Firmware we ship must build warning-free under these on every board. */
export const STRICT = ["-Wall", "-Wextra", "-Werror", "-pedantic"];

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

export interface AppImage {
  elf: string;
  map: string;
  log: string;
  commands: string[];
}

/** firmware/hal/baremetal/*.c and the include directories they need. */
export function baremetalHal(): { sources: string[]; includeDirs: string[] } {
  const dir = packagePath("firmware", "hal", "baremetal");
  const sources = readdirSync(dir).filter((f) => f.endsWith(".c")).sort().map((f) => join(dir, f));
  return { sources, includeDirs: [packagePath("firmware", "hal"), dir] };
}

/** Compiles and links `sources` (absolute) into outDir/firmware.elf with the board's linker script. */
export async function buildImage(board: Board, outDir: string, sources: string[], includeDirs: string[], flags: string[] = STRICT): Promise<AppImage> {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "link.ld"), linkerScriptFor(board));
  // The defines every firmware build gives the HAL (TML_BOARD_ID, TML_TIMER_HZ, the UART's baud).
  const defines = Object.entries(boardDefines(board, "aot")).map(([k, v]) => `-D${k}=${v}`);
  const build: NativeBuild = {
    dir: outDir,
    units: sources.map((source) => ({ source, lang: "c" as const, flags: [...flags, ...defines, ...includeDirs.map((d) => `-I${d}`)] })),
    links: [{ output: "firmware.elf", sources, flags: ["-T", "link.ld", "-Wl,-Map=firmware.map"], cxx: false }],
  };
  const tc = nativeToolchain(board);
  const log = join(outDir, "build.log");
  await runNativeBuild(tc, build, { log, verbose: false, board });
  const cmds = nativeCommands(tc, build);
  return { elf: join(outDir, "firmware.elf"), map: join(outDir, "firmware.map"), log, commands: [...cmds.compiles, ...cmds.links].map(formatCommand) };
}

/** Builds fixtures/<app> with the bare-metal HAL (and extra sources) for the board. */
export async function buildApp(
  board: Board,
  app: string,
  outDir: string,
  extra: { sources?: string[]; includeDirs?: string[]; defines?: string[] } = {},
): Promise<AppImage> {
  const hal = baremetalHal();
  const sources = [...hal.sources, join(fixturesDir, app), ...(extra.sources ?? [])];
  const flags = [...STRICT, ...(extra.defines ?? []).map((d) => `-D${d}`)];
  return buildImage(board, outDir, sources, [...hal.includeDirs, ...(extra.includeDirs ?? [])], flags);
}
