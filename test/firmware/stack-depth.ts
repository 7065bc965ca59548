// Worst-case stack depth of C functions from GCC's own call-graph dump
// (-fcallgraph-info=su: every function's frame size and its calls). The
// depth of a function is its frame plus the deepest of its callees; calls
// through pointers do not appear in the dump, and the kernels make none.
import { readFileSync } from "node:fs";

export interface CallGraph {
  /** Frame bytes of every function compiled (static ones as "file:name"). */
  frames: Map<string, number>;
  /** Whether a frame is dynamic (alloca or a VLA): then its size is not a bound. */
  dynamic: Set<string>;
  calls: Map<string, Set<string>>;
}

const NODE = /^node: \{ title: "([^"]+)" label: "[^\n"]*?\\n[^\n"]*?(?:\\n(\d+) bytes \(([^)]*)\))?"/;
const EDGE = /^edge: \{ sourcename: "([^"]+)" targetname: "([^"]+)"/;

export function readCallGraphs(files: string[]): CallGraph {
  const g: CallGraph = { frames: new Map(), dynamic: new Set(), calls: new Map() };
  for (const file of files) {
    for (const line of readFileSync(file, "utf8").split("\n")) {
      const n = NODE.exec(line);
      if (n && n[2] !== undefined) {
        g.frames.set(n[1]!, Number(n[2]));
        if (n[3] !== "static") g.dynamic.add(n[1]!);
        continue;
      }
      const e = EDGE.exec(line);
      if (e) {
        if (!g.calls.has(e[1]!)) g.calls.set(e[1]!, new Set());
        g.calls.get(e[1]!)!.add(e[2]!);
      }
    }
  }
  return g;
}

/**
 * Deepest stack below and including `fn`: bytes, and the call path that needs
 * them. Callees with no frame in the graph (libc's memcpy/memset) count 0 and
 * are listed in `external`.
 */
export function stackDepth(g: CallGraph, fn: string): { bytes: number; path: string[]; external: string[] } {
  const external = new Set<string>();
  const memo = new Map<string, { bytes: number; path: string[] }>();
  const visit = (f: string, stack: string[]): { bytes: number; path: string[] } => {
    if (stack.includes(f)) throw new Error(`recursion: ${[...stack, f].join(" -> ")}`);
    const known = memo.get(f);
    if (known) return known;
    const frame = g.frames.get(f);
    if (frame === undefined) {
      external.add(f);
      return { bytes: 0, path: [f] };
    }
    if (g.dynamic.has(f)) throw new Error(`${f} has a dynamic frame: its stack has no static bound`);
    let deepest = { bytes: 0, path: [] as string[] };
    for (const c of g.calls.get(f) ?? []) {
      const d = visit(c, [...stack, f]);
      if (d.bytes > deepest.bytes || deepest.path.length === 0) deepest = d;
    }
    const r = { bytes: frame + deepest.bytes, path: [f, ...deepest.path] };
    memo.set(f, r);
    return r;
  };
  const r = visit(fn, []);
  return { ...r, external: [...external].sort() };
}
