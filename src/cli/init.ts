// `tinyml init [MODEL] [--board B]`: writes tinyml.yaml in the current
// directory, commented, so the daily commands need no arguments: `tinyml
// build`, `tinyml test`, `tinyml monitor`. An existing tinyml.yaml is the
// user's and is never replaced.

import { existsSync } from "node:fs";
import { relative, resolve } from "node:path";
import { loadBoard } from "../boards/load.js";
import { TinymlError } from "../errors.js";
import { packagePath } from "../paths.js";
import { PROJECT_FILE } from "../project-file/load.js";
import { writeFileAtomic } from "../util/files.js";
import { defineCommand } from "./command.js";

export function projectTemplate(opts: { model?: string; board: string; runtime: string; schema: string }): string {
  return [
    `# yaml-language-server: $schema=${opts.schema}`,
    "# The tinyml project file, written by `tinyml init`; yours to edit.",
    "# Every key is a command-line option's name, and the command line overrides it.",
    "# Paths are relative to this file. `tinyml <command> --help` lists the options.",
    "",
    opts.model ? `model: ${opts.model}` : "# model: model.tflite        # a .tflite, Keras .h5/.keras, ONNX or TF.js model.json",
    `board: ${opts.board}             # \`tinyml boards\` lists them`,
    `runtime: ${opts.runtime}                # aot (tinyml's C) or tflm (with tflm-dir: a create_tflm_tree.py tree)`,
    "build-dir: build/firmware",
    "",
    "test:                       # tinyml test",
    "  random: 10                # seeded random inputs; or inputs: data/",
    "  runs: 3",
    "  # junit: reports/junit.xml",
    "  # report: reports/test.html",
    "",
    "# quantize:                 # tinyml quantize, for a float model",
    "#   calib: data/calib",
    "#   output: model_int8.tflite",
    "",
    "# monitor:                  # tinyml monitor",
    "#   port: /dev/ttyACM0",
    "",
    "# environments:             # tinyml build -e m4",
    "#   m4:",
    "#     board: qemu-m4",
    "#     build-dir: build/m4",
    "",
  ].join("\n");
}

export const initCommand = defineCommand({
  name: "init",
  usage: "init [model]",
  describe: "Write a tinyml.yaml project file here, so build, test and monitor need no arguments",
  builder: (y) =>
    y
      .positional("model", { type: "string", describe: "The model the project builds (a .tflite, .h5/.keras, .onnx or model.json)" })
      .option("board", { type: "string", default: "host", describe: "The project's board (see `tinyml boards`)" })
      .option("boards-dir", { type: "string", describe: "A directory of extra board JSON files" })
      .example("$0 init models/kws_int8.tflite --board nano33ble", "Then: tinyml build, tinyml test, tinyml monitor"),
  async run(args, out) {
    const file = resolve(PROJECT_FILE);
    if (existsSync(file)) {
      throw new TinymlError("TML_E_OUTPUT_UNWRITABLE", `${file} exists: tinyml init never replaces a project file`, {
        location: { file }, hint: "Edit it, or remove it first if you want a fresh one.",
      });
    }
    const board = loadBoard(args.board, args.boardsDir);
    if (args.model !== undefined && !existsSync(args.model)) {
      throw new TinymlError("TML_E_FILE_NOT_FOUND", `model not found: ${args.model}`, { location: { file: args.model }, hint: "Name a model file that exists; paths are relative to this directory." });
    }
    const model = args.model !== undefined ? relative(process.cwd(), resolve(args.model)) : undefined;
    writeFileAtomic(file, projectTemplate({ ...(model ? { model } : {}), board: board.id, runtime: board.runtime.default, schema: packagePath("tinyml.schema.json") }));
    if (out.json) out.printJson({ file, model: model ?? null, board: board.id });
    else out.print(`wrote ${file}${model ? ` for ${model}` : ""} on ${board.id}\nnext: tinyml build, then tinyml test`);
  },
});
