// What a firmware build is asked to do, and what it reports back.

import type { Board, RuntimeKind } from "../boards/board.js";
import type { LoadedModel } from "../model/load.js";
import type { GeneratedFile } from "../codegen/c-array.js";
import type { Budget } from "./budget.js";

export interface BuildRequest {
  board: Board;
  loaded: LoadedModel;
  runtime: RuntimeKind;
  /** "inference" (the framed test protocol) or "eembc" (MLPerf Tiny runner). */
  app: string;
  dir: string;
  /** Generate the project and print the toolchain commands without running them. */
  dryRun: boolean;
  tflmDir?: string;
  maxArenaBytes?: number;
  /** Generated sources linked beside the model's own (the wake-word frontend, under its own prefix). */
  extraFiles?: GeneratedFile[];
  /** -D NAME=VALUE for the app (the wake-word app's keyword mask and smoothing settings). */
  extraDefines?: Record<string, string>;
  /** What extraFiles add to a planned budget: the wake-word frontend's weights and arena. */
  extraMemory?: { what: string; weightBytes: number; arenaBytes: number };
  verbose: boolean;
  /** Progress lines for the user (stderr). */
  progress: (line: string) => void;
}

export interface BuildResult {
  board: string;
  family: string;
  runtime: RuntimeKind;
  app: string;
  dir: string;
  /** The executable or ELF, when the build ran. */
  image?: string;
  /** False for --dry-run (or a project that cannot be compiled here). */
  ran: boolean;
  /** Every toolchain command, as a shell would print it. */
  commands: string[];
  memory: { arenaBytes: number; planBytes: number; lowerBoundBytes: number };
  budget: Budget;
}
