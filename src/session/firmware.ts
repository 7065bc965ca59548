// The firmware a session runs, as an earlier build left it in its directory:
// checked to exist, to be tinyml's, to be for this board and to be the app
// the session speaks (prepare.ts builds it first when asked to).

import { existsSync } from "node:fs";
import type { Board } from "../boards/board.js";
import type { FirmwareRecordDetails } from "../firmware-project/build.js";
import { firmwareImage, runsFlashedImage } from "../firmware-project/image.js";
import type { FirmwareResult } from "../firmware-project/request.js";
import { TinymlError } from "../errors.js";
import { readOutputRecord } from "../util/output-dir.js";

export interface PreparedFirmware {
  board: Board;
  dir: string;
  /** The host executable or ELF to run, or (a flashed board) the build directory. */
  image: string;
  /** Set when this run built it: the board still has to be flashed. */
  built?: FirmwareResult;
  /** The app the firmware runs, from the build's record (inference when unrecorded). */
  app: string;
  /** The command that rebuilds it, for stale-firmware messages. */
  rebuild: string;
}

export function recordedFirmware(dir: string): FirmwareRecordDetails | undefined {
  const r = readOutputRecord(dir);
  return r?.kind === "firmware-project" ? (r.details as unknown as FirmwareRecordDetails | undefined) : undefined;
}

/**
 * The firmware an earlier build left in `dir`. With `app`, it must be that
 * app's; without, the app is what the build recorded.
 */
export function findFirmware(board: Board, dir: string, want: { app?: string; rebuild: string }): PreparedFirmware {
  const image = firmwareImage(board, dir);
  const recorded = recordedFirmware(dir);
  if (!runsFlashedImage(board) && !existsSync(image)) {
    throw new TinymlError("TML_E_FILE_NOT_FOUND", `no firmware for ${board.id} at ${image}`, {
      location: { file: dir },
      hint: `Build it: \`${want.rebuild}\`${want.app ? ", or drop --no-build" : ""}.`,
    });
  }
  if (recorded?.dryRun) {
    throw new TinymlError("TML_E_FILE_NOT_FOUND", `${dir} holds a dry run's project: nothing was compiled`, {
      location: { file: dir },
      hint: `Build it without --dry-run: \`${want.rebuild}\`.`,
    });
  }
  if (recorded && recorded.board !== board.id) {
    throw new TinymlError("TML_E_USAGE", `${dir} holds firmware for board ${recorded.board}, not ${board.id}`, {
      location: { file: dir },
      hint: `Build for ${board.id}: \`${want.rebuild}\`.`,
    });
  }
  if (want.app && recorded && recorded.app !== want.app) {
    throw new TinymlError("TML_E_USAGE", `${dir} holds the ${recorded.app} app's firmware; this run needs the ${want.app} app`, {
      location: { file: dir },
      hint: `Rebuild it: \`${want.rebuild}\`, or drop --no-build.`,
    });
  }
  return { board, dir, image, app: recorded?.app ?? want.app ?? "inference", rebuild: want.rebuild };
}
