// Runs firmware/runtime/tml_recognize.c (through test/wakeword/recognize_driver.c)
// and src/wakeword/smoothing.ts on the same timed score sequences, both
// printing one "index score is_new" (or "error N") line per result.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { TinymlError } from "../../src/errors.js";
import { RECOGNIZE_DEFAULTS, RecognizeCommands, type RecognizeConfig } from "../../src/wakeword/smoothing.js";

export const runtimeDir = fileURLToPath(new URL("../../firmware/runtime/", import.meta.url));
const driver = fileURLToPath(new URL("./recognize_driver.c", import.meta.url));

export interface TimedScores {
  timeMs: number;
  scores: ArrayLike<number>;
}

export type SmoothingConfig = Omit<RecognizeConfig, "maxResults">;
export const DEFAULTS: SmoothingConfig = { ...RECOGNIZE_DEFAULTS };

/** Builds the driver with -Werror and sanitizers; returns the executable. */
export async function buildDriver(): Promise<string> {
  const exe = join(mkdtempSync(join(tmpdir(), "tinyml-recognize-")), "recognize_driver");
  const flags = ["-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-O1", "-g", "-fsanitize=address,undefined", "-fno-sanitize-recover=all"];
  const r = await execa("gcc", [...flags, `-I${runtimeDir}`, driver, join(runtimeDir, "tml_recognize.c"), "-o", exe], { reject: false });
  if (r.exitCode !== 0 || r.stderr !== "") throw new Error(`gcc failed:\n${r.stderr}`);
  return exe;
}

export async function runC(exe: string, c: SmoothingConfig, categories: number, seq: readonly TimedScores[]): Promise<string[]> {
  const input = [
    `${c.averageWindowMs} ${c.detectionThreshold} ${c.suppressionMs} ${c.minimumCount} ${categories}`,
    ...seq.map((s) => `${s.timeMs} ${Array.from(s.scores).join(" ")}`),
  ].join("\n");
  const r = await execa(exe, [], { input, reject: false });
  if (r.exitCode !== 0 || r.stderr !== "") throw new Error(`recognize_driver failed (${r.exitCode}):\n${r.stderr}`);
  return r.stdout.split("\n").filter((l) => l !== "");
}

export function runTs(c: SmoothingConfig, categories: number, seq: readonly TimedScores[]): string[] {
  const r = new RecognizeCommands(categories, c);
  return seq.map((s) => {
    try {
      const out = r.process(s.scores, s.timeMs);
      return `${out.index} ${out.score} ${out.isNewCommand ? 1 : 0}`;
    } catch (e) {
      if (e instanceof TinymlError && /time order/.test(e.message)) return "error 3";
      throw e;
    }
  });
}
