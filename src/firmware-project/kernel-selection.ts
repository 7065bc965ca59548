// Which files of firmware/kernels a firmware project needs: the kernel
// sources that define a function the rest of the image calls, closed over
// the functions those call in turn (a dispatcher such as tml_conv2d_s8
// pulls in its variants tml_conv2d_s8_{pointwise,windows,generic}), and the
// headers they include. Compiling only those is what keeps a build to the
// ~20 files a model uses instead of the whole library, in every family
// (the native build, ESP-IDF's CMakeLists, the Arduino sketch, coralmicro).
//
// The rules are the C files themselves, not a table: each kernel .c is
// scanned for the functions (and data) it defines with external linkage and
// every identifier it and its local headers mention, so a new kernel file is
// picked up with no entry anywhere. The scan over-approximates on purpose
// (an identifier under `#if TML_DSP` counts on every target; a comment or
// string never does): listing a file that compiles to nothing on some
// target costs a compile, missing one is a link error.
// test/firmware/kernel-selection.test.ts checks the scan against the
// compiler's own symbol tables (nm) for every kernel file, and links real
// models with exactly the selected files.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { packagePath } from "../paths.js";

/** What one kernel file says about itself. */
export interface KernelFileScan {
  /** Identifiers with external linkage it defines (functions, data). */
  defines: string[];
  /** Every identifier it mentions outside comments, strings and prototypes. */
  mentions: string[];
  /** Its quoted #include names. */
  includes: string[];
}

/** Removes comments, string and character literals (kept as empty quotes), and joins continued lines. */
function stripCText(text: string): string {
  return text
    .replace(/\\\r?\n/g, " ")
    .replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'/g, (m) => (m.startsWith("/") ? " " : m[0] === '"' ? '""' : "''"));
}

const IDENT = /\b[A-Za-z_]\w*\b/g;
const C_KEYWORDS = new Set(["static", "extern", "typedef", "inline", "struct", "union", "enum"]);

/** The quoted includes of a C text (before stripping: the names are strings). */
export function quotedIncludes(text: string): string[] {
  return [...text.matchAll(/^\s*#\s*include\s*"([^"]+)"/gm)].map((m) => m[1]!);
}

/**
 * One pass over the top-level declarations of a C text (brace depth 0,
 * preprocessor lines apart): the names it defines with external linkage,
 * and what it mentions. A definition is a declaration that is not static,
 * extern or typedef and has a body (a function: the name before its first
 * '(') or is data (the name before '[', '=' or ';'). Prototypes mention
 * nothing: tml_kernels.h declares every kernel, and including it must not
 * pull them all in; a call in a function body, an initializer or a macro
 * does mention its callee.
 */
function scanDeclarations(code: string): { defines: string[]; mentions: string[] } {
  const lines = code.split("\n");
  const preprocessor = lines.filter((l) => /^\s*#/.test(l) && !/^\s*#\s*include\b/.test(l)).join("\n");
  const body = lines.map((l) => (/^\s*#/.test(l) ? "" : l)).join("\n");
  const defines: string[] = [];
  const mentioned: string[] = [preprocessor];
  let depth = 0;
  let start = 0;
  const declaration = (text: string, hasBody: boolean): void => {
    const paren = text.indexOf("(");
    const isPrototype = paren >= 0 && !hasBody && !/=/.test(text);
    if (!isPrototype) mentioned.push(text);
    const words = text.match(IDENT) ?? [];
    if (words.some((w) => w === "static" || w === "extern" || w === "typedef")) return;
    if (paren >= 0) {
      if (!hasBody) return;
      const name = text.slice(0, paren).match(/([A-Za-z_]\w*)\s*$/);
      if (name) defines.push(name[1]!);
      return;
    }
    if (/\b(struct|union|enum)\b[^=]*\{/.test(text) && !/=/.test(text)) return; // a type definition
    const head = text.split(/[=[;]/)[0]!;
    const name = head.match(/([A-Za-z_]\w*)\s*$/);
    if (name && !C_KEYWORDS.has(name[1]!) && (head.match(IDENT) ?? []).length >= 2) defines.push(name[1]!);
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === "{") {
      // A function body ends its declaration at the closing brace; an initializer or a type body runs on to ';'.
      if (depth === 0 && /\)\s*$/.test(body.slice(start, i))) {
        const close = matchingBrace(body, i);
        declaration(body.slice(start, close + 1), true);
        i = close;
        start = close + 1;
        continue;
      }
      depth++;
    } else if (c === "}") depth--;
    else if (c === ";" && depth === 0) {
      const text = body.slice(start, i + 1);
      if (text.trim() !== ";") declaration(text, false);
      start = i + 1;
    }
  }
  return { defines: [...new Set(defines)], mentions: [...new Set(mentioned.join("\n").match(IDENT) ?? [])] };
}

function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) return i;
  }
  return text.length - 1;
}

export function scanKernelFile(text: string): KernelFileScan {
  return { ...scanDeclarations(stripCText(text)), includes: quotedIncludes(text) };
}

/** The scanned library: every file of a kernels directory by name. */
export interface KernelLibrary {
  dir: string;
  files: ReadonlyMap<string, KernelFileScan>;
  /** Defined name → the .c file defining it. */
  definedIn: ReadonlyMap<string, string>;
}

const libraries = new Map<string, KernelLibrary>();

/** Scans a kernels directory once per process (firmware/kernels by default). */
export function kernelLibrary(dir: string = packagePath("firmware", "kernels")): KernelLibrary {
  const known = libraries.get(dir);
  if (known) return known;
  const files = new Map<string, KernelFileScan>();
  const definedIn = new Map<string, string>();
  for (const f of readdirSync(dir).filter((n) => /\.[ch]$/.test(n)).sort()) {
    const scan = scanKernelFile(readFileSync(join(dir, f), "utf8"));
    files.set(f, scan);
    if (f.endsWith(".c")) for (const d of scan.defines) definedIn.set(d, f);
  }
  const lib = { dir, files, definedIn };
  libraries.set(dir, lib);
  return lib;
}

/**
 * The kernel files (sorted names, .c and .h) an image needs, given the text
 * of every other C/C++ source and header it compiles (the generated model,
 * the runtime, the app, the HAL).
 */
export function selectKernelFiles(roots: readonly string[], lib: KernelLibrary = kernelLibrary()): string[] {
  const chosen = new Set<string>();
  const seenNames = new Set<string>();
  const pending: string[] = [];
  const mention = (names: Iterable<string>): void => {
    for (const n of names) {
      if (seenNames.has(n)) continue;
      seenNames.add(n);
      const file = lib.definedIn.get(n);
      if (file) pending.push(file);
    }
  };
  const include = (names: Iterable<string>): void => {
    for (const n of names) if (lib.files.has(n)) pending.push(n);
  };
  for (const text of roots) {
    const scan = scanKernelFile(text);
    mention(scan.mentions);
    include(scan.includes);
  }
  while (pending.length > 0) {
    const f = pending.pop()!;
    if (chosen.has(f)) continue;
    chosen.add(f);
    const scan = lib.files.get(f)!;
    mention(scan.mentions);
    include(scan.includes);
  }
  return [...chosen].sort();
}
