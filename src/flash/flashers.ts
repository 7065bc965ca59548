// Flashers by the name a board file gives in flasher.driver, and the flash
// step itself: check the tool and the build, check the port, run.

import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Board } from "../boards/board.js";
import { TinymlError } from "../errors.js";
import type { ToolCommand } from "../toolchain/command.js";
import { runStreamed } from "../toolchain/stream-run.js";
import { arduinoCliUploader } from "./arduino-cli-upload.js";
import { coralmicroFlashtool } from "./coralmicro-flashtool.js";
import { esptoolFlasher } from "./esptool.js";
import type { Flasher } from "./flasher.js";
import { checkPort, type SelectedPort } from "../device/port-select.js";

export const FLASHERS: ReadonlyMap<Board["flasher"]["driver"], Flasher> = new Map(
  [esptoolFlasher, arduinoCliUploader, coralmicroFlashtool].map((f) => [f.id, f]),
);

export function flasherFor(board: Board): Flasher {
  const f = FLASHERS.get(board.flasher.driver);
  if (!f) {
    const hint = board.flasher.driver === "qemu"
      ? "QEMU boards are not flashed: `tinyml test` boots the image in QEMU."
      : board.flasher.driver === "none"
        ? "This board runs on the host; there is nothing to flash."
        : `Flashers: ${[...FLASHERS.keys()].join(", ")}.`;
    throw new TinymlError("TML_E_USAGE", `board ${board.id} has no flasher ('${board.flasher.driver}')`, { location: { file: board.file, detail: "flasher.driver" }, hint });
  }
  return f;
}

export interface FlashOptions {
  board: Board;
  buildDir: string;
  port: SelectedPort;
  dryRun?: boolean;
  verbose?: boolean;
  stream?: NodeJS.WriteStream;
}

export interface FlashResult {
  commands: ToolCommand[];
  log: string;
  ran: boolean;
}

export async function flashBoard(opts: FlashOptions): Promise<FlashResult> {
  const flasher = flasherFor(opts.board);
  const commands = flasher.commands({ board: opts.board, buildDir: opts.buildDir, port: opts.port });
  const log = join(opts.buildDir, "flash.log");
  if (opts.dryRun) return { commands, log, ran: false };
  for (const f of flasher.requiredFiles({ board: opts.board, buildDir: opts.buildDir })) {
    if (!existsSync(f)) {
      throw new TinymlError("TML_E_FILE_NOT_FOUND", `nothing to flash: ${f} is missing`, {
        location: { file: opts.buildDir },
        hint: `Build first: \`tinyml build --board ${opts.board.id} MODEL\` (or pass --build-dir where you built it).`,
      });
    }
  }
  const found = await flasher.detect(opts.buildDir);
  if (!found.found) {
    const what = found.problems.length > 0 ? found.problems.join("; ") : `'${flasher.tool}' was not found on PATH`;
    throw new TinymlError("TML_E_TOOLCHAIN_MISSING", `${found.name} cannot flash ${opts.board.id}: ${what}`, { hint: found.hint });
  }
  checkPort(opts.port.path);
  writeFileSync(log, "");
  await runStreamed(commands, { log, verbose: opts.verbose ?? false, missingHint: found.hint, ...(opts.stream ? { stream: opts.stream } : {}) });
  return { commands, log, ran: true };
}
