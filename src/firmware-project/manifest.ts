// What goes into a firmware project, for every family alike: the generated
// model files, the firmware/kernels files they call (AOT only: TFLM brings
// its own; kernel-selection.ts picks them), the
// runtime with exactly one app, the family's HAL, main() where tinyml owns
// it, and the host's file harness; each source in a group (families.ts) so
// flags are given per group. Paths are logical ("kernels/tml_add_s8.c",
// "model.c"); each family's layout decides where they land.

import { readdirSync, readFileSync } from "node:fs";
import type { RuntimeKind } from "../boards/board.js";
import type { GeneratedFile } from "../codegen/c-array.js";
import { packagePath } from "../paths.js";
import type { FamilyProfile, SourceGroup } from "./families.js";
import { selectKernelFiles } from "./kernel-selection.js";

export interface ManifestSource {
  /** Logical path inside the project's source tree, '/'-separated. */
  dest: string;
  group: SourceGroup;
  /** Copy this file… */
  from?: string;
  /** …or write this text. */
  content?: string;
}

export interface ProjectManifest {
  sources: ManifestSource[];
  /** Logical include directories ("." is the source root). */
  includeDirs: string[];
  /** -D NAME=VALUE for tinyml's own sources; the value is C text (a string define carries its own quotes). */
  defines: Record<string, string>;
  /** Files the board keeps on its own filesystem (coralmicro's DATA); none by default. */
  data?: string[];
}

/** The apps firmware/runtime offers; each defines tml_app_main() in its own file. */
export const APP_SOURCES: Readonly<Record<string, string>> = {
  inference: "tml_proto_app.c",
  eembc: "tml_eembc.c",
  /** Streaming keyword spotting: a frontend and a classifier model (wakeword.ts). */
  wakeword: "tml_wakeword_app.c",
};

/** main() for families whose image tinyml links itself. */
const ENTRY = "tml_main.c";
/** The host board's file harness (reads and writes tensor files); the HAL's own files are the rest of hal/host. */
const HOST_HARNESS = "tml_host_main.c";

/** firmware/<sub>/* placed under `to`/ in the project. */
function listDir(sub: string, to: string, group: SourceGroup, filter: (f: string) => boolean): ManifestSource[] {
  const dir = packagePath("firmware", sub);
  return readdirSync(dir)
    .filter(filter)
    .sort()
    .map((f) => ({ dest: `${to}/${f}`, from: `${dir}/${f}`, group }));
}

/** Files a compiler reads: the C and C++ sources and headers. */
const source = /\.(c|cc|cpp|h)$/;

/** firmware/kernels files the other sources need (kernel-selection.ts), as manifest entries. */
function kernelSources(others: readonly ManifestSource[]): ManifestSource[] {
  const texts = others.filter((s) => source.test(s.dest)).map((s) => s.content ?? readFileSync(s.from!, "utf8"));
  const dir = packagePath("firmware", "kernels");
  return selectKernelFiles(texts).map((f) => ({ dest: `kernels/${f}`, from: `${dir}/${f}`, group: "kernels" as const }));
}

export interface FirmwareManifestOptions {
  family: string;
  profile: FamilyProfile;
  runtime: RuntimeKind;
  app: keyof typeof APP_SOURCES | string;
  /** The model's generated files (AOT: model.h/model.c; TFLM: model_data.* and tml_model_tflm.cc). */
  generated: GeneratedFile[];
  /** Generated files the app needs beside the model (the wake-word frontend and labels). */
  extraFiles?: GeneratedFile[];
  defines?: Record<string, string>;
  /** Link firmware/runtime/tflm/tml_tflm_time.cc: TFLM's clock on the board's timer (bare metal). */
  tflmTime?: boolean;
}

export function firmwareManifest(opts: FirmwareManifestOptions): ProjectManifest {
  const appFile = APP_SOURCES[opts.app];
  if (!appFile) throw new Error(`unknown app '${opts.app}' (known: ${Object.keys(APP_SOURCES).join(", ")})`);
  const otherApps = new Set(Object.values(APP_SOURCES).filter((f) => f !== appFile));
  const runtime = listDir("runtime", "runtime", "runtime", (f) => source.test(f) && f !== ENTRY && !otherApps.has(f))
    .map((s) => (s.dest.endsWith(`/${appFile}`) ? { ...s, group: "app" as const } : s));
  const entry = opts.profile.ownsMain ? [{ dest: `runtime/${ENTRY}`, from: packagePath("firmware", "runtime", ENTRY), group: "entry" as const }] : [];
  const hal = [
    { dest: "hal/tml_hal.h", from: packagePath("firmware", "hal", "tml_hal.h"), group: "hal" as const },
    ...listDir(`hal/${opts.family}`, "hal", "hal", (f) => source.test(f))
      .map((s) => (s.dest === `hal/${HOST_HARNESS}` ? { ...s, group: "harness" as const } : s)),
  ];
  const generated = (files: GeneratedFile[] | undefined, group: SourceGroup): ManifestSource[] =>
    (files ?? []).map((g) => ({ dest: g.path, content: g.text, group }));
  const tflmTime = opts.tflmTime ? [{ dest: "runtime/tml_tflm_time.cc", from: packagePath("firmware", "runtime", "tflm", "tml_tflm_time.cc"), group: "model" as const }] : [];
  const own = [...generated(opts.generated, "model"), ...generated(opts.extraFiles, "model"), ...tflmTime];
  const rest = [...runtime, ...entry, ...hal];
  // AOT only (TFLM brings its own): the kernel files the rest of the image calls, and nothing else.
  const kernels = opts.runtime === "aot" ? kernelSources([...own, ...rest]) : [];
  return {
    sources: [...own, ...kernels, ...rest],
    includeDirs: [".", ...(kernels.length > 0 ? ["kernels"] : []), "runtime", "hal"],
    defines: { ...opts.defines },
  };
}
