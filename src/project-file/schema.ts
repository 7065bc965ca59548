// The JSON Schema of tinyml.yaml for editors (YAML language servers read the
// `# yaml-language-server: $schema=…` line `tinyml init` writes), generated
// from the same option table the file is checked against. The package ships
// it as tinyml.schema.json; a test keeps the committed file equal to this.

import { allOptions, FILE_KEYS, type OptionSpec, type OptionTable } from "./options.js";

type Schema = Record<string, unknown>;

function optionSchema(spec: OptionSpec): Schema {
  const one: Schema = spec.choices ? { enum: [...spec.choices] } : { type: spec.type };
  return spec.array ? { anyOf: [one, { type: "array", items: one }] } : one;
}

function options(specs: ReadonlyMap<string, OptionSpec>): Schema {
  return Object.fromEntries([...specs].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, optionSchema(v)]));
}

export function projectSchema(table: OptionTable): Schema {
  const sections = Object.fromEntries([...table].sort(([a], [b]) => a.localeCompare(b)).map(([cmd, specs]) => [
    cmd, { type: "object", description: `Settings of \`tinyml ${cmd}\` only.`, properties: options(specs), additionalProperties: false },
  ]));
  const settings = { type: "object", properties: { ...options(allOptions(table)), ...sections }, additionalProperties: false };
  const [environments, defaultEnvironment] = FILE_KEYS;
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "tinyml.yaml",
    description: "A tinyml project: settings every command reads (keys are the commands' option names), sections per command, and named environments (`tinyml test -e NAME`). The command line overrides the file.",
    definitions: { settings },
    type: "object",
    properties: {
      ...settings.properties,
      [environments]: { type: "object", description: "Named settings: `-e NAME` selects one.", additionalProperties: { $ref: "#/definitions/settings" } },
      [defaultEnvironment]: { type: "string", description: "The environment used when -e is not given." },
    },
    additionalProperties: false,
  };
}
