// The settings a project file gives one command run: the file's options the
// command takes, then its section for that command, then the chosen
// environment's options and section; the command line overrides them all.
// Paths come out absolute (relative to the file).

import { isAbsolute, resolve } from "node:path";
import { TinymlError } from "../errors.js";
import { didYouMean } from "../util/suggest.js";
import type { ProjectFile, Value } from "./load.js";
import { PATH_OPTIONS, type OptionTable } from "./options.js";

export interface CommandSettings {
  values: Record<string, Value>;
  /** The environment the values come from, if any. */
  environment?: string;
}

function resolvePaths(key: string, v: Value, dir: string): Value {
  if (!PATH_OPTIONS.has(key)) return v;
  const one = (x: string | number): string | number => (typeof x === "string" && !isAbsolute(x) && !/^[a-z]+:/.test(x) ? resolve(dir, x) : x);
  return Array.isArray(v) ? v.map(one) : typeof v === "string" ? (one(v) as string) : v;
}

export function commandSettings(p: ProjectFile, command: string, table: OptionTable, environment?: string): CommandSettings {
  const accepts = table.get(command);
  if (!accepts) return { values: {} };
  const envName = environment ?? p.defaultEnvironment;
  if (envName !== undefined && !(envName in p.environments)) {
    const names = Object.keys(p.environments);
    throw new TinymlError("TML_E_USAGE", `-e ${envName}: ${p.path} has no environment '${envName}'${names.length > 0 ? ` (it has ${names.join(", ")})` : ""}.${didYouMean(envName, names)}`, {
      location: { file: p.path },
      hint: "Environments are the names under `environments:` in tinyml.yaml.",
    });
  }
  const env = envName !== undefined ? p.environments[envName]! : undefined;
  const layers = [p.base.options, p.base.commands[command] ?? {}, env?.options ?? {}, env?.commands[command] ?? {}];
  const values: Record<string, Value> = {};
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer)) if (accepts.has(k)) values[k] = resolvePaths(k, v, p.dir);
  }
  return { values, ...(envName !== undefined ? { environment: envName } : {}) };
}
