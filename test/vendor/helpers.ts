// Shared by the vendor-board tests: rendering a board's project for a real
// model, scrubbing what changes between runs from rendered text, and
// running code with the recording fake vendor tools first on PATH.
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { loadBoard } from "../../src/boards/load.js";
import type { RuntimeKind } from "../../src/boards/board.js";
import { loadModel } from "../../src/model/load.js";
import { generateFirmwareProject, type GeneratedProject } from "../../src/firmware-project/build.js";
import { PROJECT_NAME } from "../../src/firmware-project/families.js";
import type { VendorProjectOnDisk } from "../../src/toolchain/driver.js";
import { repoRoot } from "../cli.js";
import { modelPath } from "../fixtures.js";

export const FAKES_BIN = `${repoRoot}test/vendor/fakes/bin`;
export const VENDOR_BOARDS = ["esp32", "esp32s3", "nano33ble", "coralmicro"] as const;
export const RUNTIMES: readonly RuntimeKind[] = ["aot", "tflm"];

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `tinyml-${prefix}-`));
}

/** A generated project, in the shape both the tests and the vendor toolchain drivers read. */
export type RenderedBoard = { project: GeneratedProject & VendorProjectOnDisk };

/** What `tinyml build --dry-run` writes for the board: the project, not compiled. */
export async function renderProject(opts: Omit<Parameters<typeof generateFirmwareProject>[0], "verbose" | "progress">): Promise<RenderedBoard> {
  const project = await generateFirmwareProject({ ...opts, verbose: false, progress: () => undefined });
  return { project: { ...project, name: PROJECT_NAME, runtime: opts.runtime, defines: project.context.defines } };
}

export async function renderBoard(boardId: string, runtime: RuntimeKind, dir = tempDir(boardId), boardsDir?: string): Promise<RenderedBoard> {
  const loaded = await loadModel(modelPath("hello_world_int8"));
  return renderProject({ board: loadBoard(boardId, boardsDir), loaded, runtime, app: "inference", dir });
}

/** Versions and hashes change with every release and model; snapshots keep their place only. */
export function scrub(text: string): string {
  return text
    .replace(/tinyml \d+\.\d+\.\d+(-[0-9A-Za-z.]+)?/g, "tinyml <version>")
    .replace(/TML_VERSION=\\?"[^"\\]*\\?"/g, "TML_VERSION=<version>")
    .replace(/\b[0-9a-f]{64}\b/g, "<sha256>");
}

/** What fake-tool.mjs records of a call's environment. */
export const RECORDED_ENV = ["PYTHONUNBUFFERED", "IDF_PATH", "CORALMICRO_DIR", "CORAL_MICRO_SERIAL"];

export interface FakeCall {
  tool: string;
  argv: string[];
  cwd: string;
  env: Record<string, string>;
}

export function readFakeLog(log: string): FakeCall[] {
  if (!existsSync(log)) return [];
  return readFileSync(log, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as FakeCall);
}

/**
 * Runs `fn` with the fakes first on PATH (and the given extra variables),
 * restoring the environment afterwards. Returns the calls the fakes saw.
 */
export async function withFakes<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<{ result?: T; error?: unknown; calls: FakeCall[] }> {
  const log = join(tempDir("fakelog"), "calls.jsonl");
  writeFileSync(log, "");
  const saved = { ...process.env };
  // The variables the fakes record start unset, so a call shows only what tinyml (or `env`) set.
  for (const k of RECORDED_ENV) delete process.env[k];
  Object.assign(process.env, env, { PATH: `${FAKES_BIN}${delimiter}${process.env.PATH ?? ""}`, TINYML_FAKE_LOG: log });
  try {
    return { result: await fn(), calls: readFakeLog(log) };
  } catch (error) {
    return { error, calls: readFakeLog(log) };
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}
