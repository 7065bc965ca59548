// The one typed context every vendor template renders with. Templates read
// only this: the board's data, the model's name, the runtime and app, the
// sources as the family's build files must list them, the defines, the
// memory budget and the pinned versions of vendor packages.

import { basename, relative, sep } from "node:path";
import type { Board, RuntimeKind } from "../boards/board.js";
import { cIdentifier, cString } from "../codegen/c-syntax.js";
import { provenanceLine } from "../codegen/provenance.js";
import { tinymlVersion } from "../paths.js";
import { PROJECT_NAME } from "./families.js";
import type { Placement } from "./layout.js";
import type { ProjectManifest } from "./manifest.js";

/**
 * Versions of the vendor packages a project pins. esp-tflite-micro 1.3.x
 * carries the MicroInterpreter(model, resolver, arena, size) API the
 * generated tml_model_tflm.cc uses; esp_cpu_get_cycle_count() needs IDF 5.
 */
export const VENDOR_VERSIONS = {
  idf: ">=5.0",
  espTfliteMicro: "~1.3.4",
} as const;

export interface ProjectOptions {
  board: Board;
  runtime: RuntimeKind;
  /** The app linked in (see APP_SOURCES): "inference" or "eembc". */
  app: string;
  model: { path: string; sha256: string };
  manifest: ProjectManifest;
  memory: { arenaBytes: number; /** The task or main stack; defaults by runtime. */ stackBytes?: number };
  /** Native families: the exact commands the build runs, for the Makefile that reruns them by hand. */
  native?: NativeCommandsContext;
}

export interface NativeCommandsContext {
  compiles: Array<{ object: string; source: string; command: string }>;
  links: Array<{ output: string; objects: string[]; command: string }>;
  outputs: string[];
}

export interface ProjectContext {
  provenance: string;
  board: {
    id: string;
    name: string;
    vendor: string;
    core: string;
    clockHz: number;
    clockMhz: number;
    target: string;
    fqbn: string;
    /** "arduino:mbed_nano" from "arduino:mbed_nano:nano33ble". */
    platform: string;
    baud: number;
    timerHz: number;
    kernels: string;
    flashBytes: number;
    ramBytes: number;
  };
  model: { name: string; file: string; sha256: string };
  runtime: RuntimeKind;
  tflm: boolean;
  aot: boolean;
  /** Espressif's optimized kernels: the board asks for them and TFLM (their only user) is linked. */
  espNn: boolean;
  app: string;
  project: string;
  sketch: string;
  sources: { c: string[]; cxx: string[]; headers: string[] };
  includeDirs: string[];
  defines: Array<{ name: string; value: string }>;
  data: string[];
  memory: {
    arenaBytes: number; stackBytes: number; heapBytes: number; flashBytes: number; ramBytes: number;
    /** Bare metal: where the regions start, as 0x-prefixed hex for the linker script. */
    flashOrigin: string; ramOrigin: string;
    /** The board boots from address 0 (QEMU's mps2 machines read the vector table there). */
    bootsFromZero: boolean;
  };
  versions: { tinyml: string; idf: string; espTfliteMicro: string };
  native: NativeCommandsContext | null;
}

/** TFLM's Invoke recurses through kernels with sizeable frames; the AOT code is flat. */
const DEFAULT_STACK: Readonly<Record<RuntimeKind, number>> = { aot: 8192, tflm: 16384 };
/** Enough for newlib-nano's printf and the protocol's frames; no big allocations. */
const DEFAULT_HEAP = 4096;

function hex32(n: number): string {
  return `0x${n.toString(16).padStart(8, "0")}`;
}

function rel(path: string, listRoot: string): string {
  const r = relative(listRoot === "." ? "" : listRoot, path).split(sep).join("/");
  return r === "" ? "." : r;
}

