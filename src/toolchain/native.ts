// The compilers tinyml drives itself: the host's cc/c++ and Arm's
// arm-none-eabi-gcc/g++. A build is data (units with their flags, link
// steps), turned into exact command lines (what --dry-run prints) and run:
// one compile per CPU in parallel, each through the object cache, then the
// links. Every command and its output goes to the build log; a failure is a
// TinymlError quoting the compiler and the command; a link that overflows
// the board's memory regions is a budget error naming the biggest symbols.

import { appendFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { execa } from "execa";
import type { Board } from "../boards/board.js";
import { TinymlError } from "../errors.js";
import { CHILD_GROUP, trackChild } from "../util/lifecycle.js";
import { commandLine, type ToolCommand } from "./command.js";
import { ARM_CXX_LIBRARY_HINT, HOST_CXX_LIBRARY_HINT, probeCxxLibrary } from "./cxx-library.js";
import { ObjectCache, cacheEnabled } from "./object-cache.js";
import { whichTool } from "./probe.js";
import { measureImage, type Contributor } from "./size.js";

export const ARM_GCC_INSTALL_HINT = "apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi";
export const HOST_CC_INSTALL_HINT = "apt-get install gcc g++ (Debian/Ubuntu), or name a compiler with the CC and CXX environment variables";

export interface NativeToolchain {
  id: "host-cc" | "arm-none-eabi-gcc";
  /** For messages: "the host C compiler". */
  label: string;
  cc: string;
  cxx: string;
  /** Every compile: the CPU and code generation. */
  common: string[];
  c: string[];
  cxxFlags: string[];
  /** Before the objects on every link line. */
  link: string[];
  /** After the objects. */
  libs: string[];
  installHint: string;
  /** How to install the C++ driver's standard library (TFLM's sources need it). */
  cxxLibraryHint: string;
  /** The image is a bare-metal ELF whose link may overflow the board's regions. */
  regions: boolean;
}

/** The compiler profile a board's toolchain.driver names. */
export function nativeToolchain(board: Board): NativeToolchain {
  if (board.toolchain.driver === "host-cc") {
    return {
      id: "host-cc",
      label: "the host C compiler",
      cc: process.env.CC || "cc",
      cxx: process.env.CXX || "c++",
      // -ffp-contract=off: no fused multiply-add, so float kernels round each
      // step as TFLM and the reference do, on any host architecture.
      common: [...board.cpu.cflags, "-O2", "-ffp-contract=off", "-ffunction-sections", "-fdata-sections"],
      c: ["-std=c99"],
      cxxFlags: ["-std=c++17", "-fno-exceptions", "-fno-rtti"],
      link: ["-Wl,--gc-sections"],
      libs: ["-lm"],
      installHint: HOST_CC_INSTALL_HINT,
      cxxLibraryHint: HOST_CXX_LIBRARY_HINT,
      regions: false,
    };
  }
  if (board.toolchain.driver === "arm-none-eabi-gcc") {
    return {
      id: "arm-none-eabi-gcc",
      label: "the Arm bare-metal compiler",
      cc: "arm-none-eabi-gcc",
      cxx: "arm-none-eabi-g++",
      // -g: debug information stays in the ELF (never flashed, no code change),
      // so `tinyml monitor` can name the function and line of a fault.
      common: [...board.cpu.cflags, "-O2", "-g", "-ffunction-sections", "-fdata-sections"],
      c: ["-std=c99"],
      // No exceptions, RTTI or thread-safe statics: nothing on bare metal provides them.
      cxxFlags: ["-std=c++17", "-fno-exceptions", "-fno-rtti", "-fno-threadsafe-statics", "-fno-use-cxa-atexit"],
      link: [...board.cpu.cflags, "-nostartfiles", "--specs=nano.specs", "--specs=nosys.specs", "-Wl,--gc-sections"],
      libs: ["-lm"],
      installHint: ARM_GCC_INSTALL_HINT,
      cxxLibraryHint: ARM_CXX_LIBRARY_HINT,
      regions: true,
    };
  }
  throw new TinymlError("TML_E_BOARD_INVALID", `board ${board.id}'s toolchain '${board.toolchain.driver}' is not a compiler tinyml drives`, {
    location: { file: board.file, detail: "toolchain.driver" },
    hint: "host-cc and arm-none-eabi-gcc are run by tinyml; vendor toolchains build their own projects.",
  });
}

export interface CompileUnit {
  /** Relative to the build directory, or absolute (a library outside it). */
  source: string;
  lang: "c" | "cxx";
  /** Flags of this unit's group: -D, -I, warnings. */
  flags: readonly string[];
}

export interface LinkStep {
  /** The image, relative to the build directory. */
  output: string;
  /** The units whose objects it links, by source. */
  sources: readonly string[];
  /** Linker flags of this image (-T link.ld, -Wl,-Map=…). */
  flags: readonly string[];
  /** Link with the C++ driver (some unit is C++). */
  cxx: boolean;
}

export interface NativeBuild {
  dir: string;
  units: readonly CompileUnit[];
  links: readonly LinkStep[];
}

export interface CompileCommand extends ToolCommand {
  source: string;
  object: string;
  depFile: string;
}

export interface NativeCommands {
  compiles: CompileCommand[];
  links: ToolCommand[];
}

/** obj/<source>.o: sources outside the build directory keep their own tree under obj/abs/. */
export function objectPath(source: string): string {
  const rel = isAbsolute(source) ? `abs${source}` : source.replace(/\.\.\//g, "up/");
  return join("obj", `${rel}.o`);
}

/** The exact commands the build runs (and --dry-run prints). */
export function nativeCommands(tc: NativeToolchain, build: NativeBuild): NativeCommands {
  const compiles = build.units.map((u): CompileCommand => {
    const object = objectPath(u.source);
    const depFile = `${object}.d`;
    const lang = u.lang === "cxx" ? tc.cxxFlags : tc.c;
    return {
      argv: [u.lang === "cxx" ? tc.cxx : tc.cc, ...tc.common, ...lang, ...u.flags, "-MMD", "-MF", depFile, "-c", u.source, "-o", object],
      cwd: build.dir, env: {}, source: u.source, object, depFile,
    };
  });
  const links = build.links.map((l): ToolCommand => ({
    argv: [l.cxx ? tc.cxx : tc.cc, ...tc.link, ...l.flags, "-o", l.output, ...l.sources.map(objectPath), ...tc.libs],
    cwd: build.dir, env: {},
  }));
  return { compiles, links };
}

export interface NativeRunOptions {
  /** Receives every command and its output. */
  log: string;
  verbose: boolean;
  /** After each compile: done, total, source, whether it came from the cache. */
  onCompile?: (done: number, total: number, source: string, cached: boolean) => void;
  /** Board for link-overflow errors (bare-metal images). */
  board: Board;
}

export interface NativeRunResult {
  compiled: number;
  cached: number;
}

/** Runs `tasks` with at most `limit` in flight; the first failure wins. */
export async function inParallel(tasks: Array<() => Promise<void>>, limit: number): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (next < tasks.length && !failed) {
      try {
        await tasks[next++]!();
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}

const LAST_LINES = 25;
/** Longest command an error message quotes; a link line with 300 objects is cut (the build log has it whole). */
const SHOWN_COMMAND = 400;
/** The tail kept when cutting: a compile line ends with the source and the object it names. */
const SHOWN_TAIL = 200;

function shortCommand(line: string): string {
  if (line.length <= SHOWN_COMMAND) return line;
  const head = line.slice(0, SHOWN_COMMAND - SHOWN_TAIL);
  const tail = line.slice(line.length - SHOWN_TAIL);
  return `${head} … ${tail} (${line.length} characters: the whole command is in the build log)`;
}

/** Runs one command, logging it; a failure becomes a TinymlError quoting the tool. */
async function runLogged(cmd: ToolCommand, opts: NativeRunOptions, tc: NativeToolchain): Promise<void> {
  const [tool, ...args] = cmd.argv;
  const line = commandLine(cmd.argv);
  if (opts.verbose) process.stderr.write(`$ ${line}\n`);
  const child = trackChild(execa(tool!, args, { cwd: cmd.cwd, reject: false, stdin: "ignore", all: true, ...CHILD_GROUP }));
  const r = await child;
  const output = String(r.all ?? "");
  if (opts.verbose && output) process.stderr.write(output.endsWith("\n") ? output : `${output}\n`);
  // One block per command, so parallel compiles do not interleave in the log.
  appendFileSync(opts.log, `$ ${line}\n${output}${output && !output.endsWith("\n") ? "\n" : ""}`);
  if (r.exitCode === 0) return;
  if ((r as { code?: string }).code === "ENOENT") {
    throw new TinymlError("TML_E_TOOLCHAIN_MISSING", `${tool === tc.cxx ? `${tc.label}'s C++ driver` : tc.label} '${tool}' was not found on PATH`, {
      location: { file: cmd.cwd, detail: `command: ${shortCommand(line)}` },
      hint: `Install it: ${tc.installHint}.`,
    });
  }
  const lines = output.trim().split("\n");
  const shown = lines.length > LAST_LINES ? [`… ${lines.length - LAST_LINES} earlier lines in build.log`, ...lines.slice(-LAST_LINES)] : lines;
  throw new TinymlError("TML_E_TOOLCHAIN_FAILED", `${tool} failed (exit ${r.exitCode ?? r.signal ?? "?"}):\n${shown.map((l) => `    ${l}`).join("\n")}`, {
    location: { file: opts.log, detail: `command: ${shortCommand(line)}` },
    hint: `Run the command in ${cmd.cwd} to reproduce it; the build log holds every command and its full output.`,
  });
}

/** Compiler identity for the cache: where it is and what it says it is. */
const identities = new Map<string, string>();
async function compilerIdentity(cmd: string): Promise<string> {
  const known = identities.get(cmd);
  if (known) return known;
  const path = whichTool(cmd) ?? cmd;
  const r = await execa(path, ["--version"], { reject: false, stdin: "ignore" });
  const id = `${path}\n${String(r.stdout).split("\n")[0] ?? ""}`;
  identities.set(cmd, id);
  return id;
}

export async function runNativeBuild(tc: NativeToolchain, build: NativeBuild, opts: NativeRunOptions): Promise<NativeRunResult> {
  const { compiles, links } = nativeCommands(tc, build);
  if (!whichTool(tc.cc)) {
    const first = compiles[0] ?? links[0];
    throw new TinymlError("TML_E_TOOLCHAIN_MISSING", `${tc.label} '${tc.cc}' was not found on PATH`, {
      location: { file: build.dir, ...(first ? { detail: `command: ${shortCommand(commandLine(first.argv))}` } : {}) },
      hint: `Install it: ${tc.installHint}.`,
    });
  }
  await checkCxxLibrary(tc, build, compiles);
  mkdirSync(dirname(opts.log), { recursive: true });
  writeFileSync(opts.log, "");
  const cache = cacheEnabled() ? new ObjectCache() : null;
  let done = 0;
  let cached = 0;
  await inParallel(
    compiles.map((c) => async () => {
      mkdirSync(dirname(resolve(build.dir, c.object)), { recursive: true });
      const entry = { cwd: build.dir, compiler: await compilerIdentity(c.argv[0]!), argv: c.argv, source: c.source, object: c.object, depFile: c.depFile };
      const hit = cache?.restore(entry) ?? false;
      if (hit) {
        cached++;
        appendFileSync(opts.log, `$ ${commandLine(c.argv)}\n(cached)\n`);
      } else {
        await runLogged(c, opts, tc);
        cache?.store(entry);
      }
      opts.onCompile?.(++done, compiles.length, c.source, hit);
    }),
    availableParallelism(),
  );
  for (const l of links) {
    try {
      await runLogged(l, opts, tc);
    } catch (e) {
      throw tc.regions ? await overflowError(e, l, opts) : e;
    }
  }
  return { compiled: compiles.length - cached, cached };
}

/**
 * A build with C++ units (TFLM) needs the C++ driver's standard library:
 * without it the first TFLM source would fail on <cstddef> after every C
 * file compiled. A missing driver is left to the compile (its ENOENT error).
 */
async function checkCxxLibrary(tc: NativeToolchain, build: NativeBuild, compiles: readonly CompileCommand[]): Promise<void> {
  const first = build.units.findIndex((u) => u.lang === "cxx");
  if (first < 0 || !whichTool(tc.cxx)) return;
  const probe = await probeCxxLibrary(tc.cxx, [...tc.common, ...tc.cxxFlags]);
  if (probe.found) return;
  throw new TinymlError("TML_E_TOOLCHAIN_MISSING", `${tc.label}'s C++ standard library is not installed: '${tc.cxx}' cannot include <cstddef> (${probe.error})`, {
    location: { file: build.dir, detail: `command: ${shortCommand(commandLine(compiles[first]!.argv))}` },
    hint: `Install it: ${tc.cxxLibraryHint}.`,
  });
}

const OVERFLOW = /region `([^']+)' overflowed by (\d+) bytes/g;

/**
 * Turns ld's "region `FLASH' overflowed by N bytes" into a budget error. To
 * name what is big, links once more with --noinhibit-exec (ld then writes the
 * image despite the overflow) and measures that image like any other.
 */
async function overflowError(e: unknown, link: ToolCommand, opts: NativeRunOptions): Promise<unknown> {
  if (!(e instanceof TinymlError) || e.code !== "TML_E_TOOLCHAIN_FAILED") return e;
  const overflows = [...e.message.matchAll(OVERFLOW)].map((m) => ({ region: m[1]!, bytes: Number(m[2]) }));
  if (overflows.length === 0) return e;
  const { board } = opts;
  const budget = (region: string): number => (region === "FLASH" ? board.memory.flashBytes : board.memory.ramBytes);
  const outIndex = link.argv.indexOf("-o") + 1;
  const elf = link.argv[outIndex]!;
  const probe = `${elf}.overflow`;
  let contributors: Contributor[] = [];
  try {
    const argv = link.argv.map((a, i) => (i === outIndex ? probe : a)).filter((a) => !a.startsWith("-Wl,-Map="));
    await trackChild(execa(argv[0]!, [...argv.slice(1), "-Wl,--noinhibit-exec"], { cwd: link.cwd, reject: true, stdin: "ignore", all: true, ...CHILD_GROUP }));
    const regions = new Set(overflows.map((o) => (o.region === "FLASH" ? "flash" : "ram")));
    contributors = (await measureImage(resolve(link.cwd, probe), board)).contributors
      .filter((c) => c.regions.some((r) => regions.has(r)))
      .slice(0, 5);
  } catch {
    // The overflow itself is the news; a failed probe only costs the list.
  } finally {
    rmSync(resolve(link.cwd, probe), { force: true });
  }
  const what = overflows.map((o) => `${o.region} by ${o.bytes} bytes (budget ${budget(o.region)} bytes)`).join(", ");
  const biggest = contributors.map((c) => `${c.symbol} ${c.bytes} B (${c.kind})`).join(", ");
  appendFileSync(opts.log, `\nbudget exceeded: ${what}\n`);
  return new TinymlError("TML_E_BUDGET_EXCEEDED", `the image does not fit ${board.id}: it overflows ${what}${biggest ? `. Biggest: ${biggest}` : ""}`, {
    location: { file: board.file, detail: "memory" },
    hint: "Shrink the model (quantize to int8, fewer or smaller layers) or the arena, or choose a board with more memory. The full link output is in build.log.",
    cause: e,
  });
}
