// The arm-none-eabi-gcc driver for bare-metal Cortex-M images. The compiler
// runs directly through execa (no Makefile): one job per source in parallel,
// then one link with the rendered linker script. Every command and its
// output goes to <outDir>/build.log (and to stderr with `verbose`). A link
// that overflows a memory region becomes TML_E_BUDGET_EXCEEDED with the
// overshoot and the biggest symbols, measured from the image ld writes anyway.

import { appendFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { basename, extname, isAbsolute, join, relative, resolve } from "node:path";
import { execa } from "execa";
import type { Board } from "../boards/board.js";
import { TinymlError } from "../errors.js";
import { packageRoot } from "../paths.js";
import { findOnPath, inParallel, runTool, type ToolRun } from "./run-tool.js";
import { measureImage, type Contributor } from "./size.js";

export const ARM_GCC_INSTALL_HINT = "apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi";
export const DEFAULT_PREFIX = "arm-none-eabi-";

export interface ArmGccInfo {
  /** Absolute path of <prefix>gcc. */
  path: string;
  /** e.g. "12.2.1" */
  version: string;
  /** The first line of `--version`, as the tool prints it. */
  banner: string;
}

function missing(cmd: string): TinymlError {
  return new TinymlError("TML_E_TOOLCHAIN_MISSING", `the Arm bare-metal compiler '${cmd}' was not found on PATH`, {
    hint: `Install it with \`${ARM_GCC_INSTALL_HINT}\` (Debian/Ubuntu), or put Arm's GNU toolchain bin/ directory on PATH.`,
  });
}

/** Where arm-none-eabi-gcc is and which version; TML_E_TOOLCHAIN_MISSING if absent. */
export async function detect(prefix = DEFAULT_PREFIX): Promise<ArmGccInfo> {
  const cmd = `${prefix}gcc`;
  const path = findOnPath(cmd);
  if (!path) throw missing(cmd);
  const r = await execa(path, ["--version"], { reject: false, stdin: "ignore" });
  const banner = String(r.stdout).split("\n")[0] ?? "";
  const version = /(\d+\.\d+\.\d+)/.exec(banner)?.[1] ?? banner;
  return { path, version, banner };
}

export type DefineValue = string | number | true;

/** A C string literal for a -D value (TML_BOARD_ID="qemu-m4"). */
export function cString(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

export interface BaremetalBuildOptions {
  board: Board;
  /** C (.c) and C++ (.cc, .cpp) sources, absolute or relative to outDir. */
  sources: string[];
  includeDirs: string[];
  /** Added to what the board defines (TML_BOARD_ID, TML_TIMER_HZ, TML_UART_BAUD). */
  defines?: Record<string, DefineValue>;
  outDir: string;
  /** The rendered linker script (see renderLinkerScript). */
  linkerScript: string;
  /** Extra C flags, e.g. ["-Werror", "-pedantic"] for firmware that must stay warning-free. */
  cflags?: string[];
  /** The image's file name in outDir. */
  output?: string;
  verbose?: boolean;
  prefix?: string;
}

export interface BaremetalImage {
  elf: string;
  map: string;
  log: string;
  /** Every command run, as a shell would print it. */
  commands: string[];
}

const OPT = ["-O2", "-ffunction-sections", "-fdata-sections", "-Wall", "-Wextra"];
const CXX = ["-std=c++17", "-fno-exceptions", "-fno-rtti", "-fno-threadsafe-statics"];
const LINK = ["-nostartfiles", "--specs=nano.specs", "--specs=nosys.specs", "-Wl,--gc-sections"];
// After the objects: the kernels call expf/tanhf.
const LIBS = ["-lm"];

function boardDefines(board: Board): Record<string, DefineValue> {
  return {
    TML_BOARD_ID: cString(board.id),
    TML_TIMER_HZ: `${board.timer.hz}u`,
    ...(board.serial ? { TML_UART_BAUD: `${board.serial.baud}u` } : {}),
  };
}

function defineFlags(defines: Record<string, DefineValue>): string[] {
  return Object.entries(defines).map(([k, v]) => (v === true ? `-D${k}` : `-D${k}=${v}`));
}

function isCxx(source: string): boolean {
  return [".cc", ".cpp", ".cxx"].includes(extname(source));
}

/**
 * obj/<path>.o, where <path> is the source's path inside outDir, else inside
 * the tinyml package (firmware/...), else its absolute path: unique, and
 * readable in the log and the map file.
 */
function objectFor(outDir: string, source: string): string {
  const abs = resolve(outDir, source);
  const inside = (root: string): string | null => {
    const rel = relative(root, abs);
    return rel.startsWith("..") || isAbsolute(rel) ? null : rel;
  };
  const rel = inside(outDir) ?? inside(packageRoot) ?? `abs${abs}`;
  return join("obj", `${rel}.o`);
}

const OVERFLOW = /region `([^']+)' overflowed by (\d+) bytes/g;

/** Compiles and links a bare-metal image for the board. */
export async function buildBaremetal(opts: BaremetalBuildOptions): Promise<BaremetalImage> {
  const prefix = opts.prefix ?? DEFAULT_PREFIX;
  const gcc = `${prefix}gcc`;
  const gxx = `${prefix}g++`;
  if (!findOnPath(gcc)) throw missing(gcc);
  const { board, outDir } = opts;
  mkdirSync(outDir, { recursive: true });
  const output = opts.output ?? "firmware.elf";
  const elf = join(outDir, output);
  const map = join(outDir, `${basename(output, extname(output))}.map`);
  const ldFile = join(outDir, "link.ld");
  const log = join(outDir, "build.log");
  writeFileSync(ldFile, opts.linkerScript);
  writeFileSync(log, "");
  const commands: string[] = [];
  const tool: ToolRun = { cwd: outDir, log, verbose: opts.verbose ?? false, commands };

  const common = [...board.cpu.cflags, ...OPT, ...defineFlags({ ...boardDefines(board), ...opts.defines }), ...opts.includeDirs.map((d) => `-I${d}`)];
  const units = opts.sources.map((source) => ({ source, object: objectFor(outDir, source), cxx: isCxx(source) }));
  for (const u of units) mkdirSync(join(outDir, u.object, ".."), { recursive: true });
  await inParallel(
    units.map((u) => async () => {
      const args = u.cxx ? [...CXX, ...common] : ["-std=c99", ...common, ...(opts.cflags ?? [])];
      await runTool(tool, u.cxx ? gxx : gcc, [...args, "-c", u.source, "-o", u.object]);
    }),
    availableParallelism(),
  );

  const linker = units.some((u) => u.cxx) ? gxx : gcc;
  const linkArgs = [...board.cpu.cflags, ...LINK, `-Wl,-Map=${map}`, "-T", ldFile, "-o", elf, ...units.map((u) => u.object), ...LIBS];
  try {
    await runTool(tool, linker, linkArgs);
  } catch (e) {
    throw await overflowError(e, { board, linker, linkArgs, elf, prefix, tool });
  }
  return { elf, map, log, commands };
}

interface OverflowContext {
  board: Board;
  linker: string;
  linkArgs: string[];
  elf: string;
  prefix: string;
  tool: ToolRun;
}

/**
 * Turns ld's "region `FLASH' overflowed by N bytes" into a budget error. To
 * name what is big, links once more with --noinhibit-exec (ld then writes the
 * image despite the overflow) and measures that image like any other.
 */
async function overflowError(e: unknown, ctx: OverflowContext): Promise<unknown> {
  if (!(e instanceof TinymlError) || e.code !== "TML_E_TOOLCHAIN_FAILED") return e;
  const overflows = [...e.message.matchAll(OVERFLOW)].map((m) => ({ region: m[1]!, bytes: Number(m[2]) }));
  if (overflows.length === 0) return e;
  const budget = (region: string): number => (region === "FLASH" ? ctx.board.memory.flashBytes : ctx.board.memory.ramBytes);
  let contributors: Contributor[] = [];
  const probe = `${ctx.elf}.overflow`;
  try {
    await execa(ctx.linker, [...ctx.linkArgs.filter((a) => !a.startsWith("-Wl,-Map=")).map((a) => (a === ctx.elf ? probe : a)), "-Wl,--noinhibit-exec"], {
      cwd: ctx.tool.cwd,
      reject: true,
      stdin: "ignore",
      all: true,
    });
    const regions = new Set(overflows.map((o) => (o.region === "FLASH" ? "flash" : "ram")));
    contributors = (await measureImage(probe, ctx.board, { prefix: ctx.prefix })).contributors
      .filter((c) => c.regions.some((r) => regions.has(r)))
      .slice(0, 5);
  } catch {
    // The overflow itself is the news; a failed probe only costs the list.
  } finally {
    rmSync(probe, { force: true });
  }
  const what = overflows.map((o) => `${o.region} by ${o.bytes} bytes (budget ${budget(o.region)} bytes)`).join(", ");
  const biggest = contributors.map((c) => `${c.symbol} ${c.bytes} B (${c.kind})`).join(", ");
  appendFileSync(ctx.tool.log, `\nbudget exceeded: ${what}\n`);
  return new TinymlError("TML_E_BUDGET_EXCEEDED", `the image does not fit ${ctx.board.id}: it overflows ${what}${biggest ? `. Biggest: ${biggest}` : ""}`, {
    location: { file: ctx.board.file, detail: "memory" },
    hint: "Shrink the model (quantize to int8, fewer or smaller layers) or the arena, or choose a board with more memory. The full link output is in build.log.",
    cause: e,
  });
}
