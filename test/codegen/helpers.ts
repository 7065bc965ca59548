// Shared by the codegen tests: generating a model's sources into a
// directory, and compiling them with the strict warning flags the issue sets.
import { execa } from "execa";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { GeneratedFile } from "../../src/codegen/c-array.js";
import { repoRoot } from "../cli.js";

export const STRICT_C = ["-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic"];
export const CORTEX_M4 = ["-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16"];
export const KERNELS_DIR = `${repoRoot}firmware/kernels`;
export const RUNTIME_DIR = `${repoRoot}firmware/runtime`;

export function writeFiles(files: GeneratedFile[], dir = mkdtempSync(join(tmpdir(), "tinyml-codegen-"))): string {
  for (const f of files) {
    mkdirSync(join(dir, f.path, ".."), { recursive: true });
    writeFileSync(join(dir, f.path), f.text);
  }
  return dir;
}

/** Compiles `sources` to objects with the strict flags; throws with the compiler's output on failure. */
export async function compileStrict(cc: string, dir: string, sources: string[], extra: string[] = []): Promise<void> {
  for (const s of sources) {
    const r = await execa(cc, [...STRICT_C, ...extra, "-O2", "-I", dir, "-I", KERNELS_DIR, "-I", RUNTIME_DIR, "-c", s, "-o", `${s}.o`], {
      cwd: dir,
      reject: false,
    });
    if (r.exitCode !== 0) throw new Error(`${cc} ${s} failed:\n${r.stderr}`);
  }
}
