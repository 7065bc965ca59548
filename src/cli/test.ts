// `tinyml test --board B MODEL (--inputs DIR | --random N | --wakeword DIR)`:
// every test mode goes the same way — check the output paths, build the
// firmware once per board (unless --no-build), then one device session per
// target (flash or boot, open, run, close; src/session/) and one report
// rendered as text, --json, --junit and --report HTML. Exit 0 pass, 1 a test
// failed, 5 the rig failed; a build or usage error exits with its own code.

import { join, resolve } from "node:path";
import type { Board } from "../boards/board.js";
import { TinymlError } from "../errors.js";
import { mainGraph } from "../model/graph.js";
import { asFloatSource } from "../model/hybrid.js";
import { loadModel } from "../model/load.js";
import { modelBaseName } from "../codegen/aot/generate.js";
import { prepareFirmwares, type FirmwareChoice, type FirmwareSpec } from "../session/prepare.js";
import { resolveTargets } from "../session/target.js";
import { claimOutputFile } from "../util/output-file.js";
import { probeOutput } from "../util/output-path.js";
import { DEFAULT_FLOAT_ULP } from "../validate/compare.js";
import { referenceExpectations } from "../validate/expected.js";
import { casesFromFiles, parseShard, randomCases, shardCases } from "../validate/inputs.js";
import { writeHtmlReport } from "../validate/html-report.js";
import { writeJunit } from "../validate/junit.js";
import { writeScoresCsv } from "../validate/wakeword-scores.js";
import { statusExitCode, type TestMode } from "../validate/report.js";
import { runTest, type RunMode } from "../validate/runner.js";
import { renderReport } from "../validate/terminal.js";
import { defineCommand } from "./command.js";
import { modelArg } from "./model-arg.js";
import { compileProgress } from "./compile-progress.js";
import { progressBar } from "./progress.js";
import { wakewordTestPlan } from "./test-wakeword.js";
import { givenWakewordOption, withWakewordOptions } from "./wakeword-options.js";
import { givenEembcOption, withEembcOptions } from "./eembc-options.js";
import { eembcTestPlan } from "./test-eembc.js";

const APP_OF: Readonly<Record<TestMode, string>> = { inference: "inference", eembc: "eembc", wakeword: "wakeword" };

