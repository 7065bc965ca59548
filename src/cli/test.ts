// `tinyml test --board B MODEL --inputs DIR`: build the firmware (unless
// --no-build), start or open the device, run every input case on it and
// compare with the bit-exact host reference, time it, and report. Stages a
// failure can name: building (its own exit code), flashing/launching and
// talking to the device (infrastructure, exit 5), the firmware's provenance
// and the outputs (a failed test, exit 1).
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Board, RuntimeKind } from "../boards/board.js";
import { loadBoard } from "../boards/load.js";
import { buildFirmware, firmwareImage, runsFlashedImage } from "../build/build-firmware.js";
import { TinymlError } from "../errors.js";
import { flashBoard } from "../flash/flashers.js";
import { selectPort } from "../flash/port.js";
import { mainGraph } from "../model/graph.js";
import { loadModel, type LoadedModel } from "../model/load.js";
import { modelBaseName } from "../codegen/aot/generate.js";
import { referenceExpectations } from "../validate/expected.js";
import { entryPort, readHardwareMap } from "../validate/hardware-map.js";
import { casesFromFiles, parseShard, randomCases, shardCases } from "../validate/inputs.js";
import { writeHtmlReport } from "../validate/html-report.js";
import { writeJunit } from "../validate/junit.js";
import { statusExitCode } from "../validate/report.js";
import { runTest, type TestTarget } from "../validate/runner.js";
import { caseProgress, renderReport } from "../validate/terminal.js";
import { defineCommand } from "./command.js";
import { givenWakewordOption, withWakewordOptions } from "./wakeword-options.js";
import { runWakewordCommand } from "./test-wakeword.js";
import type { Output } from "./output.js";

interface BuildChoice {
  build: boolean;
  buildDir?: string;
  runtime?: RuntimeKind;
  app: string;
  tflmDir?: string;
  verbose: boolean;
  /** More than one board: each builds into its own subdirectory. */
  multi: boolean;
}

function buildDirFor(board: Board, c: BuildChoice): string {
  if (!c.buildDir) return resolve(join("build", board.id));
  return resolve(c.multi ? join(c.buildDir, board.id) : c.buildDir);
}

async function firmwareFor(board: Board, loaded: LoadedModel, c: BuildChoice, out: Output): Promise<string> {
  const dir = buildDirFor(board, c);
  if (c.build) {
    out.info(`building ${board.id} firmware (${c.app} app) in ${dir}…`);
    await buildFirmware({
      board, loaded, runtime: c.runtime ?? board.runtime.default, app: c.app, dir, dryRun: false,
      tflmDir: c.tflmDir, verbose: c.verbose, progress: (l) => out.debug(l),
    });
  }
  const image = firmwareImage(board, dir);
  if ((board.family === "host" || board.family === "baremetal") && !existsSync(image)) {
    throw new TinymlError("TML_E_FILE_NOT_FOUND", `no firmware for ${board.id} at ${image}`, {
      hint: `Build it: \`tinyml build --board ${board.id}${c.app !== "inference" ? ` --app ${c.app}` : ""} ${loaded.path} -o ${dir}\`, or drop --no-build.`,
    });
  }
  return image;
}

