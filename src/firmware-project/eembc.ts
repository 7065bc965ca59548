// What `--app eembc` adds to a build: the MLPerf Tiny model id the firmware
// answers `profile` with (the runner picks its test script by it), the
// device name `name` answers, the benchmark's I/O convention and db buffer,
// and the timestamp mode (performance: m-lap-us lines at 115200 baud;
// energy: the banner, 9600 baud and a pulse on the timestamp pin, as the
// reference submissions' EE_CFG_ENERGY_MODE builds do).

import type { Board } from "../boards/board.js";
import { cString } from "../codegen/c-syntax.js";
import { benchmarkDefines, resolveBenchmark, type EembcBenchmark } from "../eembc/benchmarks.js";
import { TinymlError } from "../errors.js";
import { mainGraph } from "../model/graph.js";
import type { LoadedModel } from "../model/load.js";
import type { FirmwareRequest } from "./request.js";

export type EembcTimestampMode = "performance" | "energy";

export interface EembcBuildOptions {
  /** --eembc-model: kws01, vww01, ic01 or ad01; inferred for the reference models. */
  model?: string;
  /** --eembc-name: what `name` answers (m-name-dut-[…]); default the board id. */
  name?: string;
  mode?: EembcTimestampMode;
}

/** The reference submissions' energy-mode baud (th_serialport_initialize with EE_CFG_ENERGY_MODE). */
export const EEMBC_ENERGY_BAUD = 9600;

export function checkDeviceName(name: string): string {
  if (!/^[\x21-\x5c\x5e-\x7e]([\x20-\x5c\x5e-\x7e]{0,38}[\x21-\x5c\x5e-\x7e])?$/.test(name) || name.includes("%")) {
    throw new TinymlError("TML_E_USAGE", `--eembc-name '${name}' cannot be sent in the runner's m-name-dut-[…] line`, {
      hint: "Use 1 to 40 printable ASCII characters without ']' or '%' (the runner's regex stops at ']'; '%' ends a command).",
    });
  }
  return name;
}

export function eembcBuild(loaded: LoadedModel, board: Board, opts: EembcBuildOptions): { benchmark: EembcBenchmark; name: string; parts: Pick<FirmwareRequest, "extraDefines"> } {
  const graph = mainGraph(loaded.model);
  const benchmark = resolveBenchmark(loaded, graph, opts.model);
  const name = checkDeviceName(opts.name ?? board.id);
  const energy = opts.mode === "energy";
  return {
    benchmark, name,
    parts: {
      extraDefines: {
        ...benchmarkDefines(benchmark, graph),
        TML_EEMBC_MODEL_ID: cString(benchmark.id),
        TML_EEMBC_DUT_NAME: cString(name),
        // The app converts the db buffer into the model's input before every run: no stage copy.
        TML_APP_INPUT_STAGE_BYTES: "0u",
        ...(energy ? { TML_EEMBC_ENERGY: "1", TML_UART_BAUD: `${EEMBC_ENERGY_BAUD}u` } : {}),
      }
    },
  };
}
