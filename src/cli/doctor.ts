// `tinyml doctor`: every tool tinyml can drive, found or not, its version
// and how to install it. Missing tools are marked, not fatal: a machine
// needs only the toolchains of the boards it builds for, so the exit
// status is 0 either way.

import { normalize } from "node:path";
import { loadAllBoards } from "../boards/load.js";
import type { Board } from "../boards/board.js";
import { FLASHERS } from "../flash/flashers.js";
import type { ToolDetection } from "../toolchain/driver.js";
import { ARM_CXX_LIBRARY_HINT, probeCxxLibrary } from "../toolchain/cxx-library.js";
import { nativeToolchain } from "../toolchain/native.js";
import { probeTool, queryTool, whichTool } from "../toolchain/probe.js";
import { VENDOR_TOOLCHAINS } from "../toolchain/vendor-drivers.js";
import { renderTable } from "../util/table.js";
import { defineCommand } from "./command.js";

type Kind = "toolchain" | "emulator" | "flasher" | "tool";

interface DoctorEntry extends ToolDetection {
  kind: Kind;
  /** Boards that need it. */
  boards: string[];
}

async function simpleTool(name: string, cmd: string, versionArgs: string[], hint: string): Promise<ToolDetection> {
  const p = await probeTool(cmd, versionArgs);
  return { name, found: p !== null, ...(p ? { path: p.path, version: p.version } : {}), hint, problems: [] };
}

async function qemu(boards: Board[]): Promise<ToolDetection> {
  const base = await simpleTool("qemu-system-arm", "qemu-system-arm", ["--version"], "apt-get install qemu-system-arm");
  if (!base.found) return base;
  const machines = (await queryTool("qemu-system-arm", ["-machine", "help"])) ?? "";
  const have = new Set(machines.split("\n").map((l) => l.trim().split(/\s+/)[0]));
  const wanted = [...new Set(boards.flatMap((b) => (b.emulator ? [b.emulator.qemu.machine] : [])))].sort();
  const missing = wanted.filter((m) => !have.has(m));
  return {
    ...base,
    name: `qemu-system-arm (machines: ${wanted.map((m) => `${m}${missing.includes(m) ? " missing" : ""}`).join(", ")})`,
    found: missing.length === 0,
    problems: missing.map((m) => `machine ${m} is not in \`qemu-system-arm -machine help\``),
  };
}

/** arm-none-eabi-g++'s libstdc++ (its own Debian package): only --runtime tflm, whose sources are C++, needs it. */
async function armCxxLibrary(boards: Board[]): Promise<ToolDetection> {
  const name = "arm-none-eabi C++ library (libstdc++, for --runtime tflm)";
  const board = boards.find((b) => b.toolchain.driver === "arm-none-eabi-gcc");
  const tc = board ? nativeToolchain(board) : undefined;
  if (!tc || !whichTool(tc.cxx)) {
    return { name, found: false, hint: `apt-get install gcc-arm-none-eabi ${ARM_CXX_LIBRARY_HINT.replace(/^apt-get install /, "")}`, problems: [`${tc?.cxx ?? "arm-none-eabi-g++"} is not on PATH`] };
  }
  const probe = await probeCxxLibrary(tc.cxx, [...tc.common, ...tc.cxxFlags]);
  if (!probe.found) return { name, found: false, hint: ARM_CXX_LIBRARY_HINT, problems: [`${tc.cxx} cannot include <cstddef>: ${probe.error}`] };
  return { name, found: true, ...(probe.library ? { path: normalize(probe.library) } : {}), hint: ARM_CXX_LIBRARY_HINT, problems: [] };
}

function usedBy(boards: Board[], pick: (b: Board) => string): (id: string) => string[] {
  return (id) => boards.filter((b) => pick(b) === id).map((b) => b.id);
}

async function examine(boards: Board[]): Promise<DoctorEntry[]> {
  const byToolchain = usedBy(boards, (b) => b.toolchain.driver);
  const byFlasher = usedBy(boards, (b) => b.flasher.driver);
  const entries: DoctorEntry[] = [];
  const add = (kind: Kind, users: string[], d: ToolDetection): void => {
    entries.push({ ...d, kind, boards: users });
  };
  add("toolchain", byToolchain("host-cc"), await simpleTool("host C compiler (cc)", process.env.CC || "cc", ["--version"], "apt-get install gcc g++ (or set CC/CXX)"));
  add("toolchain", byToolchain("arm-none-eabi-gcc"), await simpleTool("arm-none-eabi-gcc", "arm-none-eabi-gcc", ["--version"], "apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi"));
  add("toolchain", byToolchain("arm-none-eabi-gcc"), await armCxxLibrary(boards));
  for (const d of VENDOR_TOOLCHAINS.values()) {
    const users = byToolchain(d.id);
    // Check what the first board of this driver needs (e.g. its Arduino core).
    add("toolchain", users, await d.detect({ board: boards.find((b) => b.toolchain.driver === d.id) }));
  }
  add("emulator", boards.filter((b) => b.emulator).map((b) => b.id), await qemu(boards));
  for (const f of FLASHERS.values()) add("flasher", byFlasher(f.id), await f.detect());
  add("tool", [], await simpleTool("socat (virtual serial links for tests)", "socat", ["-V"], "apt-get install socat"));
  return entries;
}

export const doctorCommand = defineCommand({
  name: "doctor",
  usage: "doctor",
  describe: "Check which toolchains, emulators and flashers are installed, with install hints",
  builder: (y) => y.option("boards-dir", { type: "string", describe: "A directory of extra board JSON files" }),
  async run(args, out) {
    const entries = await examine(loadAllBoards(args.boardsDir));
    if (out.json) {
      out.printJson({ tools: entries });
      return 0;
    }
    out.print(renderTable(
      ["", "tool", "version", "boards", "path"],
      entries.map((e) => [e.found ? "ok" : "MISSING", e.name, e.version ?? "-", e.boards.join(", ") || "-", e.path ?? "-"]),
    ));
    const missing = entries.filter((e) => !e.found);
    for (const e of missing) {
      out.print(`\n${e.name}:${e.problems.map((p) => `\n  - ${p}`).join("")}\n  hint: ${e.hint}`);
    }
    out.print(missing.length === 0 ? "\nEverything is installed." : `\n${missing.length} of ${entries.length} missing (only the boards you use need theirs).`);
    return 0;
  },
});
