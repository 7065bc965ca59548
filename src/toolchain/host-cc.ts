// The host board's toolchain: the system C (and, for TFLM, C++) compiler,
// run through execa. Each source compiles to an object under obj/ (in
// parallel, one job per CPU), then one link. A compiler that is missing or
// fails is a TinymlError carrying the compiler's own message, the command
// line and the build directory.

import { availableParallelism } from "node:os";
import { join } from "node:path";
import { mkdirSync } from "node:fs";
import { execa, type ExecaError } from "execa";
import { TinymlError } from "../errors.js";
import { commandLine as argvLine } from "./command.js";
import { inParallel } from "./run-tool.js";

export interface HostCompileJob {
  /** The project directory; relative paths are resolved from it. */
  dir: string;
  cc: string;
  cxx: string;
  cSources: string[];
  cxxSources: string[];
  includeDirs: string[];
  cflags: string[];
  cxxflags: string[];
  ldflags: string[];
  /** The executable, relative to dir. */
  output: string;
}

const MAX_MESSAGE_LINES = 40;

/** The command as a shell would print it (shared quoting with every other tool). */
export function commandLine(cmd: string, args: readonly string[]): string {
  return argvLine([cmd, ...args]);
}

async function run(job: HostCompileJob, cmd: string, args: string[]): Promise<void> {
  try {
    await execa(cmd, args, { cwd: job.dir, reject: true, stdin: "ignore", all: true });
  } catch (e) {
    const err = e as ExecaError & { code?: string };
    const where = { file: job.dir, detail: `command: ${commandLine(cmd, args)}` };
    if (err.code === "ENOENT") {
      throw new TinymlError("TML_E_TOOLCHAIN_MISSING", `the host C compiler '${cmd}' was not found`, {
        location: where,
        hint: "Install a C compiler (Debian/Ubuntu: `apt-get install gcc g++`), or name one with the CC/CXX environment variables.",
      });
    }
    const output = String(err.all ?? err.stderr ?? err.message).trim().split("\n");
    const shown = output.length > MAX_MESSAGE_LINES ? [...output.slice(0, MAX_MESSAGE_LINES), `… ${output.length - MAX_MESSAGE_LINES} more lines`] : output;
    throw new TinymlError("TML_E_TOOLCHAIN_FAILED", `${cmd} failed (exit ${err.exitCode ?? "?"}):\n${shown.map((l) => `    ${l}`).join("\n")}`, {
      location: where,
      hint: `The build directory is ${job.dir}; rerun the command there, or \`make\` with the generated Makefile, to see the full output.`,
    });
  }
}

export function objectPath(source: string): string {
  // Sources outside the project (a TFLM checkout) keep their own tree under obj/.
  return join("obj", `${source.replace(/^\/+/, "").replace(/\.\.\//g, "up/")}.o`);
}

/** Compiles and links the job; returns the link command line. */
export async function compileHost(job: HostCompileJob): Promise<string> {
  const includes = job.includeDirs.map((d) => `-I${d}`);
  const units = [
    ...job.cSources.map((s) => ({ s, cmd: job.cc, flags: job.cflags })),
    ...job.cxxSources.map((s) => ({ s, cmd: job.cxx, flags: job.cxxflags })),
  ];
  for (const u of units) mkdirSync(join(job.dir, objectPath(u.s), ".."), { recursive: true });
  await inParallel(
    units.map((u) => () => run(job, u.cmd, [...u.flags, ...includes, "-c", u.s, "-o", objectPath(u.s)])),
    availableParallelism(),
  );
  const linker = job.cxxSources.length > 0 ? job.cxx : job.cc;
  const linkArgs = ["-o", job.output, ...units.map((u) => objectPath(u.s)), ...job.ldflags];
  await run(job, linker, linkArgs);
  return commandLine(linker, linkArgs);
}
