// Running one toolchain command: its command line and output appended to a
// build log, echoed with --verbose, and a failure turned into a TinymlError
// that quotes the tool's last lines and the exact command.

import { accessSync, appendFileSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { execa, type ExecaError } from "execa";
import { TinymlError } from "../errors.js";
import { commandLine as argvLine } from "./command.js";

export interface ToolRun {
  cwd: string;
  /** The build log that receives every command and its output. */
  log: string;
  verbose: boolean;
  /** Every command run so far, appended to. */
  commands: string[];
}

const LAST_LINES = 25;

export function commandLine(cmd: string, args: readonly string[]): string {
  return argvLine([cmd, ...args]);
}

/** Runs `tasks` with at most `limit` in flight (one compile per CPU); the first failure wins. */
export async function inParallel(tasks: Array<() => Promise<void>>, limit: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) await tasks[next++]!();
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}

/** The absolute path of an executable on PATH, or null. */
export function findOnPath(cmd: string): string | null {
  const dirs = cmd.includes("/") ? [""] : (process.env.PATH ?? "").split(delimiter).filter(Boolean);
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

export async function runTool(run: ToolRun, cmd: string, args: string[]): Promise<void> {
  const line = commandLine(cmd, args);
  run.commands.push(line);
  if (run.verbose) process.stderr.write(`$ ${line}\n`);
  const child = execa(cmd, args, { cwd: run.cwd, reject: false, stdin: "ignore", all: true });
  if (run.verbose) child.all?.on("data", (chunk: Buffer) => process.stderr.write(chunk));
  const r = await child;
  const output = String(r.all ?? "");
  // One block per command, so parallel compiles do not interleave in the log.
  appendFileSync(run.log, `$ ${line}\n${output}${output && !output.endsWith("\n") ? "\n" : ""}`);
  if (r.exitCode === 0) return;
  const code = (r as unknown as ExecaError & { code?: string }).code;
  if (code === "ENOENT") {
    throw new TinymlError("TML_E_TOOLCHAIN_MISSING", `'${cmd}' was not found`, { location: { file: run.cwd, detail: `command: ${line}` } });
  }
  const lines = output.trim().split("\n");
  const shown = lines.length > LAST_LINES ? [`… ${lines.length - LAST_LINES} earlier lines in build.log`, ...lines.slice(-LAST_LINES)] : lines;
  throw new TinymlError("TML_E_TOOLCHAIN_FAILED", `${cmd} failed (exit ${r.exitCode ?? r.signal ?? "?"}):\n${shown.map((l) => `    ${l}`).join("\n")}`, {
    location: { file: run.log, detail: `command: ${line}` },
    hint: `Run the command in ${run.cwd} to reproduce it; build.log holds every command and its full output.`,
  });
}
