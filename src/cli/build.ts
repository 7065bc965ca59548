// `tinyml build [--board B] MODEL`: generate the firmware project for a board
// and compile it with the board's toolchain, then check it against the
// board's flash and RAM budget. The default board is `host`, which needs only
// a C compiler.

import { join, resolve } from "node:path";
import { loadBoard } from "../boards/load.js";
import type { RuntimeKind } from "../boards/board.js";
import { buildFirmware } from "../build/build-firmware.js";
import { checkBudget, renderBudget, type Budget } from "../build/budget.js";
import { wakewordBuild } from "../build/wakeword.js";
import { generateModelSources, modelWeightBytes } from "../build/model-sources.js";
import { checkRuntimeSupport } from "../codegen/aot/runtime.js";
import { TinymlError } from "../errors.js";
import { mainGraph } from "../model/graph.js";
import { loadModel } from "../model/load.js";
import { APP_SOURCES } from "../project/manifest.js";
import { formatBytes } from "../util/table.js";
import { defineCommand } from "./command.js";
import { givenWakewordOption, recognizeArgs, withWakewordOptions } from "./wakeword-options.js";

export const DEFAULT_BOARD = "host";

export const buildCommand = defineCommand({
  name: "build",
  usage: "build <model>",
  describe: "Generate and compile a model's firmware for a board, and check it against the board's budget",
  builder: (y) =>
    withWakewordOptions(y)
      .positional("model", { type: "string", demandOption: true, describe: "A .tflite file or TF.js model.json" })
      .option("board", { type: "string", default: DEFAULT_BOARD, describe: "Target board (see `tinyml boards`)" })
      .option("runtime", { choices: ["aot", "tflm"] as const, describe: "Ahead-of-time C, or the TFLM interpreter (default: the board's)" })
      .option("app", { choices: Object.keys(APP_SOURCES), default: "inference", describe: "Firmware app: the tinyml test protocol, or the MLPerf Tiny (EEMBC) runner protocol" })
      .option("o", { alias: "output-dir", type: "string", describe: "Build directory (default build/<board>)" })
      .option("dry-run", { type: "boolean", default: false, describe: "Write the project and print the toolchain commands without running them" })
      .option("plan-only", { type: "boolean", default: false, describe: "Print the planned flash/RAM use against the budget; compile nothing" })
      .option("tflm-dir", { type: "string", describe: "A TFLM source tree (create_tflm_tree.py output), for --runtime tflm" })
      .option("max-arena", { type: "number", describe: "Fail if the arena needs more bytes than this" })
      .option("boards-dir", { type: "string", describe: "A directory of extra board JSON files" })
      .example("$0 build examples/models/micro_speech.tflite", "Build for the host board: build/host/model")
      .example("$0 build --board qemu-m4 model.tflite", "Cortex-M4 ELF for QEMU, with the budget table")
      .example("$0 build --app wakeword --board qemu-m4 examples/models/micro_speech.tflite", "The streaming wake-word firmware: the shipped frontend + a classifier")
      .example("$0 build --app wakeword --board nano33ble marvin/marvin_int8.tflite", "A fine-tuned keyword for the Nano's microphone")
      .example("$0 build --board esp32s3 --dry-run model.tflite", "Write the ESP-IDF project and print idf.py's commands"),
  async run(args, out) {
    const maxArena = args.maxArena;
    if (maxArena !== undefined && (!Number.isInteger(maxArena) || maxArena < 0)) {
      throw new TinymlError("TML_E_USAGE", `--max-arena must be a whole number of bytes, got ${maxArena}`);
    }
    const board = loadBoard(args.board, args.boardsDir);
    const runtime: RuntimeKind = args.runtime ?? board.runtime.default;
    const loaded = await loadModel(args.model);

    if (args.planOnly) {
      checkRuntimeSupport(mainGraph(loaded.model), runtime, loaded.path);
      const model = generateModelSources(loaded, runtime, maxArena);
      const budget: Budget = {
        source: "plan",
        flash: { used: modelWeightBytes(loaded), budget: board.memory.flashBytes },
        ram: { used: model.arenaBytes, budget: board.memory.ramBytes },
        contributors: [{ symbol: "model weights", bytes: modelWeightBytes(loaded) }, { symbol: "tensor arena", bytes: model.arenaBytes }]
          .sort((a, b) => b.bytes - a.bytes),
      };
      if (out.json) out.printJson({ board: board.id, runtime, planOnly: true, budget, memory: { arenaBytes: model.arenaBytes, lowerBoundBytes: model.plan.lowerBoundBytes } });
      else out.print(`${board.name}, ${runtime} runtime — planned before compiling (weights and arena; code not included)\n${renderBudget(budget)}`);
      checkBudget(board, budget);
      return;
    }

    const dir = resolve(args.o ?? join("build", board.id));
    const stray = givenWakewordOption(args);
    if (stray !== undefined && args.app !== "wakeword") {
      throw new TinymlError("TML_E_USAGE", `${stray} is for --app wakeword`, { hint: `Add --app wakeword, or drop ${stray}.` });
    }
    // A wake-word build runs two models; the classifier becomes the build's model.
    const wakeword = args.app === "wakeword"
      ? (await wakewordBuild({
        family: board.family, runtime, model: loaded, frontendPath: args.frontend, classifierPath: args.classifier,
        labelsPath: args.labels, recognize: recognizeArgs(args), maxArenaBytes: maxArena,
      })).parts
      : { loaded };
    const result = await buildFirmware({
      board, runtime, app: args.app, dir, dryRun: args.dryRun, tflmDir: args.tflmDir,
      maxArenaBytes: maxArena, verbose: args.verbose, progress: (l) => out.info(l), ...wakeword,
    });
    if (out.json) {
      out.printJson(result);
      return;
    }
    const lines = [
      result.ran ? `built ${result.image} for ${board.name} (${runtime} runtime, ${result.app} app)` : `wrote the ${board.family} project for ${board.name} to ${dir} (${runtime} runtime)`,
      `  arena: ${formatBytes(result.memory.arenaBytes)} (plan ${result.memory.planBytes} B, lower bound ${result.memory.lowerBoundBytes} B)`,
    ];
    if (!result.ran) lines.push("  commands (dry run, not executed):", ...result.commands.map((c) => `    ${c}`));
    lines.push(renderBudget(result.budget) + (result.budget.source === "plan" ? "   (planned: weights and arena)" : ""));
    out.print(lines.join("\n"));
  },
});
