// `tinyml bench`: the same model on one board under several runtimes (AOT,
// and TFLM from each tree given), the same inputs through each, every output
// checked bit-exact against the host reference, and the figures a user picks
// a runtime by, side by side: instructions (QEMU) or timer ticks per
// inference, µs at the board's clock, TFLM's measured arena, the image's RAM
// and flash, and its code without the model's data.

import { join } from "node:path";
import type { Board } from "../boards/board.js";
import { FAMILIES } from "../firmware-project/families.js";
import type { LoadedModel } from "../model/load.js";
import { readTflmTree } from "../firmware-project/tflm-tree.js";
import { prepareFirmware, type FirmwareSpec } from "../session/prepare.js";
import { modelDataBytes } from "../toolchain/size.js";
import type { Expectations } from "./expected.js";
import type { TestCase } from "./inputs.js";
import type { BoardRun, OpProfile, Stats } from "./report.js";
import { runBoard } from "./runner.js";

export interface BenchConfig {
  runtime: "aot" | "tflm";
  /** TFLM: the tree. */
  tflmDir?: string;
}

export interface BenchRun {
  runtime: "aot" | "tflm";
  /** "tinyml" (AOT), or the TFLM tree's kernels: "reference", "cmsis-nn". */
  kernels: string;
  /** TFLM: the tree and what the firmware reported itself as. */
  tflmDir?: string;
  firmware?: string;
  /** Instructions per inference (QEMU under -icount): median, min, max. */
  instructions?: Pick<Stats, "median" | "min" | "max">;
  /** Timer ticks per inference (every board): median, min, max. */
  ticks?: Pick<Stats, "median" | "min" | "max">;
  /** µs per inference at the board's CPU clock (instructions taken as cycles under QEMU; else the timer's time). */
  latencyUs?: number;
  /** The arena the runtime uses: AOT's plan, TFLM's arena_used_bytes() on the device. */
  arenaBytes?: number;
  ramBytes?: number;
  flashBytes?: number;
  /** Flash minus the model's data (weights, the flatbuffer). */
  codeBytes?: number;
  /** Every case's every output equal to the host reference. */
  exact: boolean;
  cases: number;
  profile?: OpProfile[];
  status: BoardRun["status"];
  error?: { code: string; message: string };
  buildDir: string;
}

export interface BenchOptions {
  board: Board;
  loaded: LoadedModel;
  configs: BenchConfig[];
  cases: TestCase[];
  expect: Expectations;
  runs: number;
  warmup: number;
  profile: boolean;
  /** Where each configuration builds (a directory per configuration below it). */
  buildRoot: string;
  spec: Pick<FirmwareSpec, "verbose" | "progress" | "force">;
  onConfig?: (label: string) => void;
}

function configDir(root: string, board: Board, c: BenchConfig, index: number): string {
  return join(root, `${board.id}-${index + 1}-${c.runtime}${c.tflmDir ? `-${readTflmTree(c.tflmDir).kernels}` : ""}`);
}

function pick(s: Stats | undefined): BenchRun["ticks"] {
  return s ? { median: s.median, min: s.min, max: s.max } : undefined;
}

export async function runBench(opts: BenchOptions): Promise<BenchRun[]> {
  const { board } = opts;
  const runs: BenchRun[] = [];
  for (const [i, c] of opts.configs.entries()) {
    const tree = c.tflmDir ? readTflmTree(c.tflmDir) : undefined;
    const kernels = tree ? tree.kernels : "tinyml";
    opts.onConfig?.(`${c.runtime}${tree ? ` (${tree.kernels}, ${c.tflmDir})` : ""}`);
    const dir = configDir(opts.buildRoot, board, c, i);
    const firmware = await prepareFirmware(board, {
      build: true, dirFor: () => dir,
      spec: { ...opts.spec, app: "inference", loaded: opts.loaded, runtime: c.runtime, ...(c.tflmDir ? { tflmDir: c.tflmDir } : {}) },
      rebuildCommand: () => "tinyml bench",
    });
    const run = await runBoard({ id: board.id, board, firmware }, {
      kind: "inference", loaded: opts.loaded, cases: opts.cases, expect: opts.expect, runs: opts.runs, warmup: opts.warmup, profile: opts.profile,
    }, { session: { verbose: opts.spec.verbose } });
    const budget = firmware.built?.budget;
    const measured = budget?.source === "image";
    const dataBytes = measured && FAMILIES[board.family].compiler === "native" ? await modelDataBytes(dir, board) : undefined;
    const ins = run.latency?.instructions;
    runs.push({
      runtime: c.runtime, kernels, ...(c.tflmDir ? { tflmDir: c.tflmDir } : {}), ...(run.firmware ? { firmware: run.firmware.runtime } : {}),
      ...(ins ? { instructions: pick(ins) } : {}), ...(run.latency ? { ticks: pick(run.latency.ticks) } : {}),
      ...(ins ? { latencyUs: (ins.median / board.cpu.clockHz) * 1e6 } : run.latency ? { latencyUs: run.latency.us.median } : {}),
      ...(run.firmware ? { arenaBytes: run.firmware.arenaBytes } : {}),
      ...(measured ? { ramBytes: budget!.ram.used, flashBytes: budget!.flash.used } : {}),
      ...(measured && dataBytes !== undefined ? { codeBytes: budget!.flash.used - dataBytes } : {}),
      exact: run.status === "pass" && run.cases.length === opts.cases.length && run.cases.every((k) => k.outputs.every((o) => o.exact)),
      cases: run.cases.length, ...(run.profile ? { profile: run.profile } : {}),
      status: run.status, ...(run.error ? { error: run.error } : {}), buildDir: dir,
    });
  }
  return runs;
}
