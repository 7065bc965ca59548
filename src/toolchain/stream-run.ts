// Running vendor tool commands with their output streamed: every line goes
// to <build>/build.log; with --verbose to stderr as well; otherwise a single
// status line shows the step and the tool's latest line, redrawn in place
// on a terminal (one start and one end line in a CI log). A failure becomes
// a TinymlError quoting the tool's last lines and the exact command.

import { appendFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { execa } from "execa";
import { TinymlError } from "../errors.js";
import { CHILD_GROUP, trackChild } from "../util/lifecycle.js";
import { commandLine, formatCommand, type ToolCommand } from "./command.js";

export interface StreamRunOptions {
  /** Receives every command line and all output (appended). */
  log: string;
  verbose: boolean;
  /** Where progress and --verbose output go (stderr by default). */
  stream?: NodeJS.WriteStream;
  /** The install hint when the tool is not on PATH. */
  missingHint: string;
}

/** How many of the tool's last lines a failure quotes. */
export const QUOTED_LINES = 20;
const KEPT_LINES = 400;

interface StatusLine {
  line(text: string): void;
  end(ok: boolean): void;
}

function statusLine(label: string, stream: NodeJS.WriteStream, verbose: boolean): StatusLine {
  const tty = Boolean(stream.isTTY) && !verbose;
  const start = Date.now();
  const width = Math.max(20, (stream.columns || 100) - 1);
  let last = 0;
  if (!tty) stream.write(`${label}…\n`);
  return {
    line(text) {
      // Redraw at most 10 times a second: a compiler's output is thousands of lines.
      if (!tty || Date.now() - last < 100) return;
      last = Date.now();
      stream.write(`\r\x1b[K${`${label}: ${text.trim()}`.slice(0, width)}`);
    },
    end(ok) {
      const secs = ((Date.now() - start) / 1000).toFixed(1);
      stream.write(`${tty ? "\r\x1b[K" : ""}${label}: ${ok ? "done" : "failed"} in ${secs} s\n`);
    },
  };
}

/** Runs the commands in order; the first failure stops the run. */
export async function runStreamed(commands: readonly ToolCommand[], opts: StreamRunOptions): Promise<void> {
  const stream = opts.stream ?? process.stderr;
  mkdirSync(dirname(opts.log), { recursive: true });
  for (const cmd of commands) await runOne(cmd, opts, stream);
}

async function runOne(cmd: ToolCommand, opts: StreamRunOptions, stream: NodeJS.WriteStream): Promise<void> {
  const [tool, ...args] = cmd.argv;
  if (!tool) throw new Error("empty command");
  const shown = formatCommand(cmd);
  appendFileSync(opts.log, `$ ${shown}\n`);
  if (opts.verbose) stream.write(`$ ${shown}\n`);
  const status = statusLine(commandLine(cmd.argv.slice(0, 2)), stream, opts.verbose);
  const lines: string[] = [];
  let partial = "";
  const child = trackChild(execa(tool, args, {
    cwd: cmd.cwd,
    env: cmd.env,
    reject: false,
    stdin: "ignore",
    all: true,
    buffer: false,
    ...CHILD_GROUP,
  }));
  child.all?.on("data", (chunk: Buffer) => {
    const text = chunk.toString("utf8");
    appendFileSync(opts.log, text);
    if (opts.verbose) stream.write(text);
    const parts = (partial + text).split(/\r?\n|\r/);
    partial = parts.pop() ?? "";
    for (const l of parts) {
      lines.push(l);
      status.line(l);
    }
    if (lines.length > KEPT_LINES) lines.splice(0, lines.length - KEPT_LINES);
  });
  const r = await child;
  if (partial) lines.push(partial);
  const matched = (cmd.failOn ?? []).find((s) => lines.some((l) => l.includes(s)));
  const ok = r.exitCode === 0 && !matched;
  status.end(ok);
  appendFileSync(opts.log, `[exit ${r.exitCode ?? r.signal ?? "?"}]\n`);
  if (ok) return;
  const code = (r as { code?: string }).code;
  if (code === "ENOENT" || (r.failed && r.exitCode === undefined && /ENOENT/.test(String(r.message)))) {
    throw new TinymlError("TML_E_TOOLCHAIN_MISSING", `'${tool}' was not found on PATH`, {
      location: { file: cmd.cwd, detail: `command: ${commandLine(cmd.argv)}` },
      hint: opts.missingHint,
    });
  }
  const tail = lines.filter((l) => l.trim() !== "").slice(-QUOTED_LINES);
  const why = matched ? `reported "${matched}"` : `exit ${r.exitCode ?? r.signal ?? "?"}`;
  throw new TinymlError("TML_E_TOOLCHAIN_FAILED", `${tool} failed (${why}):\n${tail.map((l) => `    ${l}`).join("\n")}`, {
    location: { file: opts.log, detail: `command: ${shown}` },
    hint: `Rerun that command to reproduce it; ${opts.log} holds every command and its full output.`,
  });
}
