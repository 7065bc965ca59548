// tinyml.yaml, the project file (PlatformIO's platformio.ini, Zephyr's
// testcase.yaml): found upward from the working directory, read with the
// `yaml` library so every problem names its line and column, and checked
// against the commands' own options. Shape:
//
//   model: models/kws_int8.tflite     # settings every command takes it from
//   board: nano33ble
//   test:                              # settings of one command
//     inputs: data/test
//   environments:                      # named sets: tinyml test -e ci
//     ci: { board: qemu-m4, test: { junit: reports/junit.xml } }
//   default-environment: ci
//
// Keys are the CLI's option names; paths are relative to the file.

import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import type * as Yaml from "yaml";
import type { Document, LineCounter, Node } from "yaml";
import { TinymlError } from "../errors.js";
import { didYouMean } from "../util/suggest.js";
import { allOptions, FILE_KEYS, type OptionSpec, type OptionTable } from "./options.js";

export const PROJECT_FILE = "tinyml.yaml";

/**
 * The yaml library is 72 CommonJS files (~45 ms to load): required when a
 * tinyml.yaml is read, not at the start of every command. Its Node entry is
 * CommonJS, so a synchronous require does it.
 */
let yamlLib: typeof Yaml | undefined;
function yaml(): typeof Yaml {
  yamlLib ??= createRequire(import.meta.url)("yaml") as typeof Yaml;
  return yamlLib;
}
const isMap = ((n: unknown) => yaml().isMap(n)) as typeof Yaml.isMap;
const isScalar = ((n: unknown) => yaml().isScalar(n)) as typeof Yaml.isScalar;

export type Value = string | number | boolean | Array<string | number>;

/** One level of settings: options for every command, and sections per command. */
export interface Settings {
  options: Record<string, Value>;
  commands: Record<string, Record<string, Value>>;
}

export interface ProjectFile {
  path: string;
  dir: string;
  base: Settings;
  environments: Record<string, Settings>;
  defaultEnvironment?: string;
}

/** The nearest tinyml.yaml in `from` or a directory above it. */
export function findProjectFile(from: string = process.cwd()): string | undefined {
  for (let d = resolve(from); ; d = dirname(d)) {
    const p = join(d, PROJECT_FILE);
    if (existsSync(p) && statSync(p).isFile()) return p;
    if (dirname(d) === d) return undefined;
  }
}

class Reader {
  constructor(private readonly file: string, private readonly lines: LineCounter, private readonly table: OptionTable) {}

  fail(node: Node | null | undefined, message: string, hint?: string): never {
    const pos = node?.range ? this.lines.linePos(node.range[0]) : undefined;
    throw new TinymlError("TML_E_PROJECT_INVALID", `${this.file}${pos ? `:${pos.line}:${pos.col}` : ""}: ${message}`, {
      location: { file: this.file, ...(pos ? { detail: `line ${pos.line}, column ${pos.col}` } : {}) },
      hint: hint ?? "Keys of tinyml.yaml are the commands' option names (`tinyml <command> --help`); its JSON Schema is tinyml.schema.json.",
    });
  }

  value(node: Node | null, key: string, spec: OptionSpec): Value {
    const scalar = (n: Node | null): string | number | boolean => {
      if (!isScalar(n)) this.fail(n, `'${key}' takes ${spec.type === "boolean" ? "true or false" : `a ${spec.type}`}, not a ${n ? "list or mapping" : "null"}`);
      const v = n.value;
      if (spec.type === "number" && typeof v !== "number") this.fail(n, `'${key}' takes a number, got ${JSON.stringify(v)}`);
      if (spec.type === "boolean" && typeof v !== "boolean") this.fail(n, `'${key}' takes true or false, got ${JSON.stringify(v)}`);
      if (spec.type === "string" && typeof v !== "string" && typeof v !== "number") this.fail(n, `'${key}' takes a string, got ${JSON.stringify(v)}`);
      const text = spec.type === "string" ? String(v) : (v as number | boolean);
      if (spec.choices && !spec.choices.includes(String(text))) {
        this.fail(n, `'${key}' must be one of ${spec.choices.join(", ")}, got ${JSON.stringify(text)}.${didYouMean(String(text), spec.choices)}`);
      }
      return text;
    };
    if (spec.array && node && "items" in node && Array.isArray((node as { items: unknown[] }).items)) {
      return (node as unknown as { items: Node[] }).items.map((i) => scalar(i) as string | number);
    }
    const one = scalar(node);
    return spec.array ? [one as string | number] : one;
  }

