// The shape of one CLI command and the wrapper that turns its failures into
// messages and exit codes. Each command lives in its own file and is listed
// in commands.ts.

import type { Argv, ArgumentsCamelCase } from "yargs";
import { exitCodeFor, formatError, isTinymlError } from "../errors.js";
import { interruptedBy } from "../util/lifecycle.js";
import { createOutput, type GlobalOptions, type Output } from "./output.js";
import { applyProject } from "./project.js";

export interface Command<A> {
  name: string;
  /** yargs command string, e.g. "inspect <model>". */
  usage: string;
  describe: string;
  builder: (y: Argv<GlobalOptions>) => Argv<A>;
  /** Returns the process exit code (0 unless a test-like check failed). */
  run: (args: ArgumentsCamelCase<A> & GlobalOptions, out: Output) => Promise<number | void>;
}

/** A command with its argument type erased, so different commands fit one list. */
export interface RegisteredCommand {
  name: string;
  usage: string;
  describe: string;
  builder: (y: Argv<GlobalOptions>) => Argv<unknown>;
  handler: (args: Record<string, unknown>) => Promise<void>;
}

/** Type-checks a command against its own arguments, then erases them for registration. */
export function defineCommand<A>(c: Command<A>): RegisteredCommand {
  return {
    name: c.name,
    usage: c.usage,
    describe: c.describe,
    builder: (y) => c.builder(y) as Argv<unknown>,
    handler: (args) => runCommand(c, args as ArgumentsCamelCase<A> & GlobalOptions),
  };
}

/** Runs a command body; a failure prints a message (or a JSON error) and sets the exit code. */
export async function runCommand<A>(
  c: Command<A>,
  args: ArgumentsCamelCase<A> & GlobalOptions,
): Promise<void> {
  const out = createOutput({ json: Boolean(args.json), verbose: Boolean(args.verbose) });
  try {
    // tinyml.yaml (found upward from here) fills what the command line left out.
    const project = applyProject(c.name, args as Record<string, unknown>, process.argv.slice(2));
    if (project) out.debug(`project file ${project.file.path}${project.environment ? `, environment ${project.environment}` : ""}`);
    const code = await c.run(args, out);
    process.exitCode = code ?? 0;
  } catch (e) {
    // Interrupted: the failure is the signal's doing, and the lifecycle handler is already exiting.
    if (interruptedBy()) return;
    process.exitCode = exitCodeFor(e);
    if (out.json && isTinymlError(e)) out.printJson({ error: e.toJSON() });
    process.stderr.write(`${formatError(e)}\n`);
  }
}
