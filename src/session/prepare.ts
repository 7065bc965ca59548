// A session's first stage: the firmware, built once per board (however many
// rig entries share it), with TFLM's arena measured on the board first, or,
// with --no-build, what an earlier build left (firmware.ts).

import type { Board } from "../boards/board.js";
import { buildFirmware } from "../firmware-project/build.js";
import { firmwareImage } from "../firmware-project/image.js";
import type { FirmwareRequest, FirmwareResult } from "../firmware-project/request.js";
import { findFirmware, type PreparedFirmware } from "./firmware.js";
import { tflmArena } from "./tflm-arena.js";

/** What every board of a run builds; the board and directory come per target. */
export type FirmwareSpec = Omit<FirmwareRequest, "board" | "dir" | "runtime" | "dryRun"> & { runtime?: FirmwareRequest["runtime"] };

export interface FirmwareChoice {
  /** Build (true), or use what is in the directory (--no-build). */
  build: boolean;
  /** The build directory for a board. */
  dirFor: (board: Board) => string;
  spec: FirmwareSpec;
  /** e.g. "tinyml test --board B MODEL": the rebuild hint's command. */
  rebuildCommand: (board: Board, dir: string) => string;
  /** Told after each board's build (a progress summary). */
  onBuilt?: (board: Board, built: FirmwareResult) => void;
}

/** Builds (or finds) each distinct board's firmware, one board at a time (compiles use every core). */
export async function prepareFirmwares(boards: readonly Board[], choice: FirmwareChoice): Promise<Map<string, PreparedFirmware>> {
  const out = new Map<string, PreparedFirmware>();
  for (const board of boards) {
    if (out.has(board.id)) continue;
    out.set(board.id, await prepareFirmware(board, choice));
  }
  return out;
}

export async function prepareFirmware(board: Board, choice: FirmwareChoice): Promise<PreparedFirmware> {
  const dir = choice.dirFor(board);
  const rebuild = choice.rebuildCommand(board, dir);
  if (!choice.build) return findFirmware(board, dir, { app: choice.spec.app, rebuild });
  const runtime = choice.spec.runtime ?? board.runtime.default;
  const request = { ...choice.spec, board, dir, runtime, dryRun: false };
  // TFLM's arena from its own planner on this board (a probe, once), unless given.
  const arena = await tflmArena(request, choice.spec.arenaBytes);
  const built = await buildFirmware({ ...request, ...(arena.bytes !== undefined ? { arenaBytes: arena.bytes } : {}) });
  choice.onBuilt?.(board, built);
  return { board, dir, image: firmwareImage(board, dir), built, app: choice.spec.app, rebuild };
}
