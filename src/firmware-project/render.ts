// Rendering a board family's templates (templates/<family>/**/<file>.hbs)
// into a build directory. A template is named after the file it produces,
// and path segments may themselves be templates (templates/arduino/
// {{sketch}}/{{sketch}}.ino.hbs). Output is text for compilers, CMake and
// YAML, not HTML, so nothing is HTML-escaped; values that come from a model
// never reach a template unsanitized (names pass through cIdent). Strict
// mode makes a missing context key an error instead of an empty string.

import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { basename, extname, isAbsolute, join, normalize, sep } from "node:path";
import Handlebars from "handlebars";
import { cIdentifier, cString } from "../codegen/c-syntax.js";
import { TinymlError } from "../errors.js";
import { packagePath } from "../paths.js";
import { writeFileAtomic } from "../util/files.js";
import { projectContext, type ProjectContext, type ProjectOptions } from "./context.js";
import { FAMILY_LAYOUTS, PROJECT_NAME, type FamilyLayout } from "./layouts.js";
import type { ProjectManifest } from "./manifest.js";

const hb = Handlebars.create();

/** Handlebars passes its options object last; helpers with optional arguments drop it. */
function args(list: unknown[]): unknown[] {
  return list.slice(0, -1);
}

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
hb.registerHelper("sub", (a: unknown, b: unknown) => Number(a) - Number(b));
/** A quoted CMake argument: quotes, backslashes, `$` and `;` (a list separator) escaped. */
hb.registerHelper("cmakeDefine", (name: unknown, value: unknown) => {
  const text = `${String(name)}=${String(value)}`;
  return `"${text.replace(/[\\"$;]/g, (c) => `\\${c}`)}"`;
});

let partialsLoaded = false;
function loadPartials(): void {
  if (partialsLoaded) return;
  const dir = packagePath("templates", "_partials");
  if (existsSync(dir)) {
    for (const f of readdirSync(dir).filter((n) => n.endsWith(".hbs"))) {
      hb.registerPartial(basename(f, ".hbs"), readFileSync(join(dir, f), "utf8"));
    }
  }
  partialsLoaded = true;
}

function compile(source: string): HandlebarsTemplateDelegate {
  loadPartials();
  return hb.compile(source, { noEscape: true, strict: true });
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
function insideProject(path: string, what: string): string {
  const n = normalize(path).split(sep).join("/");
  if (isAbsolute(n) || n === ".." || n.startsWith("../") || n === "" || n === ".") {
    throw new Error(`${what} '${path}' is not a path inside the project`);
  }
  return n;
}

/** Where each manifest source lands, relative to the project directory. */
export function placeSources(manifest: ProjectManifest, layout: FamilyLayout, root: string): Array<{ path: string; from?: string; content?: string }> {
  const seen = new Map<string, string>();
  return manifest.sources.map((s) => {
    const dest = insideProject(s.dest, "source");
    const renamed = layout.rename[extname(dest)];
    const file = renamed ? `${dest.slice(0, -extname(dest).length)}${renamed}` : dest;
    const path = `${root}/${layout.flatten ? basename(file) : file}`;
    const clash = seen.get(path);
    if (clash) throw new Error(`sources '${clash}' and '${s.dest}' both land on ${path} in a flat layout`);
    seen.set(path, s.dest);
    return { path, from: s.from, content: s.content };
  });
}

export interface RenderedProject {
  dir: string;
  family: string;
  /** Files rendered from templates, relative to dir, sorted. */
  rendered: string[];
  /** Source files placed from the manifest, relative to dir, sorted. */
  sources: string[];
  /** What the templates saw; the toolchain drivers read defines and names from it. */
  context: ProjectContext;
}

/**
 * Writes a complete vendor project: the manifest's sources at the family's
 * layout, then every template of the family. The source root is emptied
 * first, because arduino-cli compiles whatever is in src/: a model.c left
 * from an AOT build beside a TFLM build's tml_model_tflm.cpp would define
 * tml_model_init() twice.
 */
export function renderProject(opts: ProjectOptions & { dir: string }): RenderedProject {
  const family = opts.board.family;
  const layout = FAMILY_LAYOUTS[family];
  const templatesDir = packagePath("templates", family);
  if (!layout || !existsSync(templatesDir)) {
    throw new TinymlError("TML_E_BOARD_INVALID", `no vendor project templates for family '${family}' (board ${opts.board.id})`, {
      location: { file: opts.board.file, detail: "family" },
      hint: `Families with vendor project templates: ${Object.keys(FAMILY_LAYOUTS).join(", ")}.`,
    });
  }
  const sketch = PROJECT_NAME;
  const root = insideProject(compile(layout.sourceRoot)({ sketch }), "source root");
  const listRoot = compile(layout.listRoot)({ sketch });
  const placed = placeSources(opts.manifest, layout, root);
  const context = projectContext(opts, { placed: placed.map((p) => p.path), listRoot, sourceRoot: root, flat: layout.flatten });
  rmSync(join(opts.dir, root), { recursive: true, force: true });
  for (const p of placed) {
    writeFileAtomic(join(opts.dir, p.path), p.content ?? readFileSync(p.from ?? missingSource(p.path)));
  }
  const rendered: string[] = [];
  for (const t of templateFiles(templatesDir)) {
    const out = insideProject(compile(t.slice(0, -".hbs".length))(context), `template ${t}`);
    writeFileAtomic(join(opts.dir, out), compile(readFileSync(join(templatesDir, t), "utf8"))(context));
    rendered.push(out);
  }
  return { dir: opts.dir, family, rendered: rendered.sort(), sources: placed.map((p) => p.path).sort(), context };
}

function missingSource(path: string): never {
  throw new Error(`manifest source for ${path} has neither 'from' nor 'content'`);
}
