// The CLI's side of tinyml.yaml: the option table the file is checked
// against (every command's own yargs options), and the settings of one run:
// the project file's values for the command and environment, under
// whatever the command line gave explicitly.

import { resolve } from "node:path";
import yargs from "yargs";
import { TinymlError } from "../errors.js";
import { commandSettings } from "../project-file/apply.js";
import { findProjectFile, readProjectFile, type ProjectFile, type Value } from "../project-file/load.js";
import type { OptionSpec, OptionTable } from "../project-file/options.js";

/** Options of the tool itself, not settings a project file gives. */
const NOT_SETTINGS = new Set(["help", "version", "json", "verbose", "environment", "force", "dry-run", "plan-only", "keep"]);

interface YargsOptions {
  key: Record<string, unknown>;
  boolean: string[];
  number: string[];
  array: string[];
  choices: Record<string, unknown[]>;
  alias: Record<string, string[]>;
}

/** What the table needs of a command (command.ts's RegisteredCommand, which runs applyProject). */
interface CommandOptions {
  name: string;
  builder: (y: never) => unknown;
}

function optionsOf(c: CommandOptions): YargsOptions {
  return (c.builder(yargs([]) as never) as unknown as { getOptions(): YargsOptions }).getOptions();
}

export interface CommandOptionTable {
  table: OptionTable;
  /** command → every spelling of each option (its aliases), for telling what the command line gave. */
  spellings: ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>;
}

export function buildOptionTable(commands: readonly CommandOptions[]): CommandOptionTable {
  const table = new Map<string, Map<string, OptionSpec>>();
  const spellings = new Map<string, Map<string, string[]>>();
  for (const c of commands) {
    const o = optionsOf(c);
    const aliasOf = new Set(Object.values(o.alias).flat());
    const specs = new Map<string, OptionSpec>();
    const names = new Map<string, string[]>();
    for (const key of Object.keys(o.key)) {
      if (NOT_SETTINGS.has(key) || aliasOf.has(key) || /[A-Z]/.test(key)) continue;
      const type = o.boolean.includes(key) ? "boolean" : o.number.includes(key) ? "number" : "string";
      const choices = o.choices[key]?.map(String);
      specs.set(key, { type, array: o.array.includes(key), ...(choices ? { choices } : {}) });
      names.set(key, [key, ...(o.alias[key] ?? [])]);
    }
    table.set(c.name, specs);
    spellings.set(c.name, names);
  }
  return { table, spellings };
}

let registered: CommandOptionTable | undefined;

export function registerOptionTable(t: CommandOptionTable): void {
  registered = t;
}

/** Whether the command line spelled `name` (or an alias) out: --name, --name=v, --no-name, -n. */
function givenOnCommandLine(spellings: readonly string[], argv: readonly string[]): boolean {
  return spellings.some((s) => {
    const flag = s.length === 1 ? `-${s}` : `--${s}`;
    return argv.some((a) => a === flag || a.startsWith(`${flag}=`) || (s.length > 1 && a === `--no-${s}`));
  });
}

const camel = (k: string): string => k.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

export interface AppliedProject {
  file: ProjectFile;
  environment?: string;
}

/**
 * Fills the parsed arguments of `command` from the nearest tinyml.yaml
 * (`cwd` and up), leaving what the command line gave. Returns the file used.
 */
export function applyProject(command: string, args: Record<string, unknown>, argv: readonly string[], cwd = process.cwd()): AppliedProject | undefined {
  if (!registered) return undefined;
  const path = findProjectFile(cwd);
  if (!path) {
    if (typeof args.environment === "string") throw noProjectForEnvironment(args.environment, cwd);
    return undefined;
  }
  const file = readProjectFile(path, registered.table);
  const settings = commandSettings(file, command, registered.table, typeof args.environment === "string" ? args.environment : undefined);
  const spellings = registered.spellings.get(command) ?? new Map<string, readonly string[]>();
  for (const [key, value] of Object.entries(settings.values)) {
    // A positional (MODEL) counts as given when it has a value.
    const given = key === "model" || key === "base" ? args[key] !== undefined : givenOnCommandLine(spellings.get(key) ?? [key], argv);
    if (given) continue;
    setArg(args, key, value);
  }
  return { file, ...(settings.environment !== undefined ? { environment: settings.environment } : {}) };
}

function setArg(args: Record<string, unknown>, key: string, value: Value): void {
  args[key] = value;
  args[camel(key)] = value;
}

function noProjectForEnvironment(env: string, cwd: string): TinymlError {
  return new TinymlError("TML_E_USAGE", `-e ${env} names an environment of tinyml.yaml, but there is none in ${resolve(cwd)} or above`, {
    hint: "Run the command in the project's directory, or create a project file with `tinyml init`.",
  });
}
