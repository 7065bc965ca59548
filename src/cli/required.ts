// Options a command cannot run without. yargs' demandOption would refuse
// them before tinyml.yaml is read, so the check runs after the project file
// filled in what it sets, with a message that names both places.

import { TinymlError } from "../errors.js";

export function requiredOption<T>(value: T | undefined, option: string, command: string, what: string): T {
  if (value !== undefined && value !== "" && !(Array.isArray(value) && value.length === 0)) return value;
  throw new TinymlError("TML_E_USAGE", `tinyml ${command} needs --${option}: ${what}`, {
    hint: `Give --${option}, or set \`${option}:\` (under \`${command}:\` or at the top) in a tinyml.yaml here or above.`,
  });
}
