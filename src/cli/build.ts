// `tinyml build --board host MODEL`: generates the firmware project for a
// board into a build directory and compiles it. The host board is a native
// executable that runs the model on tensor files (see firmware/hal/host).

import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { TinymlError } from "../errors.js";
import { loadModel } from "../model/load.js";
import { generateHostProject, HOST_EXECUTABLE, tflmDirRequired, type RuntimeChoice } from "../project/host.js";
import { compileHost } from "../toolchain/host-cc.js";
import { writeFileAtomic } from "../util/files.js";
import { formatBytes } from "../util/table.js";
import { defineCommand } from "./command.js";

const BOARDS = ["host"] as const;

export const buildCommand = defineCommand({
  name: "build",
  usage: "build <model>",
  describe: "Generate and compile a model's firmware for a board",
  builder: (y) =>
    y
      .positional("model", { type: "string", demandOption: true, describe: "A .tflite file or TF.js model.json" })
      .option("board", { type: "string", demandOption: true, describe: `Target board (${BOARDS.join(", ")})` })
      .option("runtime", { choices: ["aot", "tflm"] as const, default: "aot" as const, describe: "Ahead-of-time C, or the TFLM interpreter" })
      .option("o", { alias: "output-dir", type: "string", describe: "Build directory (default build/<board>)" })
      .option("tflm-dir", { type: "string", describe: "A TFLM source tree (create_tflm_tree.py output), for --runtime tflm" })
      .option("max-arena", { type: "number", describe: "Fail if the arena needs more bytes than this" })
      .example("$0 build --board host model.tflite", "Build build/host/model, a native executable")
      .example("build/host/model -o out input.bin", "Run it: writes out/0.bin, prints invoke times as JSON"),
  async run(args, out) {
    if (!(BOARDS as readonly string[]).includes(args.board)) {
      throw new TinymlError("TML_E_BOARD_UNKNOWN", `unknown board '${args.board}'`, {
        hint: `Boards: ${BOARDS.join(", ")}.`,
      });
    }
    const maxArena = args.maxArena;
    if (maxArena !== undefined && (!Number.isInteger(maxArena) || maxArena < 0)) {
      throw new TinymlError("TML_E_USAGE", `--max-arena must be a whole number of bytes, got ${maxArena}`);
    }
    const runtime: RuntimeChoice = args.runtime;
    const dir = resolve(args.o ?? join("build", args.board));
    const loaded = await loadModel(args.model);
    const project = generateHostProject(loaded, { runtime, maxArenaBytes: maxArena, tflmDir: args.tflmDir });
    for (const f of project.files) writeFileAtomic(join(dir, f.path), f.text);
    for (const c of project.copies) {
      mkdirSync(dirname(join(dir, c.path)), { recursive: true });
      copyFileSync(c.from, join(dir, c.path));
    }
    out.info(`generated ${project.files.length + project.copies.length} files in ${dir}`);
    if (!project.job) throw tflmDirRequired(dir);
    out.info(`compiling (${runtime})…`);
    await compileHost({ ...project.job, dir, cc: process.env.CC || "cc", cxx: process.env.CXX || "c++" });
    const result = {
      board: args.board,
      runtime,
      dir,
      executable: join(dir, HOST_EXECUTABLE),
      memory: { arenaBytes: project.arenaBytes, planBytes: project.plan.arenaBytes, lowerBoundBytes: project.plan.lowerBoundBytes },
      files: [...project.files.map((f) => f.path), ...project.copies.map((c) => c.path)].sort(),
    };
    if (out.json) out.printJson(result);
    else {
      out.print([
        `built ${result.executable} (${runtime})`,
        `  arena: ${formatBytes(project.arenaBytes)} (plan ${project.plan.arenaBytes} B, lower bound ${project.plan.lowerBoundBytes} B)`,
        `  run:   ${result.executable} -o OUTDIR INPUT.bin…`,
      ].join("\n"));
    }
  },
});
