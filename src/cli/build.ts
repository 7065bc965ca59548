// `tinyml build [--board B] MODEL`: generate the firmware project for a board
// and compile it with the board's toolchain, then check it against the
// board's flash and RAM budget. The default board is `host`, which needs only
// a C compiler.

import { resolve } from "node:path";
import { loadBoard } from "../boards/load.js";
import type { RuntimeKind } from "../boards/board.js";
import { buildFirmware, planFirmware } from "../firmware-project/build.js";
import { checkBudget, renderBudget } from "../firmware-project/budget.js";
import { APP_SOURCES } from "../firmware-project/manifest.js";
import { wakewordBuild } from "../firmware-project/wakeword.js";
import { estimateWakewordDuty } from "../analyze/wakeword-duty.js";
import { boardDuty } from "../validate/wakeword-report.js";
import { dutyCycleWarnings } from "../wakeword/realtime.js";
import { eembcBuild } from "../firmware-project/eembc.js";
import { givenEembcOption, withEembcModeOption, withEembcOptions } from "./eembc-options.js";
import { TinymlError } from "../errors.js";
import { loadModel } from "../model/load.js";
import { tflmArena } from "../session/tflm-arena.js";
import { probeOutput } from "../util/output-path.js";
import { formatBytes } from "../util/table.js";
import { buildDirArg } from "./build-dir.js";
import { defineCommand } from "./command.js";
import { modelArg } from "./model-arg.js";
import { compileProgress } from "./compile-progress.js";
import { givenWakewordOption, recognizeArgs, withWakewordOptions } from "./wakeword-options.js";

export const DEFAULT_BOARD = "host";

const ARENA_SOURCES = { given: "--arena", probe: "measured now by TFLM's planner on the board", cache: "measured earlier by TFLM's planner on the board", estimate: "estimated" } as const;

const formatCount = (n: number): string => Math.round(n).toLocaleString("en-US");

