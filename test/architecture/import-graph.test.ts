// The structure DESIGN.md promises, checked on every run: no import cycles
// between files or between modules, and data flowing downward only — every
// module imports only modules of a lower layer. A new module must be given
// its layer here, which is the moment to decide where it belongs.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { cycles, moduleEdges, readImportGraph } from "./import-graph.js";

/**
 * Layers, top (the CLI) to bottom (errors). Modules that share a layer do not
 * import each other.
 */
const LAYERS: readonly string[][] = [
  ["cli"],
  ["analyze"],
  ["validate", "finetune", "inspect"],
  ["session"],
  ["flash"],
  ["device"],
  ["firmware-project"],
  ["codegen", "toolchain"],
  ["wakeword", "quantize"],
  ["reference", "tfjs", "audio", "eembc"],
  ["runtimes"],
  ["fixedpoint"],
  ["boards", "model", "project-file"],
  ["util"],
  ["paths"],
  ["errors"],
];

const srcDir = fileURLToPath(new URL("../../src/", import.meta.url));
const graph = readImportGraph(srcDir);
const rank = new Map(LAYERS.flatMap((layer, i) => layer.map((m) => [m, LAYERS.length - i] as const)));

describe("src/ import structure", () => {
  it("has no import cycle between files", () => {
    expect(cycles(graph.edges)).toEqual([]);
  });

  it("has no cycle between modules", () => {
    expect(cycles(moduleEdges(graph))).toEqual([]);
  });

  it("gives every module a layer", () => {
    expect([...moduleEdges(graph).keys()].filter((m) => !rank.has(m)).sort()).toEqual([]);
  });

  it("imports only downward", () => {
    const upward: string[] = [];
    for (const [from, deps] of graph.edges) {
      const m = from.includes("/") ? from.slice(0, from.indexOf("/")) : from.replace(/\.ts$/, "");
      for (const d of deps) {
        const n = d.includes("/") ? d.slice(0, d.indexOf("/")) : d.replace(/\.ts$/, "");
        if (n !== m && (rank.get(n) ?? 0) >= (rank.get(m) ?? 0)) upward.push(`${from} -> ${d}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it("is read from real imports (the check itself can fail)", () => {
    // A graph with a planted cycle and an upward import is caught.
    const planted = new Map([["a.ts", new Set(["b.ts"])], ["b.ts", new Set(["a.ts"])]]);
    expect(cycles(planted)).toEqual([["a.ts", "b.ts"]]);
    expect(graph.edges.get("cli/main.ts")).toContain("cli/commands.ts");
    expect(graph.edges.get("firmware-project/build.ts")).toContain("toolchain/native.ts");
  });
});
