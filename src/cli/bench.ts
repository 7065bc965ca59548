// `tinyml bench MODEL --board B --runtime aot,tflm --tflm-dir TREE…`: each
// runtime (TFLM once per tree) built and run on the same inputs, every
// output checked bit-exact against the host reference, and the figures side
// by side: how a user picks a runtime for a model, and how tinyml's own AOT
// is held against the field. Exit 1 when a runtime's outputs differ.

import { join, resolve } from "node:path";
import { loadBoard } from "../boards/load.js";
import { modelBaseName } from "../codegen/aot/generate.js";
import { TinymlError } from "../errors.js";
import { mainGraph } from "../model/graph.js";
import { loadModel } from "../model/load.js";
import { formatBytes, renderTable } from "../util/table.js";
import { runBench, type BenchConfig, type BenchRun } from "../validate/bench.js";
import { referenceExpectations } from "../validate/expected.js";
import { casesFromFiles, randomCases } from "../validate/inputs.js";
import { defineCommand } from "./command.js";
import { modelArg } from "./model-arg.js";

export const benchCommand = defineCommand({
  name: "bench",
  usage: "bench [model]",
  describe: "Compare runtimes (AOT, TFLM from each tree) on one board: instructions, µs, arena, RAM, flash and code, every output bit-exact",
  builder: (y) =>
    y
      .positional("model", { type: "string", describe: "The .tflite (or other model file) to benchmark" })
      .option("board", { type: "string", default: "qemu-m4", describe: "Target board (see `tinyml boards`)" })
      .option("runtime", { type: "string", describe: "Runtimes, comma-separated: aot,tflm (default: aot, and tflm when --tflm-dir is given)" })
      .option("tflm-dir", { type: "string", array: true, describe: "A TFLM tree (create_tflm_tree.py); repeat for several (reference, CMSIS-NN…)" })
      .option("inputs", { type: "string", array: true, describe: "Input files or a directory (default: --random 3)" })
      .option("random", { type: "number", describe: "N seeded random inputs" })
      .option("seed", { type: "number", default: 1, describe: "Seed for --random" })
      .option("runs", { type: "number", default: 9, describe: "Timed runs per case" })
      .option("warmup", { type: "number", default: 1, describe: "Untimed runs before them" })
      .option("profile", { type: "boolean", default: false, describe: "Also time each op" })
      .option("build-dir", { type: "string", describe: "Where each configuration builds (default build/bench)" })
      .option("boards-dir", { type: "string", describe: "A directory of extra board JSON files" })
      .example("$0 bench person_detect.tflite --board qemu-m4 --runtime aot,tflm --tflm-dir tflm-ref --tflm-dir tflm-cmsis", "AOT against TFLM's reference and CMSIS-NN kernels")
      .example("$0 bench model.tflite --board host --json", "The figures as JSON: {runs:[…]}"),
  async run(args, out) {
    const modelPath = modelArg(args.model, "bench");
    const board = loadBoard(args.board, args.boardsDir);
    const trees = (args.tflmDir ?? []).map(String);
    const runtimes = (args.runtime ?? (trees.length > 0 ? "aot,tflm" : "aot")).split(",").map((r) => r.trim()).filter(Boolean);
    const configs: BenchConfig[] = [];
    for (const r of runtimes) {
      if (r === "aot") configs.push({ runtime: "aot" });
      else if (r === "tflm") {
        if (trees.length === 0) throw new TinymlError("TML_E_USAGE", "--runtime tflm needs --tflm-dir TREE (repeat it to compare several trees)");
        for (const t of trees) configs.push({ runtime: "tflm", tflmDir: t });
      } else throw new TinymlError("TML_E_USAGE", `unknown runtime '${r}' in --runtime`, { hint: "Use aot, tflm or aot,tflm." });
    }
    const loaded = await loadModel(modelPath);
    const graph = mainGraph(loaded.model);
    const cases = args.inputs ? await casesFromFiles(args.inputs.map(String), graph, modelBaseName(loaded.path)) : randomCases(args.random ?? 3, args.seed, graph);
    const runs = await runBench({
      board, loaded, configs, cases, expect: referenceExpectations(loaded), runs: args.runs, warmup: args.warmup, profile: args.profile,
      buildRoot: resolve(args.buildDir ?? join("build", "bench")),
      spec: { verbose: args.verbose, progress: (l) => out.debug(l), force: false },
      onConfig: (label) => out.info(`${board.id}: building and running ${label}…`),
    });
    const result = { model: { path: loaded.path, sha256: loaded.sha256 }, board: board.id, clockHz: board.cpu.clockHz, cases: cases.length, runs };
    if (out.json) out.printJson(result);
    else out.print(renderBench(board.name, board.cpu.clockHz, runs));
    return runs.every((r) => r.exact) ? 0 : runs.some((r) => r.status === "infra") ? 5 : 1;
  },
});

const n = (x: number | undefined): string => (x === undefined ? "-" : Math.round(x).toLocaleString("en-US"));
const kb = (x: number | undefined): string => (x === undefined ? "-" : formatBytes(x));

export function renderBench(boardName: string, clockHz: number, runs: readonly BenchRun[]): string {
  const table = renderTable(
    ["runtime", "kernels", "instructions (min–max)", `µs @ ${clockHz / 1e6} MHz`, "arena", "RAM", "flash", "code", "outputs"],
    runs.map((r) => [
      r.runtime, r.kernels,
      r.instructions ? `${n(r.instructions.median)} (${n(r.instructions.min)}–${n(r.instructions.max)})` : r.ticks ? `${n(r.ticks.median)} ticks` : "-",
      r.latencyUs === undefined ? "-" : r.latencyUs.toFixed(1),
      kb(r.arenaBytes), kb(r.ramBytes), kb(r.flashBytes), kb(r.codeBytes),
      r.status === "infra" ? `INFRA: ${r.error?.message ?? ""}` : r.exact ? `bit-exact (${r.cases})` : "DIFFERS",
    ]),
  );
  const lines = [`${boardName}`, table];
  for (const r of runs.filter((x) => x.profile)) {
    const top = [...r.profile!].sort((a, b) => b.ticks - a.ticks).slice(0, 8);
    lines.push(`  slowest ops, ${r.runtime} (${r.kernels}): ${top.map((o) => `${o.index} ${o.type} ${(100 * o.share).toFixed(1)}%`).join(", ")}`);
  }
  return lines.join("\n");
}