export const testCommand = defineCommand({
  name: "test",
  usage: "test <model>",
  describe: "Run a model's firmware on a board and prove its outputs equal the host reference; measure latency",
  builder: (y) =>
    withWakewordOptions(y)
      .positional("model", { type: "string", demandOption: true, describe: "The .tflite (or model.json) the firmware was built from" })
      .option("board", { type: "string", default: "host", describe: "Target board (see `tinyml boards`)" })
      .option("port", { type: "string", describe: "Serial port of a real board (default: found by its USB id)" })
      .option("inputs", { type: "string", array: true, describe: "A directory of input files, or files (.bin/.npy/.json; <case>.in<k>.bin groups for several inputs)" })
      .option("random", { type: "number", describe: "Test N seeded random inputs instead" })
      .option("seed", { type: "number", default: 1, describe: "Seed for --random" })
      .option("runs", { type: "number", default: 3, describe: "Timed runs per case" })
      .option("warmup", { type: "number", default: 1, describe: "Untimed runs before them" })
      .option("profile", { type: "boolean", default: false, describe: "Also time each op for one invoke" })
      .option("float-model", { type: "string", describe: "The float model, for accuracy metrics (top-1, RMSE, MAE, rel. L2, cosine)" })
      .option("build", { type: "boolean", default: true, describe: "Build (and flash) the firmware first; --no-build uses what is there" })
      .option("build-dir", { type: "string", describe: "Build directory (default build/<board>)" })
      .option("runtime", { choices: ["aot", "tflm"] as const, describe: "Runtime to build (default: the board's)" })
      .option("tflm-dir", { type: "string", describe: "A TFLM source tree, for --runtime tflm" })
      .option("protocol", { choices: ["tinyml", "eembc"] as const, default: "tinyml" as const, describe: "The tinyml framed protocol, or the MLPerf Tiny (EEMBC) runner's" })
      .option("hardware-map", { type: "string", describe: "A twister-style YAML list of boards (id, platform, serial) to test in parallel" })
      .option("shard", { type: "string", describe: "Run shard i of n of the cases, e.g. 2/4" })
      .option("junit", { type: "string", describe: "Write JUnit XML here" })
      .option("report", { type: "string", describe: "Write a self-contained HTML report here" })
      .option("boards-dir", { type: "string", describe: "A directory of extra board JSON files" })
      .option("wakeword", { type: "string", describe: "A labelled audio set (labels.json/CSV or keyword folders) to stream through the wake-word firmware built from MODEL (the classifier, or the frontend)" })
      .example("$0 test --wakeword build/wakeword-testset --board qemu-m4 examples/models/micro_speech.tflite", "Stream labelled audio; device frames must equal the host's")
      .example("$0 test --board qemu-m4 model.tflite --inputs data/", "Build, boot in QEMU, compare every case bit-exactly")
      .example("$0 test --board nano33ble --port /dev/ttyACM0 model.tflite --random 20 --json", "A real board, random inputs, a JSON report")
      .example("$0 test --hardware-map rig.yaml model.tflite --inputs data/ --junit out.xml", "Every board of a rig in parallel"),
  async run(args, out) {
    if (args.wakeword !== undefined) return runWakewordCommand({ ...args, wakeword: args.wakeword }, out);
    const stray = givenWakewordOption(args);
    if (stray !== undefined) throw new TinymlError("TML_E_USAGE", `${stray} is for --wakeword`, { hint: `Add --wakeword DIR, or drop ${stray}.` });
    for (const [name, v, min] of [["runs", args.runs, 1], ["warmup", args.warmup, 0]] as const) {
      if (!Number.isInteger(v) || v < min) throw new TinymlError("TML_E_USAGE", `--${name} must be a whole number >= ${min}, got ${v}`);
    }
    if ((args.inputs === undefined) === (args.random === undefined)) {
      throw new TinymlError("TML_E_USAGE", "give the cases with --inputs DIR|FILES or --random N (one of the two)");
    }
    if (args.random !== undefined && (!Number.isInteger(args.random) || args.random < 1)) {
      throw new TinymlError("TML_E_USAGE", `--random must be a whole number >= 1, got ${args.random}`);
    }
    const loaded = await loadModel(args.model);
    const graph = mainGraph(loaded.model);
    const floatModel = args.floatModel ? await loadModel(args.floatModel) : undefined;
    let cases = args.inputs ? casesFromFiles(args.inputs.map(String), graph, modelBaseName(loaded.path)) : randomCases(args.random!, args.seed, graph);
    const shard = args.shard ? parseShard(args.shard) : undefined;
    if (shard) cases = shardCases(cases, shard);

    const entries = args.hardwareMap
      ? readHardwareMap(args.hardwareMap).filter((e) => {
        if (!e.connected) out.info(`skipping ${e.id}: connected: false in ${args.hardwareMap}`);
        return e.connected;
      }).map((e) => ({ id: e.id, board: loadBoard(e.platform, args.boardsDir), port: entryPort(e) }))
      : [{ id: args.board, board: loadBoard(args.board, args.boardsDir), port: args.port }];
    if (entries.length === 0) throw new TinymlError("TML_E_PORT_NOT_FOUND", `no connected boards in ${args.hardwareMap}`);

    const choice: BuildChoice = {
      build: args.build, buildDir: args.buildDir, runtime: args.runtime, app: args.protocol === "eembc" ? "eembc" : "inference",
      tflmDir: args.tflmDir, verbose: args.verbose, multi: new Set(entries.map((e) => e.board.id)).size > 1,
    };
    const images = new Map<string, string>();
    for (const e of entries) if (!images.has(e.board.id)) images.set(e.board.id, await firmwareFor(e.board, loaded, choice, out));

    const targets: TestTarget[] = entries.map((e) => {
      const dir = buildDirFor(e.board, choice);
      const flashed = runsFlashedImage(e.board);
      return {
        id: e.id, board: e.board, image: images.get(e.board.id)!, ...(e.port ? { port: e.port } : {}),
        rebuild: `tinyml test --board ${e.board.id} ${loaded.path}${choice.app !== "inference" ? ` --protocol ${args.protocol}` : ""} (without --no-build), or \`tinyml build --board ${e.board.id} ${loaded.path} -o ${dir}\`${flashed ? " and `tinyml flash`" : ""}`,
        ...(flashed && choice.build ? {
          prepare: async () => {
            out.info(`flashing ${e.id}…`);
            await flashBoard({ board: e.board, buildDir: dir, port: selectPort(e.board, { port: e.port }), verbose: args.verbose });
          },
        } : {}),
      };
    });

    out.info(`testing ${cases.length} case${cases.length === 1 ? "" : "s"} on ${targets.map((t) => t.id).join(", ")} (${args.runs} runs after ${args.warmup} warm-up each)…`);
    const bar = caseProgress(cases.length * targets.length);
    const report = await runTest(targets, {
      loaded, cases, expect: referenceExpectations(loaded, floatModel), runs: args.runs, warmup: args.warmup, profile: args.profile,
      protocol: args.protocol, ...(args.shard ? { shard: args.shard } : {}),
      onCase: (t, c) => bar.tick(`${t.id}: ${c.name}`),
    });
    bar.done();
    if (args.junit) writeJunit(report, args.junit);
    if (args.report) writeHtmlReport(report, args.report);
    if (out.json) out.printJson(report);
    else out.print(renderReport(report));
    return statusExitCode(report.status);
  },
});
