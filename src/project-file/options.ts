// What a project file may set: every command's own options, by their CLI
// names (one vocabulary), as the CLI's yargs builders declare them. The CLI
// builds this table (src/cli/project-options.ts) and hands it down, so the
// file's keys, their types and the JSON Schema editors read cannot drift
// from the command line.

export interface OptionSpec {
  type: "string" | "number" | "boolean";
  array: boolean;
  choices?: readonly string[];
  describe?: string;
}

/** command → option (kebab-case) → its spec. */
export type OptionTable = ReadonlyMap<string, ReadonlyMap<string, OptionSpec>>;

/** Options whose values are paths: a project file's are relative to the file's directory. */
export const PATH_OPTIONS: ReadonlySet<string> = new Set([
  "model", "base", "build-dir", "boards-dir", "tflm-dir", "inputs", "input", "float-model", "hardware-map", "junit", "report",
  "wakeword", "frontend", "classifier", "labels", "calib", "holdout", "output", "output-dir", "data", "scores",
]);

/** Keys of the file itself, beside the options. */
export const FILE_KEYS = ["environments", "default-environment"] as const;

/** Every option any command takes, with one spec (the first command's; the CLI keeps them alike). */
export function allOptions(table: OptionTable): Map<string, OptionSpec> {
  const out = new Map<string, OptionSpec>();
  for (const options of table.values()) for (const [k, v] of options) if (!out.has(k)) out.set(k, v);
  return out;
}