  /** A mapping of options (`where` names it in messages); `command` limits keys to that command's. */
  settings(node: Node | null, where: string, allowSections: boolean, command?: string): Settings {
    const out: Settings = { options: {}, commands: {} };
    if (node === null) return out;
    if (!isMap(node)) this.fail(node, `${where} must be a mapping of option: value`);
    const known = command ? this.table.get(command)! : allOptions(this.table);
    const names = [...known.keys(), ...(allowSections ? this.table.keys() : [])];
    for (const pair of node.items) {
      const keyNode = pair.key as Node;
      const key = isScalar(keyNode) ? String(keyNode.value) : this.fail(keyNode, "keys must be plain names");
      if (allowSections && this.table.has(key) && !known.has(key)) {
        out.commands[key] = this.settings(pair.value as Node | null, `the '${key}' section`, false, key).options;
        continue;
      }
      const spec = known.get(key);
      if (!spec) {
        const scope = command ? `tinyml ${command}` : "any tinyml command";
        this.fail(keyNode, `'${key}' is not an option of ${scope}.${didYouMean(key, names)}`);
      }
      out.options[key] = this.value(pair.value as Node | null, key, spec);
    }
    return out;
  }
}

export function readProjectFile(path: string, table: OptionTable): ProjectFile {
  const text = readFileSync(path, "utf8");
  const lines = new (yaml().LineCounter)();
  const doc: Document = yaml().parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const r: Reader = new Reader(path, lines, table);
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const pos = e.linePos?.[0] ?? lines.linePos(e.pos[0]);
    throw new TinymlError("TML_E_PROJECT_INVALID", `${path}${pos ? `:${pos.line}:${pos.col}` : ""}: not valid YAML: ${e.message.split("\n")[0]}`, {
      location: { file: path, ...(pos ? { detail: `line ${pos.line}, column ${pos.col}` } : {}) },
      hint: "tinyml.yaml is YAML: `key: value` lines, sections indented under their name.",
    });
  }
  const root = doc.contents as Node | null;
  if (root !== null && !isMap(root)) r.fail(root, "the file must be a mapping of option: value");
  const environments: Record<string, Settings> = {};
  let defaultEnvironment: string | undefined;
  const top = isMap(root) ? root : null;
  const rest = top ? top.items.filter((p) => !FILE_KEYS.includes(String((p.key as { value?: unknown }).value) as (typeof FILE_KEYS)[number])) : [];
  for (const pair of top?.items ?? []) {
    const key = String((pair.key as { value?: unknown }).value);
    if (key === "environments") {
      const envs = pair.value as Node | null;
      if (!isMap(envs)) r.fail(envs ?? (pair.key as Node), "'environments' must map names to settings");
      for (const e of envs.items) environments[String((e.key as { value?: unknown }).value)] = r.settings(e.value as Node | null, `environment '${String((e.key as { value?: unknown }).value)}'`, true);
    } else if (key === "default-environment") {
      const v = pair.value as Node | null;
      if (!isScalar(v) || typeof v.value !== "string") r.fail(v ?? (pair.key as Node), "'default-environment' names an environment");
      defaultEnvironment = v.value;
    }
  }
  const shell = top ? (() => { const m = top.clone() as typeof top; m.items = rest; return m; })() : null;
  const base = r.settings(shell, "the file", true);
  if (defaultEnvironment !== undefined && !(defaultEnvironment in environments)) {
    const node = top!.items.find((p) => String((p.key as { value?: unknown }).value) === "default-environment")!.value as Node;
    r.fail(node, `default-environment '${defaultEnvironment}' is not one of the environments (${Object.keys(environments).join(", ") || "none"}).${didYouMean(defaultEnvironment, Object.keys(environments))}`);
  }
  return { path, dir: dirname(path), base, environments, ...(defaultEnvironment ? { defaultEnvironment } : {}) };
}
