// What goes into a generated vendor project besides its build files: the
// sources (generated model files, firmware/kernels, firmware/runtime and
// the family's HAL), the include directories they need and the
// preprocessor defines. Paths in a manifest are logical ("kernels/tml_add_s8.c",
// "model.c"); each family's layout (layouts.ts) decides where they land,
// because ESP-IDF, arduino-cli and CMake each compile a different tree.

import { readdirSync } from "node:fs";
import type { BoardFamily, RuntimeKind } from "../boards/board.js";
import type { GeneratedFile } from "../codegen/c-array.js";
import { packagePath } from "../paths.js";

export interface ManifestSource {
  /** Logical path inside the project's source tree, '/'-separated. */
  dest: string;
  /** Copy this file… */
  from?: string;
  /** …or write this text. */
  content?: string;
}

export interface ProjectManifest {
  sources: ManifestSource[];
  /** Logical include directories ("." is the source root). */
  includeDirs: string[];
  /** -D NAME=VALUE; the value is C text (a string define carries its own quotes). */
  defines: Record<string, string>;
  /** Files the board keeps on its own filesystem (coralmicro's DATA); none by default. */
  data?: string[];
}

/** The apps firmware/runtime offers; each defines tml_app_main() in its own file. */
export const APP_SOURCES: Readonly<Record<string, string>> = {
  inference: "tml_proto_app.c",
  eembc: "tml_eembc.c",
  /** Streaming keyword spotting: a frontend and a classifier model (src/build/wakeword.ts). */
  wakeword: "tml_wakeword_app.c",
};

/** firmware/<sub>/* placed under `to`/ in the project. */
function listDir(sub: string, to: string, filter: (f: string) => boolean): ManifestSource[] {
  const dir = packagePath("firmware", sub);
  return readdirSync(dir)
    .filter(filter)
    .sort()
    .map((f) => ({ dest: `${to}/${f}`, from: `${dir}/${f}` }));
}

export interface FirmwareManifestOptions {
  family: BoardFamily;
  runtime: RuntimeKind;
  app: keyof typeof APP_SOURCES | string;
  /** The model's generated files (AOT: model.h/model.c; TFLM: model_data.* and tml_model_tflm.cc). */
  generated: GeneratedFile[];
  defines?: Record<string, string>;
}

/**
 * The standard manifest for a vendor family: generated model sources at the
 * root, the kernels (AOT only: TFLM brings its own), the runtime with exactly
 * one app, and firmware/hal/<family>. tml_main.c is left out: vendor SDKs
 * own main() and call the family's entry (app_main, setup) instead.
 */
export function firmwareManifest(opts: FirmwareManifestOptions): ProjectManifest {
  const appFile = APP_SOURCES[opts.app];
  if (!appFile) throw new Error(`unknown app '${opts.app}' (known: ${Object.keys(APP_SOURCES).join(", ")})`);
  const otherApps = new Set(Object.values(APP_SOURCES).filter((f) => f !== appFile));
  const runtime = listDir("runtime", "runtime", (f) => /\.[ch]$/.test(f) && f !== "tml_main.c" && !otherApps.has(f));
  const kernels = opts.runtime === "aot" ? listDir("kernels", "kernels", (f) => /\.[ch]$/.test(f)) : [];
  const hal = [
    { dest: "hal/tml_hal.h", from: packagePath("firmware", "hal", "tml_hal.h") },
    ...listDir(`hal/${opts.family}`, "hal", (f) => /\.(c|cc|cpp|h)$/.test(f)),
  ];
  return {
    sources: [...opts.generated.map((g) => ({ dest: g.path, content: g.text })), ...kernels, ...runtime, ...hal],
    includeDirs: [".", ...(kernels.length > 0 ? ["kernels"] : []), "runtime", "hal"],
    defines: { ...opts.defines },
  };
}