/** The defines every board gets; the manifest's own defines win on a clash. */
export function boardDefines(board: Board, runtime: RuntimeKind): Record<string, string> {
  return {
    TML_BOARD_ID: cString(board.id),
    TML_TIMER_HZ: `${board.timer.hz}u`,
    ...(board.serial ? { TML_UART_BAUD: `${board.serial.baud}u` } : {}),
    TML_RUNTIME_NAME: cString(runtime),
    TML_VERSION: cString(tinymlVersion),
    ...microphoneDefines(board),
  };
}

/** The board's microphone for the HAL: its wiring, or TML_MIC_NONE when it has none. */
function microphoneDefines(board: Board): Record<string, string> {
  const mic = board.microphone;
  if (!mic) return { TML_MIC_NONE: "1" };
  return {
    ...(mic.pins ? { TML_MIC_I2S_BCLK: String(mic.pins.bclk), TML_MIC_I2S_WS: String(mic.pins.ws), TML_MIC_I2S_DIN: String(mic.pins.din) } : {}),
    ...(mic.slot ? { TML_MIC_I2S_SLOT: mic.slot === "left" ? "I2S_STD_SLOT_LEFT" : "I2S_STD_SLOT_RIGHT" } : {}),
    ...(mic.shift !== undefined ? { TML_MIC_SHIFT: String(mic.shift) } : {}),
    ...(mic.gain !== undefined ? { TML_MIC_GAIN: String(mic.gain) } : {}),
  };
}

export function projectContext(opts: ProjectOptions, placement: Placement): ProjectContext {
  const { board, runtime } = opts;
  const listed = placement.placed.map((p) => rel(p.path, placement.listRoot));
  const root = placement.sourceRoot;
  const includeDirs = placement.flat
    ? [rel(root, placement.listRoot)]
    : opts.manifest.includeDirs.map((d) => rel(d === "." ? root : `${root}/${d}`, placement.listRoot));
  const defines = { ...boardDefines(board, runtime), ...opts.manifest.defines };
  const fqbn = board.toolchain.fqbn ?? "";
  return {
    provenance: provenanceLine({ modelPath: opts.model.path, sha256: opts.model.sha256 }),
    board: {
      id: board.id,
      name: board.name,
      vendor: board.vendor,
      core: board.cpu.core,
      clockHz: board.cpu.clockHz,
      clockMhz: Math.round(board.cpu.clockHz / 1e6),
      target: board.toolchain.target ?? "",
      fqbn,
      platform: fqbn.split(":").slice(0, 2).join(":"),
      baud: board.serial?.baud ?? 115200,
      timerHz: board.timer.hz,
      kernels: board.runtime.kernels,
      flashBytes: board.memory.flashBytes,
      ramBytes: board.memory.ramBytes,
    },
    model: { name: cIdentifier(basename(opts.model.path).replace(/\.[^.]*$/, "")), file: basename(opts.model.path), sha256: opts.model.sha256 },
    runtime,
    tflm: runtime === "tflm",
    aot: runtime === "aot",
    espNn: runtime === "tflm" && board.runtime.kernels === "esp-nn",
    app: opts.app,
    project: PROJECT_NAME,
    sketch: PROJECT_NAME,
    sources: {
      c: listed.filter((p) => p.endsWith(".c")),
      cxx: listed.filter((p) => /\.(cc|cpp)$/.test(p)),
      headers: listed.filter((p) => p.endsWith(".h")),
    },
    includeDirs: [...new Set(includeDirs)],
    defines: Object.entries(defines).map(([name, value]) => ({ name, value })),
    data: opts.manifest.data ?? [],
    memory: {
      arenaBytes: opts.memory.arenaBytes,
      stackBytes: opts.memory.stackBytes ?? DEFAULT_STACK[runtime],
      heapBytes: DEFAULT_HEAP,
      flashBytes: board.memory.flashBytes,
      ramBytes: board.memory.ramBytes,
      flashOrigin: hex32(board.memory.flashOrigin ?? 0),
      ramOrigin: hex32(board.memory.ramOrigin ?? 0),
      bootsFromZero: board.emulator?.qemu !== undefined,
    },
    versions: { tinyml: tinymlVersion, ...VENDOR_VERSIONS },
    native: opts.native ?? null,
  };
}
