// Flash and RAM an image really uses, measured from the ELF with binutils:
// `objdump -h` for the sections (with load addresses, so .data counts once in
// RAM and once, as its initial values, in flash) and `nm --size-sort -S` for
// the symbols that take the most room (model weights, the arena, code).

import { existsSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { CHILD_GROUP, trackChild } from "../util/lifecycle.js";
import type { Board } from "../boards/board.js";
import { TinymlError } from "../errors.js";

// The same defaults as native.ts, repeated rather than imported: native.ts
// imports this module, and the size tools also serve images built elsewhere.
const DEFAULT_PREFIX = "arm-none-eabi-";
const ARM_GCC_INSTALL_HINT = "apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi";

export interface SectionSize {
  name: string;
  bytes: number;
}

export interface RegionUsage {
  used: number;
  budget: number;
  /** used / budget, 0..1 (above 1 only for an image linked past its budget). */
  fraction: number;
  sections: SectionSize[];
}

export type ContributorKind = "code" | "const" | "data" | "bss";

export interface Contributor {
  symbol: string;
  bytes: number;
  kind: ContributorKind;
  /** Where it lives: const and code in flash, bss in RAM, data in both. */
  regions: Array<"flash" | "ram">;
}

export interface ImageSize {
  flash: RegionUsage;
  ram: RegionUsage;
  /** Symbols, biggest first. */
  contributors: Contributor[];
}

export interface ElfSection {
  name: string;
  size: number;
  vma: number;
  lma: number;
  flags: string[];
}

/** Parses `objdump -h`: a header line, then a flags line, per section. */
export function parseObjdumpHeaders(text: string): ElfSection[] {
  const lines = text.split("\n");
  const sections: ElfSection[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*\d+\s+(\S+)\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)\s+[0-9a-f]+\s+2\*\*\d+/.exec(lines[i]!);
    if (!m) continue;
    const flags = (lines[i + 1] ?? "").split(",").map((f) => f.trim()).filter(Boolean);
    sections.push({ name: m[1]!, size: parseInt(m[2]!, 16), vma: parseInt(m[3]!, 16), lma: parseInt(m[4]!, 16), flags });
  }
  return sections;
}

const KIND: Record<string, ContributorKind> = { t: "code", w: "code", r: "const", d: "data", b: "bss" };

/** Parses `nm --size-sort -S -t d`: "<addr> <size> <type> <name>". */
export function parseNmSizes(text: string): Contributor[] {
  const out: Contributor[] = [];
  for (const line of text.split("\n")) {
    const m = /^\s*\d+\s+(\d+)\s+([A-Za-z])\s+(\S+)/.exec(line);
    if (!m) continue;
    const kind = KIND[m[2]!.toLowerCase()];
    if (!kind) continue;
    const regions: Contributor["regions"] = kind === "bss" ? ["ram"] : kind === "data" ? ["flash", "ram"] : ["flash"];
    out.push({ symbol: m[3]!, bytes: Number(m[1]), kind, regions });
  }
  return out.sort((a, b) => b.bytes - a.bytes || a.symbol.localeCompare(b.symbol));
}

function usage(sections: SectionSize[], budget: number): RegionUsage {
  const used = sections.reduce((s, x) => s + x.bytes, 0);
  return { used, budget, fraction: used / budget, sections };
}

/** Sums the allocated sections of an ELF into the board's flash and RAM. */
export function regionUsage(sections: ElfSection[], board: Board): { flash: RegionUsage; ram: RegionUsage } {
  const { flashBytes, ramBytes } = board.memory;
  const flashOrigin = board.memory.flashOrigin ?? 0;
  const ramOrigin = board.memory.ramOrigin ?? 0;
  const inFlash = (a: number): boolean => a >= flashOrigin && a < flashOrigin + flashBytes;
  const inRam = (a: number): boolean => a >= ramOrigin && a < ramOrigin + ramBytes;
  const alloc = sections.filter((s) => s.flags.includes("ALLOC") && s.size > 0);
  const flash = alloc.filter((s) => s.flags.includes("LOAD") && inFlash(s.lma)).map((s) => ({ name: s.name, bytes: s.size }));
  const ram = alloc.filter((s) => inRam(s.vma)).map((s) => ({ name: s.name, bytes: s.size }));
  return { flash: usage(flash, flashBytes), ram: usage(ram, ramBytes) };
}

async function binutil(prefix: string, tool: string, args: string[]): Promise<string> {
  const cmd = `${prefix}${tool}`;
  const r = await trackChild(execa(cmd, args, { reject: false, stdin: "ignore", ...CHILD_GROUP }));
  if ((r as { code?: string }).code === "ENOENT") {
    throw new TinymlError("TML_E_TOOLCHAIN_MISSING", `'${cmd}' was not found`, { hint: `Install it with \`${ARM_GCC_INSTALL_HINT}\`.` });
  }
  if (r.exitCode !== 0) {
    throw new TinymlError("TML_E_TOOLCHAIN_FAILED", `${cmd} ${args.join(" ")} failed: ${String(r.stderr).trim()}`);
  }
  return String(r.stdout);
}

/** Measures an ELF against the board's flash and RAM budget. */
export async function measureImage(elf: string, board: Board, opts: { prefix?: string } = {}): Promise<ImageSize> {
  const prefix = opts.prefix ?? DEFAULT_PREFIX;
  const [headers, symbols] = await Promise.all([
    binutil(prefix, "objdump", ["-h", elf]),
    binutil(prefix, "nm", ["--size-sort", "-S", "-t", "d", elf]),
  ]);
  return { ...regionUsage(parseObjdumpHeaders(headers), board), contributors: parseNmSizes(symbols) };
}

/** The generated model sources whose read-only data is the model (AOT's constants, TFLM's flatbuffer). */
const MODEL_OBJECTS = ["obj/model.c.o", "obj/model_data.c.o", "obj/frontend_model.c.o"];

/**
 * Bytes of the model's own data in a native build's image: the read-only
 * symbols the generated model objects define (weights, the flatbuffer), so
 * that flash minus this is the code a runtime costs.
 */
export async function modelDataBytes(buildDir: string, board: Board, opts: { prefix?: string } = {}): Promise<number> {
  const prefix = board.toolchain.driver === "host-cc" ? "" : (opts.prefix ?? DEFAULT_PREFIX);
  let total = 0;
  for (const obj of MODEL_OBJECTS) {
    const path = join(buildDir, obj);
    if (!existsSync(path)) continue;
    const text = await binutil(prefix, "nm", ["--size-sort", "-S", "-t", "d", path]);
    total += parseNmSizes(text).filter((c) => c.kind === "const").reduce((n, c) => n + c.bytes, 0);
  }
  return total;
}
