// `tinyml test --wakeword DIR --board B MODEL`: build the wake-word firmware
// (both models; MODEL is the classifier or the frontend, see
// src/build/wakeword.ts), flash it where the board is real, stream every clip
// of the labelled set to the board, and prove its frames equal the host
// pipeline's (src/validate/wakeword-runner.ts). Exit 1 when a frame differs.

import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadBoard } from "../boards/load.js";
import { buildFirmware, firmwareImage, runsFlashedImage } from "../build/build-firmware.js";
import { wakewordBuild } from "../build/wakeword.js";
import { TinymlError } from "../errors.js";
import { flashBoard } from "../flash/flashers.js";
import { selectPort } from "../flash/port.js";
import { loadModel } from "../model/load.js";
import { loadLabelledSet } from "../wakeword/labels.js";
import { renderWakewordReport } from "../validate/wakeword-report.js";
import { runWakewordTest } from "../validate/wakeword-runner.js";
import type { Output } from "./output.js";
import { recognizeArgs, type WakewordArgs } from "./wakeword-options.js";

export interface WakewordTestArgs extends WakewordArgs {
  model: string;
  wakeword: string;
  board: string;
  port?: string;
  boardsDir?: string;
  build: boolean;
  buildDir?: string;
  verbose: boolean;
}

export async function runWakewordCommand(args: WakewordTestArgs, out: Output): Promise<number> {
  const board = loadBoard(args.board, args.boardsDir);
  const ww = await wakewordBuild({
    family: board.family, runtime: "aot", model: await loadModel(args.model),
    frontendPath: args.frontend, classifierPath: args.classifier, labelsPath: args.labels, recognize: recognizeArgs(args),
  });
  // Labels are checked against the classifier's categories before anything runs.
  const set = loadLabelledSet(resolve(args.wakeword), ww.labels);
  const dir = resolve(args.buildDir ?? join("build", `${board.id}-wakeword`));
  const flashed = runsFlashedImage(board);
  if (args.build) {
    out.info(`building ${board.id} wake-word firmware in ${dir}…`);
    await buildFirmware({ board, runtime: "aot", app: "wakeword", dir, dryRun: false, verbose: args.verbose, progress: (l) => out.debug(l), ...ww.parts });
    if (flashed) {
      out.info(`flashing ${board.id}…`);
      await flashBoard({ board, buildDir: dir, port: selectPort(board, { port: args.port }), verbose: args.verbose });
    }
  }
  const image = firmwareImage(board, dir);
  if (!flashed && !existsSync(image)) {
    throw new TinymlError("TML_E_FILE_NOT_FOUND", `no wake-word firmware for ${board.id} at ${image}`, {
      hint: `Build it: \`tinyml build --app wakeword --board ${board.id} ${args.model} -o ${dir}\`, or drop --no-build.`,
    });
  }
  out.info(`streaming ${set.clips.length} clip${set.clips.length === 1 ? "" : "s"} to ${board.id} (categories: ${ww.labels.join(", ")})…`);
  const report = await runWakewordTest({
    board, image, frontend: ww.frontend, classifier: ww.classifier, set, labels: ww.labels, recognize: ww.recognize,
    ...(args.port ? { open: { port: args.port } } : {}),
    onClip: (c) => out.info(`  ${c.name}: ${c.frames} frames${c.mismatches.length > 0 ? ", DIFFERS" : ""}`),
  });
  if (out.json) out.printJson(report);
  else out.print(renderWakewordReport(report));
  return report.status === "pass" ? 0 : 1;
}
