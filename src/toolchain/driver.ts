// The interface every vendor toolchain driver implements (vendor-drivers.ts
// picks one by the board file's toolchain.driver). A driver never asks which
// board it builds for: the board's data (target, fqbn, memory) flows into
// the commands.

import type { Board, RuntimeKind, ToolchainDriver as ToolchainDriverId } from "../boards/board.js";
import { TinymlError } from "../errors.js";
import type { ToolCommand } from "./command.js";

export interface ToolDetection {
  /** What doctor shows, e.g. "ESP-IDF (idf.py)". */
  name: string;
  found: boolean;
  path?: string;
  version?: string;
  /** How to install or enable it; shown when something is missing. */
  hint: string;
  /** Missing pieces beyond the executable (an IDF_PATH, a core, a library, the SDK checkout). */
  problems: string[];
}

export interface DetectContext {
  board?: Board;
  runtime?: RuntimeKind;
  /** The rendered project, where a driver looks for an SDK checked out beside it. */
  projectDir?: string;
}

/** A generated vendor project on disk, as its build tool needs it (nothing above the toolchain is imported). */
export interface VendorProjectOnDisk {
  dir: string;
  /** The ESP-IDF/CMake executable and the Arduino sketch name. */
  name: string;
  runtime: RuntimeKind;
  /** The project's preprocessor defines (arduino-cli passes them as build properties). */
  defines: Array<{ name: string; value: string }>;
}

export interface BuildInput {
  board: Board;
  project: VendorProjectOnDisk;
}

export interface FirmwareImage {
  /** The ELF the budget check and flashers read. */
  elf: string;
  /** The directory holding everything a flasher needs (flash_args, bootloader, …). */
  outDir: string;
}

export interface ToolchainDriver {
  readonly id: ToolchainDriverId;
  /** The executable that must be on PATH. */
  readonly tool: string;
  detect(ctx?: DetectContext): Promise<ToolDetection>;
  /** The exact commands a build runs, in order. */
  buildCommands(input: BuildInput): ToolCommand[];
  image(input: BuildInput): FirmwareImage;
}

/** A board value a driver cannot work without, e.g. toolchain.target for ESP-IDF. */
export function requireBoardKey(board: Board, key: "target" | "fqbn"): string {
  const v = board.toolchain[key];
  if (!v) {
    throw new TinymlError("TML_E_BOARD_INVALID", `board ${board.id} needs toolchain.${key} for the ${board.toolchain.driver} toolchain`, {
      location: { file: board.file, detail: `toolchain.${key}` },
      hint: key === "target" ? 'Add e.g. "target": "esp32s3" (what `idf.py set-target` takes).' : 'Add e.g. "fqbn": "arduino:mbed_nano:nano33ble".',
    });
  }
  return v;
}
