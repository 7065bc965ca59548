// `npm run calibrate:op-costs [-- --board qemu-m4 --board qemu-m7] [--models DIR] [--shared-only]`:
// measures every op of the shared int8 models (test/fixtures/models), of the
// calibration models scripts/calibration-models.ts writes (int8 layers at
// realistic sizes, and the op tests' coverage matrix: every op and dtype; not
// with --shared-only) and of any .tflite in --models, on the QEMU boards with the AOT runtime — one profiled
// invoke per model (`tinyml test --profile`'s engine, outputs checked
// bit-exact first), counted in instructions under -icount — fits the per-op
// cost model (src/analyze/cost-fit.ts) per board and writes
// data/op-costs.json with how it was made and how far its estimate is from
// the measurement per model, fitted on all models and with the model left out.
// Deterministic: QEMU under -icount repeats to the instruction.

import { execFileSync } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadBoard } from "../src/boards/load.js";
import { applyCost, fitCosts, type CostSample } from "../src/analyze/cost-fit.js";
import type { BoardCosts, CostTable, ModelCheck } from "../src/analyze/cost-model.js";
import { opCostKey, opFeatures } from "../src/analyze/op-features.js";
import { icountInstructionsPerTick } from "../src/device/launch.js";
import { mainGraph } from "../src/model/graph.js";
import { loadModel } from "../src/model/load.js";
import { tinymlVersion } from "../src/paths.js";
import { runBench } from "../src/validate/bench.js";
import { referenceExpectations } from "../src/validate/expected.js";
import { randomCases } from "../src/validate/inputs.js";
import { writeCalibrationModels } from "./calibration-models.js";

const { values } = parseArgs({
  options: {
    board: { type: "string", multiple: true },
    models: { type: "string" },
    out: { type: "string", default: "data/op-costs.json" },
    "build-dir": { type: "string", default: "build/calibrate-op-costs" },
    "shared-only": { type: "boolean", default: false },
    seed: { type: "string", default: "20240611" },
  },
});
const root = new URL("..", import.meta.url).pathname;
const shared = ["hello_world_int8", "micro_speech_quantized", "audio_preprocessor_int8", "person_detect"].map((m) => join(root, "test/fixtures/models", `${m}.tflite`));
const extra = values.models ? readdirSync(values.models).filter((f) => f.endsWith(".tflite")).sort().map((f) => join(values.models!, f)) : [];
const synthetic = values["shared-only"] ? [] : await writeCalibrationModels(resolve(values["build-dir"], "models"), Number(values.seed));
const boards = values.board ?? ["qemu-m4", "qemu-m7"];
const version = (cmd: string, args: string[]): string => execFileSync(cmd, args, { encoding: "utf8" }).split("\n")[0]!.trim();

interface Measured { model: string; sha256: string; samples: CostSample[] }

const table: CostTable = {
  about: "Per-op cost model of tinyml's AOT kernels, keyed by op type and input dtype: instructions = Σ coefficient × feature (macs, windowTaps, windowRows, outputElements, inputElements, fixed) per op type, " +
    "fitted by non-negative least squares (weighted by 1/measured²) to one profiled invoke per model on each QEMU board under -icount. " +
    "models[] says how far the estimate is from the measurement per model; leaveOneOut* is the table fitted without that model.",
  produced: {
    command: `npm run calibrate:op-costs -- ${boards.map((b) => `--board ${b}`).join(" ")}${values.models ? ` --models ${values.models}` : ""}` +
      (values["shared-only"] ? " --shared-only" : ` --seed ${values.seed}`),
    date: new Date().toISOString().slice(0, 10),
    tinyml: tinymlVersion,
    compiler: version("arm-none-eabi-gcc", ["--version"]),
    emulator: version("qemu-system-arm", ["--version"]),
  },
  boards: [],
};

for (const id of boards) {
  const board = loadBoard(id);
  const ipt = icountInstructionsPerTick(board);
  if (ipt === undefined) throw new Error(`${id} is not a QEMU board under -icount: its profile is not in instructions`);
  const measured: Measured[] = [];
  for (const path of [...shared, ...synthetic, ...extra]) {
    const loaded = await loadModel(path);
    const g = mainGraph(loaded.model);
    console.error(`== ${id} ${path}`);
    const [run] = await runBench({
      board, loaded, configs: [{ runtime: "aot" }], cases: randomCases(1, 1, g), expect: referenceExpectations(loaded), runs: 1, warmup: 1, profile: true,
      buildRoot: resolve(values["build-dir"], loaded.sha256.slice(0, 12)), spec: { verbose: false, progress: () => undefined, force: true },
    });
    if (!run?.exact || !run.profile) throw new Error(`${id} ${path}: ${run?.error?.message ?? "no bit-exact profiled run"}`);
    const name = path.slice(path.lastIndexOf("/") + 1);
    measured.push({
      model: name, sha256: loaded.sha256,
      // The firmware profiles the first 256 ops of an invoke: later ones are not measured.
      samples: g.ops.slice(0, run.profile.length).map((op, i) => ({ model: name, type: opCostKey(g, op), features: opFeatures(g, op), instructions: run.profile![i]!.ticks * ipt })),
    });
  }
  const all = measured.flatMap((m) => m.samples);
  const ops = fitCosts(all);
  const models: ModelCheck[] = measured.map((m) => {
    const total = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
    const est = m.samples.map((s) => applyCost(ops[s.type]!.coefficients, s.features));
    const measuredInstructions = total(m.samples.map((s) => s.instructions));
    const estimatedInstructions = Math.round(total(est));
    const big = m.samples.map((s, i) => ({ s, e: est[i]! })).filter((x) => x.s.instructions >= 1000);
    // Left out: the other models' fit; an op type only this model has cannot be estimated from them, so it is left out of both sums.
    const others = fitCosts(all.filter((s) => s.model !== m.model));
    const seen = m.samples.filter((s) => others[s.type] !== undefined);
    const looMeasured = total(seen.map((s) => s.instructions));
    const looEst = Math.round(total(seen.map((s) => applyCost(others[s.type]!.coefficients, s.features))));
    return {
      model: m.model, sha256: m.sha256, measuredInstructions, estimatedInstructions,
      relativeError: (estimatedInstructions - measuredInstructions) / measuredInstructions,
      ...(seen.length > 0 ? { leaveOneOutInstructions: looEst, leaveOneOutRelativeError: looMeasured > 0 ? (looEst - looMeasured) / looMeasured : 0, leaveOneOutCoveredOps: seen.length, ops: m.samples.length } : {}),
      meanLayerRelativeError: big.length > 0 ? big.reduce((n, x) => n + Math.abs(x.e - x.s.instructions) / x.s.instructions, 0) / big.length : 0,
    };
  });
  const entry: BoardCosts = { board: board.id, core: board.cpu.core, runtime: "aot", instructionsPerTick: ipt, ops, models };
  table.boards.push(entry);
  for (const m of models) {
    console.error(`${id} ${m.model}: measured ${m.measuredInstructions}, estimated ${m.estimatedInstructions} (${(100 * m.relativeError).toFixed(2)}%), ` +
      `left out ${m.leaveOneOutRelativeError !== undefined ? `${(100 * m.leaveOneOutRelativeError).toFixed(1)}%` : "n/a"}, mean per layer ${(100 * m.meanLayerRelativeError).toFixed(1)}%`);
  }
}
writeFileSync(values.out, `${JSON.stringify(table, null, 2)}\n`);
console.error(`wrote ${values.out}`);
