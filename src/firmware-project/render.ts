// Rendering a board family's templates (templates/<family>/**/<file>.hbs)
// with a project's context. A template is named after the file it produces,
// and path segments may themselves be templates (templates/arduino/
// {{sketch}}/{{sketch}}.ino.hbs). Output is text for compilers, CMake and
// YAML, not HTML, so nothing is HTML-escaped; values that come from a model
// never reach a template unsanitized (names pass through cIdent). Strict
// mode makes a missing context key an error instead of an empty string.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, isAbsolute, join, normalize, sep } from "node:path";
import type Handlebars from "handlebars";
import { cIdentifier, cString } from "../codegen/c-syntax.js";
import { packagePath } from "../paths.js";

/**
 * The engine, created on first render: the package's main entry loads 44
 * CommonJS files (the compiler split in modules, source-map, a require
 * hook) at every CLI start; its one-file build is the same library.
 */
let engine: typeof Handlebars | undefined;
function handlebars(): typeof Handlebars {
  if (engine) return engine;
  const hb = (createRequire(import.meta.url)("handlebars/dist/handlebars.js") as typeof Handlebars).create();
  hb.registerHelper("join", (list: unknown, ...rest: unknown[]) => {
    const [separator] = args(rest);
    return Array.isArray(list) ? list.map(String).join(typeof separator === "string" ? separator : " ") : "";
  });
  hb.registerHelper("cIdent", (name: unknown) => cIdentifier(String(name)));
  hb.registerHelper("cString", (text: unknown) => cString(String(text)));
  hb.registerHelper("hex", (n: unknown, ...rest: unknown[]) => {
    const [width] = args(rest);
    return `0x${Number(n).toString(16).padStart(typeof width === "number" ? width : 0, "0")}`;
  });
  /** Whole MiB, for ESP-IDF's CONFIG_ESPTOOLPY_FLASHSIZE_<N>MB. */
  hb.registerHelper("mib", (n: unknown) => String(Math.floor(Number(n) / (1024 * 1024))));
  hb.registerHelper("eq", (a: unknown, b: unknown) => a === b);
  /** Text inside a Makefile recipe: make expands `$`, so it is doubled. */
  hb.registerHelper("make", (text: unknown) => String(text).replace(/\$/g, "$$$$"));
  hb.registerHelper("sub", (a: unknown, b: unknown) => Number(a) - Number(b));
  /** A quoted CMake argument: quotes, backslashes, `$` and `;` (a list separator) escaped. */
  hb.registerHelper("cmakeDefine", (name: unknown, value: unknown) => {
    const text = `${String(name)}=${String(value)}`;
    return `"${text.replace(/[\\"$;]/g, (c) => `\\${c}`)}"`;
  });
  engine = hb;
  return hb;
}

/** Handlebars passes its options object last; helpers with optional arguments drop it. */
function args(list: unknown[]): unknown[] {
  return list.slice(0, -1);
}

let partialsLoaded = false;
function loadPartials(): void {
  if (partialsLoaded) return;
  const dir = packagePath("templates", "_partials");
  if (existsSync(dir)) {
    for (const f of readdirSync(dir).filter((n) => n.endsWith(".hbs"))) {
      handlebars().registerPartial(basename(f, ".hbs"), readFileSync(join(dir, f), "utf8"));
    }
  }
  partialsLoaded = true;
}

function compile(source: string): HandlebarsTemplateDelegate {
  loadPartials();
  return handlebars().compile(source, { noEscape: true, strict: true });
}

/** Renders templates/<family>/<file>.hbs with `context`. */
export function renderTemplate(family: string, file: string, context: object): string {
  return compile(readFileSync(packagePath("templates", family, `${file}.hbs`), "utf8"))(context);
}

function templateFiles(dir: string, prefix = ""): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...templateFiles(join(dir, e.name), rel));
    else if (e.name.endsWith(".hbs")) out.push(rel);
  }
  return out;
}

/** A relative, '/'-separated path that stays inside the project. */
export function insideProject(path: string, what: string): string {
  const n = normalize(path).split(sep).join("/");
  if (isAbsolute(n) || n === ".." || n.startsWith("../") || n === "" || n === ".") {
    throw new Error(`${what} '${path}' is not a path inside the project`);
  }
  return n;
}

/** Renders a template path or body with the project context (strict: a missing key is an error). */
export function renderText(source: string, context: object): string {
  return compile(source)(context);
}

/** Every template of a family, rendered: output path (relative) → text. */
export function renderFamilyTemplates(family: string, context: object): Array<{ path: string; text: string }> {
  const dir = packagePath("templates", family);
  if (!existsSync(dir)) return [];
  return templateFiles(dir).map((t) => ({
    path: insideProject(compile(t.slice(0, -".hbs".length))(context), `template ${t}`),
    text: compile(readFileSync(join(dir, t), "utf8"))(context),
  }));
}