export const testCommand = defineCommand({
  name: "test",
  usage: "test [model]",
  describe: "Run a model's firmware on a board and prove its outputs equal the host reference; measure latency",
  builder: (y) =>
    withEembcOptions(withWakewordOptions(y))
      .positional("model", { type: "string", describe: "The .tflite (or model.json) the firmware was built from" })
      .option("board", { type: "string", default: "host", describe: "Target board (see `tinyml boards`)" })
      .option("port", { type: "string", describe: "Serial port of a real board (default: found by its USB id)" })
      .option("inputs", { type: "string", array: true, describe: "A directory of input files, or files (.bin/.npy/.json; <case>.in<k>.bin groups for several inputs)" })
      .option("random", { type: "number", describe: "Test N seeded random inputs instead" })
      .option("seed", { type: "number", default: 1, describe: "Seed for --random" })
      .option("runs", { type: "number", default: 3, describe: "Timed runs per case" })
      .option("warmup", { type: "number", default: 1, describe: "Untimed runs before them" })
      .option("float-ulp", { type: "number", default: DEFAULT_FLOAT_ULP, describe: "float32 outputs may differ from the host's by N units in the last place (another FPU and libm); integer outputs must be equal" })
      .option("profile", { type: "boolean", default: false, describe: "Also time each op for one invoke" })
      .option("bisect", { type: "boolean", default: false, describe: "Name the first op whose output differs from the reference (reads every op's output from the device; TFLM images are built keeping every tensor)" })
      .option("float-model", { type: "string", describe: "The float model, for accuracy metrics (top-1, RMSE, MAE, rel. L2, cosine)" })
      .option("build", { type: "boolean", default: true, describe: "Build (and flash) the firmware first; --no-build uses what is there" })
      .option("build-dir", { type: "string", describe: "Build directory (default build/<board>, build/<board>-wakeword for --wakeword)" })
      .option("force", { type: "boolean", default: false, describe: "Replace output files tinyml did not write, and build beside files in the build directory that it did not write" })
      .option("runtime", { choices: ["aot", "tflm"] as const, describe: "Runtime to build (default: the board's)" })
      .option("tflm-dir", { type: "string", describe: "A TFLM source tree, for --runtime tflm" })
      .option("arena", { type: "number", describe: "TFLM: the interpreter's arena in bytes (default: measured by TFLM's planner)" })
      .option("protocol", { choices: ["tinyml", "eembc"] as const, default: "tinyml" as const, describe: "The tinyml framed protocol, or the MLPerf Tiny (EEMBC) runner's" })
      .option("hardware-map", { type: "string", describe: "A twister-style YAML list of boards (id, platform, serial) to test in parallel" })
      .option("shard", { type: "string", describe: "Run shard i of n of the cases (or of the wake-word clips), e.g. 2/4" })
      .option("junit", { type: "string", describe: "Write JUnit XML here" })
      .option("report", { type: "string", describe: "Write a self-contained HTML report here" })
      .option("boards-dir", { type: "string", describe: "A directory of extra board JSON files" })
      .option("wakeword", { type: "string", describe: "A labelled audio set (labels.json/CSV or keyword folders) to stream through the wake-word firmware built from MODEL (the classifier, or the frontend)" })
      .option("target-fa-per-hour", { type: "number", describe: "Wake word: the false accepts per hour the recommended threshold must meet (default 1)" })
      .option("scores", { type: "string", describe: "Wake word: write every frame's scores, smoothing, events and keyword spans to this CSV" })
      .example("$0 test --wakeword build/wakeword-testset --board qemu-m4 examples/models/micro_speech.tflite", "Stream labelled audio; device frames must equal the host's")
      .example("$0 test --board qemu-m4 model.tflite --inputs data/", "Build, boot in QEMU, compare every case bit-exactly")
      .example("$0 test --protocol eembc --board qemu-m4 kws_ref_model.tflite --inputs datasets/kws01", "MLPerf Tiny runner firmware on the runner's dataset: device == host per file, Top-1 and AUC")
      .example("$0 test --board nano33ble --port /dev/ttyACM0 model.tflite --random 20 --json", "A real board, random inputs, a JSON report")
      .example("$0 test --hardware-map rig.yaml model.tflite --inputs data/ --junit out.xml", "Every board of a rig in parallel"),
  async run(args, out) {
    const modelPath = modelArg(args.model, "test");
    const kind: TestMode = args.wakeword !== undefined ? "wakeword" : args.protocol === "eembc" ? "eembc" : "inference";
    checkArgs(args, kind);
    const shard = args.shard ? parseShard(args.shard) : undefined;
    const inputs = [{ path: modelPath, what: "model" }, ...(args.wakeword ? [{ path: args.wakeword, what: "labelled set" }] : []), ...(args.inputs ?? []).map((p) => ({ path: String(p), what: "input" }))];
    // Every output path is checked before minutes of building and testing.
    const junit = args.junit ? claimOutputFile(args.junit, { what: "JUnit file", force: args.force, inputs }) : undefined;
    const html = args.report ? claimOutputFile(args.report, { what: "HTML report", force: args.force, inputs }) : undefined;
    const scores = args.scores ? claimOutputFile(args.scores, { what: "scores CSV", force: args.force, inputs }) : undefined;
    if (args.buildDir && args.build) probeOutput(args.buildDir, "build directory", "directory");

    const targets = resolveTargets({
      board: args.board, ...(args.port ? { port: args.port } : {}), ...(args.hardwareMap ? { hardwareMap: args.hardwareMap } : {}),
      ...(args.boardsDir ? { boardsDir: args.boardsDir } : {}), onSkip: (id) => out.info(`skipping ${id}: connected: false in ${args.hardwareMap}`),
    });
    const loaded = await loadModel(modelPath);
    let mode: RunMode;
    let spec: FirmwareSpec;
    const common = { app: APP_OF[kind], force: args.force, verbose: args.verbose, progress: (l: string) => out.debug(l), ...(args.tflmDir ? { tflmDir: args.tflmDir } : {}) };
    if (kind === "wakeword") {
      const plan = await wakewordTestPlan({ ...args, wakeword: args.wakeword! }, loaded, targets[0]!.board.family, shard);
      mode = { ...plan.mode, traces: Boolean(scores || html), ...(args.targetFaPerHour !== undefined ? { targetFaPerHour: args.targetFaPerHour } : {}) };
      spec = { ...common, runtime: "aot", ...plan.firmware };
    } else if (kind === "eembc") {
      const plan = await eembcTestPlan(args, loaded, targets[0]!.board, referenceExpectations(loaded));
      mode = { ...plan.mode, cases: shard ? shardCases(plan.mode.cases, shard) : plan.mode.cases };
      if (shard) delete mode.files; // a shard sees part of the files: no accuracy over the set
      spec = { ...common, loaded, ...plan.firmware, ...(args.runtime ? { runtime: args.runtime } : {}), ...(args.arena !== undefined ? { arenaBytes: args.arena } : {}) };
    } else {
      const graph = mainGraph(loaded.model);
      const floatModel = args.floatModel ? asFloatSource(await loadModel(args.floatModel)) : undefined;
      let cases = args.inputs ? await casesFromFiles(args.inputs.map(String), graph, modelBaseName(loaded.path)) : randomCases(args.random!, args.seed, graph);
      if (shard) cases = shardCases(cases, shard);
      const expect = referenceExpectations(loaded, floatModel);
      mode = { kind: "inference", loaded, cases, expect, runs: args.runs, warmup: args.warmup, profile: args.profile, floatUlp: args.floatUlp, bisect: args.bisect };
      spec = {
        ...common, loaded, ...(args.runtime ? { runtime: args.runtime } : {}), ...(args.arena !== undefined ? { arenaBytes: args.arena } : {}),
        ...(args.bisect ? { tflmPreserveAll: true } : {}),
      };
    }

    const multi = new Set(targets.map((t) => t.board.id)).size > 1;
    const suffix = kind === "wakeword" ? "-wakeword" : "";
    let compiles = compileProgress(targets[0]!.board.id);
    const choice: FirmwareChoice = {
      build: args.build,
      spec: { ...spec, onCompile: (d, t, f, cached) => compiles.onCompile(d, t, f, cached) },
      onBuilt: (b, built) => {
        compiles.finish(built.compiled);
        compiles = compileProgress(b.id);
      },
      dirFor: (b: Board) => (args.buildDir ? resolve(multi ? join(args.buildDir, b.id) : args.buildDir) : resolve(join("build", `${b.id}${suffix}`))),
      rebuildCommand: (b, dir) => `tinyml ${kind === "wakeword" ? `build --app wakeword` : `build${kind === "eembc" ? " --app eembc" : ""}`} --board ${b.id} ${loaded.path} --build-dir ${dir}`,
    };
    if (args.build) out.info(`building firmware for ${[...new Set(targets.map((t) => t.board.id))].join(", ")}…`);
    const firmware = await prepareFirmwares(targets.map((t) => t.board), choice);

    const count = mode.kind === "wakeword" ? mode.set.clips.length : mode.cases.length;
    const what = mode.kind === "wakeword" ? "clip" : "case";
    out.info(`testing ${count} ${what}${count === 1 ? "" : "s"} on ${targets.map((t) => t.id).join(", ")}…`);
    const bar = progressBar(`testing on ${targets.map((t) => t.id).join(", ")}`);
    let finished = 0;
    const report = await runTest(targets.map((t) => ({ ...t, firmware: firmware.get(t.board.id)! })), mode, {
      session: { verbose: args.verbose, progress: (l) => out.info(l) },
      model: { path: loaded.path, sha256: loaded.sha256, format: loaded.format },
      ...(args.shard ? { shard: args.shard } : {}),
      onCase: (t, c) => bar.update(++finished, count * targets.length, `${t.id}: ${c.name} ${c.status.toUpperCase()}`),
    });
    bar.done(`${finished} ${what}${finished === 1 ? "" : "s"} run`);
    for (const b of report.boards) for (const w of b.wakeword?.warnings ?? []) out.warn(`${b.id}: ${w}`);
    if (scores) writeScoresCsv(report, scores);
    if (junit) writeJunit(report, junit);
    if (html) writeHtmlReport(report, html);
    if (out.json) out.printJson(report);
    else out.print(renderReport(report));
    return statusExitCode(report.status);
  },
});