export const buildCommand = defineCommand({
  name: "build",
  usage: "build [model]",
  describe: "Generate and compile a model's firmware for a board, and check it against the board's budget",
  builder: (y) =>
    withEembcModeOption(withEembcOptions(withWakewordOptions(y)))
      .positional("model", { type: "string", describe: "A .tflite file or TF.js model.json" })
      .option("board", { type: "string", default: DEFAULT_BOARD, describe: "Target board (see `tinyml boards`)" })
      .option("runtime", { choices: ["aot", "tflm"] as const, describe: "Ahead-of-time C, or the TFLM interpreter (default: the board's)" })
      .option("app", { choices: Object.keys(APP_SOURCES), default: "inference", describe: "Firmware app: the tinyml test protocol, or the MLPerf Tiny (EEMBC) runner protocol" })
      .option("build-dir", { alias: ["o", "output-dir"], type: "string", describe: "Build directory (default build/<board>); the same option as test's and flash's" })
      .option("dry-run", { type: "boolean", default: false, describe: "Write the project and print the toolchain commands without running them" })
      .option("plan-only", { type: "boolean", default: false, describe: "Print the planned flash/RAM use against the budget; compile nothing" })
      .option("tflm-dir", { type: "string", describe: "A TFLM source tree (create_tflm_tree.py output), for --runtime tflm" })
      .option("max-arena", { type: "number", describe: "Fail if the arena needs more bytes than this" })
      .option("arena", { type: "number", describe: "TFLM: the interpreter's arena in bytes (default: measured by TFLM's own planner on host and emulated boards, else estimated)" })
      .option("boards-dir", { type: "string", describe: "A directory of extra board JSON files" })
      .option("force", { type: "boolean", default: false, describe: "Build into a directory that holds files tinyml did not write (only tinyml's own are replaced)" })
      .example("$0 build examples/models/micro_speech.tflite", "Build for the host board: build/host/model")
      .example("$0 build --board qemu-m4 model.tflite", "Cortex-M4 ELF for QEMU, with the budget table")
      .example("$0 build --app wakeword --board qemu-m4 examples/models/micro_speech.tflite", "The streaming wake-word firmware: the shipped frontend + a classifier")
      .example("$0 build --app wakeword --board nano33ble marvin/marvin_int8.tflite", "A fine-tuned keyword for the Nano's microphone")
      .example("$0 build --board esp32s3 --dry-run model.tflite", "Write the ESP-IDF project and print idf.py's commands")
      .example("$0 build --app eembc --board qemu-m4 kws_ref_model.tflite", "MLPerf Tiny runner firmware (kws01, known by its SHA-256)"),
  async run(args, out) {
    const modelPath = modelArg(args.model, "build");
    const maxArena = args.maxArena;
    if (maxArena !== undefined && (!Number.isInteger(maxArena) || maxArena < 0)) {
      throw new TinymlError("TML_E_USAGE", `--max-arena must be a whole number of bytes, got ${maxArena}`);
    }
    const board = loadBoard(args.board, args.boardsDir);
    const runtime: RuntimeKind = args.runtime ?? board.runtime.default;
    const loaded = await loadModel(modelPath);

    if (args.planOnly && args.dryRun) {
      throw new TinymlError("TML_E_USAGE", "--plan-only and --dry-run ask for different things", {
        hint: "--plan-only prints the planned budget and writes nothing; --dry-run writes the project and prints its commands. Pick one.",
      });
    }
    const stray = givenWakewordOption(args);
    if (stray !== undefined && args.app !== "wakeword") {
      throw new TinymlError("TML_E_USAGE", `${stray} is for --app wakeword`, { hint: `Add --app wakeword, or drop ${stray}.` });
    }
    const strayEembc = givenEembcOption(args);
    if (strayEembc !== undefined && args.app !== "eembc") {
      throw new TinymlError("TML_E_USAGE", `${strayEembc} is for --app eembc`, { hint: `Add --app eembc, or drop ${strayEembc}.` });
    }
    // Checked before any work: a build that cannot write its output fails in a second, not after compiling.
    const dir = args.planOnly ? resolve(buildDirArg(board.id, args.buildDir)) : probeOutput(buildDirArg(board.id, args.buildDir), "build directory", "directory");
    // A wake-word build runs two models; the classifier becomes the build's model.
    const ww = args.app === "wakeword"
      ? await wakewordBuild({
        family: board.family, runtime, model: loaded, frontendPath: args.frontend, classifierPath: args.classifier,
        labelsPath: args.labels, recognize: recognizeArgs(args), classifyEvery: args.classifyEvery, maxArenaBytes: maxArena,
      })
      : undefined;
    // Real-time honesty before compiling: the estimated share of each 20 ms frame at the board's clock.
    const duty = ww ? estimateWakewordDuty(board, runtime, ww.frontend, ww.classifier, ww.classifyEvery) : undefined;
    if (duty && "duty" in duty) for (const w of dutyCycleWarnings(duty.duty)) out.warn(`${w} (estimated before running; tinyml test --wakeword measures it)`);
    const dutyLine = !duty ? undefined : "duty" in duty
      ? `  wake word: ≈ ${formatCount(duty.frontendInstructions)} frontend + ${formatCount(duty.classifierInstructions)} classifier instructions${ww!.classifyEvery > 1 ? ` on one frame in ${ww!.classifyEvery}` : " per frame"} (${duty.basis.classifier === "measured" ? "as measured" : "cost model"} on ${duty.calibration}), ${boardDuty(duty.duty)}`
      : `  wake word: no duty-cycle estimate (${duty.reason})`;
    const wakeword = ww
      ? ww.parts
      : args.app === "eembc"
        ? { loaded, ...eembcBuild(loaded, board, { model: args.eembcModel, name: args.eembcName, mode: args.eembcMode }).parts }
        : { loaded };
    const request = {
      board, runtime, app: args.app, dir, dryRun: args.dryRun, force: args.force, tflmDir: args.tflmDir,
      maxArenaBytes: maxArena, verbose: args.verbose, progress: (l: string) => out.info(l), ...wakeword,
    };
    if (args.planOnly) {
      const plan = planFirmware(request);
      if (out.json) out.printJson({ board: board.id, runtime, app: args.app, planOnly: true, budget: plan.budget, memory: plan.memory, ...(duty ? { wakewordDutyCycle: duty } : {}) });
      else out.print(`${board.name}, ${runtime} runtime — planned before compiling (weights and arena; code not included)\n${renderBudget(plan.budget)}${dutyLine ? `\n${dutyLine}` : ""}`);
      checkBudget(board, plan.budget);
      return;
    }
    const arena = await tflmArena(request, args.arena);
    if (arena.source !== "estimate" && runtime !== "tflm") throw new TinymlError("TML_E_USAGE", "--arena sets the TFLM interpreter's arena; the aot runtime's arena is its memory plan", { hint: "Drop --arena, or add --runtime tflm." });
    if (arena.bytes !== undefined) out.info(`TFLM arena: ${arena.bytes} B (${ARENA_SOURCES[arena.source]})`);
    const compiles = compileProgress(board.id);
    const result = await buildFirmware({ ...request, ...(arena.bytes !== undefined ? { arenaBytes: arena.bytes } : {}), onCompile: compiles.onCompile });
    compiles.finish(result.compiled);
    if (out.json) {
      out.printJson(duty ? { ...result, wakewordDutyCycle: duty } : result);
      return;
    }
    const lines = [
      result.ran ? `built ${result.image} for ${board.name} (${runtime} runtime, ${result.app} app)` : `wrote the ${board.family} project for ${board.name} to ${dir} (${runtime} runtime)`,
      `  arena: ${formatBytes(result.memory.arenaBytes)} (plan ${result.memory.planBytes} B, lower bound ${result.memory.lowerBoundBytes} B)`,
    ];
    if (!result.ran) lines.push("  commands (dry run, not executed):", ...result.commands.map((c) => `    ${c}`));
    lines.push(renderBudget(result.budget) + (result.budget.source === "plan" ? "   (planned: weights and arena)" : ""));
    if (dutyLine) lines.push(dutyLine);
    out.print(lines.join("\n"));
  },
});
