// `tinyml test --wakeword DIR --board B FRONTEND [--classifier C]`: build the
// wake-word firmware (both models), stream every clip of the labelled set to
// the board, and prove its frames equal the host pipeline's (see
// src/validate/wakeword-runner.ts). Exit 1 when a frame differs.

import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadBoard } from "../boards/load.js";
import { FIRMWARE_ELF } from "../build/baremetal.js";
import { buildFirmware } from "../build/build-firmware.js";
import { HOST_FIRMWARE } from "../build/host.js";
import { wakewordBuildParts } from "../build/wakeword.js";
import { TinymlError } from "../errors.js";
import { loadModel } from "../model/load.js";
import { loadLabelledSet } from "../wakeword/labels.js";
import { MICRO_SPEECH_LABELS } from "../wakeword/settings.js";
import { renderWakewordReport } from "../validate/wakeword-report.js";
import { runWakewordTest } from "../validate/wakeword-runner.js";
import type { Output } from "./output.js";

export interface WakewordTestArgs {
  model: string;
  wakeword: string;
  classifier?: string;
  board: string;
  boardsDir?: string;
  build: boolean;
  buildDir?: string;
  verbose: boolean;
}

export async function runWakewordCommand(args: WakewordTestArgs, out: Output): Promise<number> {
  const board = loadBoard(args.board, args.boardsDir);
  if (board.family !== "host" && board.family !== "baremetal") {
    throw new TinymlError("TML_E_USAGE", `--wakeword runs on host and QEMU boards for now, not ${board.id}`, { hint: "Use --board host, qemu-m4 or qemu-m7." });
  }
  const frontend = await loadModel(args.model);
  const parts = await wakewordBuildParts({ family: board.family, runtime: "aot", frontend, classifierPath: args.classifier });
  // Labels are checked against the classifier's categories before anything runs.
  const set = loadLabelledSet(resolve(args.wakeword), MICRO_SPEECH_LABELS);
  const dir = resolve(args.buildDir ?? join("build", `${board.id}-wakeword`));
  if (args.build) {
    out.info(`building ${board.id} wake-word firmware in ${dir}…`);
    await buildFirmware({ board, runtime: "aot", app: "wakeword", dir, dryRun: false, verbose: args.verbose, progress: (l) => out.debug(l), ...parts });
  }
  const image = join(dir, board.family === "host" ? HOST_FIRMWARE : FIRMWARE_ELF);
  if (!existsSync(image)) {
    throw new TinymlError("TML_E_FILE_NOT_FOUND", `no wake-word firmware for ${board.id} at ${image}`, {
      hint: `Build it: \`tinyml build --app wakeword --board ${board.id} ${frontend.path} -o ${dir}\`, or drop --no-build.`,
    });
  }
  out.info(`streaming ${set.clips.length} clip${set.clips.length === 1 ? "" : "s"} to ${board.id}…`);
  const report = await runWakewordTest({
    board, image, frontend, classifier: parts.loaded, set,
    onClip: (c) => out.info(`  ${c.name}: ${c.frames} frames${c.mismatches.length > 0 ? ", DIFFERS" : ""}`),
  });
  if (out.json) out.printJson(report);
  else out.print(renderWakewordReport(report));
  return report.status === "pass" ? 0 : 1;
}
