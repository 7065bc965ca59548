// Where a build directory's firmware is, for the commands that run or flash
// it: the host app executable or the bare-metal ELF (a family's primary
// image), or, for a vendor board, the build directory its flasher reads.

import { join } from "node:path";
import type { Board } from "../boards/board.js";
import { FAMILIES } from "./families.js";

export function firmwareImage(board: Board, dir: string): string {
  const primary = FAMILIES[board.family].images.find((i) => i.primary);
  return primary ? join(dir, primary.output) : dir;
}

/** A board that runs what was flashed onto it (not a host process or an ELF QEMU boots). */
export function runsFlashedImage(board: Board): boolean {
  return board.flasher.driver !== "none" && board.flasher.driver !== "qemu";
}
