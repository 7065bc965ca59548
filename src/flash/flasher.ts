// The interface every flasher implements: whether its tool is installed,
// and the exact commands that put a built image on the board through a
// chosen port. flashers.ts picks one by the board file's flasher.driver.

import type { Board } from "../boards/board.js";
import type { ToolCommand } from "../toolchain/command.js";
import type { ToolDetection } from "../toolchain/driver.js";
import type { SelectedPort } from "../device/port-select.js";

export interface FlashInput {
  board: Board;
  /** The build directory `tinyml build` wrote (the rendered project). */
  buildDir: string;
  port: SelectedPort;
}

export interface Flasher {
  readonly id: Board["flasher"]["driver"];
  readonly tool: string;
  detect(buildDir?: string): Promise<ToolDetection>;
  /** Files a real flash needs from the build; missing ones mean "build first". */
  requiredFiles(input: Omit<FlashInput, "port">): string[];
  commands(input: FlashInput): ToolCommand[];
}