interface TestArgs {
  runs: number;
  warmup: number;
  floatUlp: number;
  inputs?: Array<string | number>;
  random?: number;
  wakeword?: string;
  targetFaPerHour?: number;
  scores?: string;
  protocol: "tinyml" | "eembc";
  eembcModel?: string;
  eembcName?: string;
}

function checkArgs(args: TestArgs & Parameters<typeof givenWakewordOption>[0], kind: TestMode): void {
  if (kind === "wakeword") {
    if (args.inputs !== undefined || args.random !== undefined) {
      throw new TinymlError("TML_E_USAGE", "--wakeword streams a labelled audio set; --inputs and --random are for inference cases", { hint: "Drop --inputs/--random, or drop --wakeword." });
    }
    if (args.protocol === "eembc") throw new TinymlError("TML_E_USAGE", "--wakeword and --protocol eembc are different apps", { hint: "Use one of them." });
    const t = args.targetFaPerHour;
    if (t !== undefined && !(Number.isFinite(t) && t >= 0)) {
      throw new TinymlError("TML_E_USAGE", `--target-fa-per-hour must be a number >= 0, got ${t}`, { hint: "Give the false accepts per hour you can live with, e.g. --target-fa-per-hour 1." });
    }
    return;
  }
  const strayEembc = givenEembcOption(args);
  if (strayEembc !== undefined && kind !== "eembc") throw new TinymlError("TML_E_USAGE", `${strayEembc} is for --protocol eembc`, { hint: `Add --protocol eembc, or drop ${strayEembc}.` });
  const stray = givenWakewordOption(args) ?? (args.targetFaPerHour !== undefined ? "--target-fa-per-hour" : args.scores !== undefined ? "--scores" : undefined);
  if (stray !== undefined) throw new TinymlError("TML_E_USAGE", `${stray} is for --wakeword`, { hint: `Add --wakeword DIR, or drop ${stray}.` });
  for (const [name, v, min] of [["runs", args.runs, 1], ["warmup", args.warmup, 0], ["float-ulp", args.floatUlp, 0]] as const) {
    if (!Number.isInteger(v) || v < min) throw new TinymlError("TML_E_USAGE", `--${name} must be a whole number >= ${min}, got ${v}`);
  }
  if ((args.inputs === undefined) === (args.random === undefined)) {
    throw new TinymlError("TML_E_USAGE", "give the cases with --inputs DIR|FILES or --random N (one of the two)");
  }
  if (args.random !== undefined && (!Number.isInteger(args.random) || args.random < 1)) {
    throw new TinymlError("TML_E_USAGE", `--random must be a whole number >= 1, got ${args.random}`);
  }
}
