// What a firmware build is asked to do, and what it reports back.

import type { Board, RuntimeKind } from "../boards/board.js";
import type { LoadedModel } from "../model/load.js";
import type { GeneratedFile } from "../codegen/c-array.js";
import type { Budget } from "./budget.js";

export interface FirmwareRequest {
  board: Board;
  loaded: LoadedModel;
  runtime: RuntimeKind;
  /** "inference" (the framed test protocol), "eembc" (MLPerf Tiny runner) or "wakeword". */
  app: string;
  /** The project directory (tinyml's own output: see src/util/output-dir.ts). */
  dir: string;
  /** Write the project and return the toolchain commands without running them. */
  dryRun: boolean;
  /** Write beside files in `dir` that tinyml did not write (replacing only its own). */
  force?: boolean;
  tflmDir?: string;
  maxArenaBytes?: number;
  /** TFLM: the interpreter's arena (measured by TFLM's own planner, or --arena); estimated without it. */
  arenaBytes?: number;
  /** TFLM: keep every tensor (preserve_all_tensors), so --bisect can read each op's output. */
  tflmPreserveAll?: boolean;
  /** Generated sources linked beside the model's own (the wake-word frontend, under its own prefix). */
  extraFiles?: GeneratedFile[];
  /** -D NAME=VALUE for the app (the wake-word app's keyword mask and smoothing settings). */
  extraDefines?: Record<string, string>;
  /** What extraFiles add to a planned budget: the wake-word frontend's weights and arena. */
  extraMemory?: { what: string; weightBytes: number; arenaBytes: number };
  /** Input files besides the model (the wake-word frontend): the project may not overwrite them. */
  extraInputs?: string[];
  verbose: boolean;
  /** Progress lines for the user (stderr). */
  progress: (line: string) => void;
  /** After each compile of a native build: for a progress line. */
  onCompile?: (done: number, total: number, source: string, cached: boolean) => void;
}

export interface FirmwareResult {
  board: string;
  family: string;
  runtime: RuntimeKind;
  app: string;
  dir: string;
  /** The executable or ELF `tinyml test` and `flash` run, when the build ran. */
  image?: string;
  /** The host board's file harness (reads input tensor files, writes outputs), when built. */
  harness?: string;
  /** False for --dry-run (or a project that cannot be compiled here). */
  ran: boolean;
  /** Every toolchain command, as a shell would print it. */
  commands: string[];
  memory: { arenaBytes: number; planBytes: number; lowerBoundBytes: number };
  budget: Budget;
  /** Native builds: how many sources compiled and how many came from the object cache. */
  compiled?: { compiled: number; cached: number };
}
