// `npm run verify:tflm -- --tflm-dir TREE [--tflm-dir TREE…] [--models DIR] [--board qemu-m4] [--json FILE]`:
// every shared int8 model (test/fixtures/models) and every .tflite in
// --models (the MLPerf Tiny models from mlcommons/tiny, for instance) built
// with TFLM from each tree and with tinyml's AOT, run on the board on the same
// inputs, and checked bit-exact against the host reference (`tinyml bench`'s
// engine). Prints one row per model and runtime: instructions, arena, code.
// Needs TFLM trees made by TFLM's own create_tflm_tree.py (CI has none);
// exits 1 when any output differs or a build fails.

import { readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadBoard } from "../src/boards/load.js";
import { renderBench } from "../src/cli/bench.js";
import { formatError, isTinymlError } from "../src/errors.js";
import { mainGraph } from "../src/model/graph.js";
import { loadModel } from "../src/model/load.js";
import { runBench, type BenchRun } from "../src/validate/bench.js";
import { referenceExpectations } from "../src/validate/expected.js";
import { randomCases } from "../src/validate/inputs.js";

const { values } = parseArgs({
  options: {
    "tflm-dir": { type: "string", multiple: true },
    models: { type: "string" },
    board: { type: "string", default: "qemu-m4" },
    random: { type: "string", default: "3" },
    runs: { type: "string", default: "9" },
    json: { type: "string" },
    "build-dir": { type: "string", default: "build/verify-tflm" },
  },
});
const trees = values["tflm-dir"] ?? [];
if (trees.length === 0) {
  console.error("usage: npm run verify:tflm -- --tflm-dir TREE [--tflm-dir TREE…] [--models DIR] [--board qemu-m4]");
  console.error("  TREE: made by tflite-micro's tensorflow/lite/micro/tools/project_generation/create_tflm_tree.py");
  process.exit(2);
}
const root = new URL("..", import.meta.url).pathname;
const shared = ["hello_world_int8", "micro_speech_quantized", "audio_preprocessor_int8", "person_detect"].map((m) => join(root, "test/fixtures/models", `${m}.tflite`));
const extra = values.models ? readdirSync(values.models).filter((f) => f.endsWith(".tflite")).sort().map((f) => join(values.models!, f)) : [];
const board = loadBoard(values.board);
const results: Array<{ model: string; runs: BenchRun[] }> = [];
let failed = false;
for (const path of [...shared, ...extra]) {
  const loaded = await loadModel(path);
  const g = mainGraph(loaded.model);
  console.log(`== ${path}`);
  try {
    const runs = await runBench({
      board, loaded, configs: [{ runtime: "aot" }, ...trees.map((t) => ({ runtime: "tflm" as const, tflmDir: t }))],
      cases: randomCases(Number(values.random), 1, g), expect: referenceExpectations(loaded), runs: Number(values.runs), warmup: 1, profile: false,
      buildRoot: resolve(values["build-dir"], loaded.sha256.slice(0, 12)), spec: { verbose: false, progress: () => undefined, force: true },
    });
    console.log(renderBench(board.name, board.cpu.clockHz, runs));
    results.push({ model: path, runs });
    if (!runs.every((r) => r.exact)) failed = true;
  } catch (e) {
    failed = true;
    console.log(isTinymlError(e) ? formatError(e) : String(e));
  }
}
if (values.json) writeFileSync(values.json, `${JSON.stringify({ board: board.id, trees, results }, null, 2)}\n`);
process.exitCode = failed ? 1 : 0;
