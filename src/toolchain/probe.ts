// Finding a tool and its version without running a build: where it is on
// PATH and the first version-looking thing it prints for its version flag.

import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { execa } from "execa";
import { CHILD_GROUP, trackChild } from "../util/lifecycle.js";

/** The absolute path of an executable on PATH (or a path given with a '/'), or null. */
export function whichTool(cmd: string, path = process.env.PATH ?? ""): string | null {
  const dirs = cmd.includes("/") ? [""] : path.split(delimiter).filter(Boolean);
  for (const dir of dirs) {
    const candidate = dir ? join(dir, cmd) : cmd;
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return null;
}

export interface ToolProbe {
  path: string;
  /** e.g. "5.2.1"; the first line of output when no version number is in it. */
  version: string;
  /** Everything the version command printed. */
  output: string;
}

/** Runs `cmd ...args` (a version query) and pulls out a dotted version number. */
export async function probeTool(cmd: string, args: string[], timeoutMs = 15_000): Promise<ToolProbe | null> {
  const path = whichTool(cmd);
  if (!path) return null;
  const r = await trackChild(execa(path, args, { reject: false, stdin: "ignore", all: true, timeout: timeoutMs, ...CHILD_GROUP }));
  const output = String(r.all ?? "");
  const version = /(\d+\.\d+(?:\.\d+)?(?:[-.][0-9A-Za-z]+)*)/.exec(output)?.[1] ?? output.split("\n")[0]?.trim() ?? "";
  return { path, version, output };
}

/** Output of a query command (exit status 0), or null. */
export async function queryTool(cmd: string, args: string[], cwd?: string, timeoutMs = 30_000): Promise<string | null> {
  const path = whichTool(cmd);
  if (!path) return null;
  const r = await trackChild(execa(path, args, { reject: false, stdin: "ignore", all: true, timeout: timeoutMs, cwd, ...CHILD_GROUP }));
  return r.exitCode === 0 ? String(r.all ?? "") : null;
}
