// The import graph of src/, read from the sources' own import and export
// statements (type-only imports included: a cycle of types is still a cycle
// of concepts). Module specifiers are resolved the way TypeScript's
// NodeNext resolution does for this project: relative paths ending in .js
// name the .ts file beside them.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

export interface ImportGraph {
  /** File (relative to src/, '/'-separated) → the files it imports. */
  edges: Map<string, Set<string>>;
}

function walk(dir: string, out: string[]): void {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith(".ts") && !p.endsWith(".d.ts")) out.push(p);
  }
}

const SPECIFIER = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|(?:^|\n)\s*import\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

export function readImportGraph(srcDir: string): ImportGraph {
  const files: string[] = [];
  walk(srcDir, files);
  const edges = new Map<string, Set<string>>();
  for (const file of files) {
    const from = relative(srcDir, file).split("\\").join("/");
    const deps = new Set<string>();
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(SPECIFIER)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (!spec || !spec.startsWith(".")) continue;
      const target = resolve(dirname(file), spec.replace(/\.js$/, ".ts"));
      deps.add(relative(srcDir, target).split("\\").join("/"));
    }
    edges.set(from, deps);
  }
  return { edges };
}

/** Strongly connected components with more than one file (or a file importing itself): the cycles. */
export function cycles(edges: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, idx.get(w)!));
      }
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || edges.get(v)?.has(v)) out.push(scc.sort());
    }
  };
  for (const v of [...edges.keys()].sort()) if (!idx.has(v)) visit(v);
  return out;
}

/** The module (first path segment, or the file itself at src/'s top) a file belongs to. */
export function moduleOf(file: string): string {
  const i = file.indexOf("/");
  return i < 0 ? file.replace(/\.ts$/, "") : file.slice(0, i);
}

/** The module-level graph: module → the modules its files import (itself excluded). */
export function moduleEdges(g: ImportGraph): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const [from, deps] of g.edges) {
    const m = moduleOf(from);
    if (!out.has(m)) out.set(m, new Set());
    for (const d of deps) if (moduleOf(d) !== m) out.get(m)!.add(moduleOf(d));
  }
  return out;
}
