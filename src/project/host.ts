// The host board's project: the generated model sources, the firmware
// sources it needs (copied, so the directory builds on its own), the host
// harness, and a Makefile rendered from templates/host. What is specific to
// the host is only the compiler job at the end; the next boards reuse the
// generation and copying with their own templates.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { TinymlError } from "../errors.js";
import type { LoadedModel } from "../model/load.js";
import { generateAot } from "../codegen/aot/generate.js";
import type { GeneratedFile } from "../codegen/c-array.js";
import { modelBaseName } from "../codegen/aot/generate.js";
import { generateTflm } from "../codegen/tflm/generate.js";
import { provenanceLine } from "../codegen/provenance.js";
import type { MemoryPlan } from "../codegen/plan/index.js";
import { packagePath } from "../paths.js";
import type { HostCompileJob } from "../toolchain/host-cc.js";
import { renderTemplate } from "./render.js";
import { tflmLibrary } from "./tflm-tree.js";

export type RuntimeChoice = "aot" | "tflm";

export interface HostProjectOptions {
  runtime: RuntimeChoice;
  maxArenaBytes?: number;
  /** A TFLM checkout (needed to compile the tflm runtime). */
  tflmDir?: string;
}

export interface HostProject {
  files: GeneratedFile[];
  /** Files copied from the package's firmware/ tree: project path → source path. */
  copies: Array<{ path: string; from: string }>;
  plan: MemoryPlan;
  arenaBytes: number;
  /** null when the project cannot be compiled here (tflm without --tflm-dir). */
  job: Omit<HostCompileJob, "dir" | "cc" | "cxx"> | null;
}

export const HOST_EXECUTABLE = "model";

const WARNINGS = ["-Wall", "-Wextra", "-pedantic"];

function firmwareCopies(sub: string, to: string, filter: (f: string) => boolean): Array<{ path: string; from: string }> {
  const dir = packagePath("firmware", sub);
  return readdirSync(dir)
    .filter(filter)
    .sort()
    .map((f) => ({ path: `${to}/${f}`, from: join(dir, f) }));
}

export function generateHostProject(loaded: LoadedModel, opts: HostProjectOptions): HostProject {
  const runtimeCopies = [
    { path: "runtime/tml_model.h", from: packagePath("firmware", "runtime", "tml_model.h") },
    { path: "hal/host/tml_host_main.c", from: packagePath("firmware", "hal", "host", "tml_host_main.c") },
  ];
  const prov = provenanceLine({ modelPath: loaded.path, sha256: loaded.sha256 });
  let files: GeneratedFile[];
  let copies: Array<{ path: string; from: string }>;
  let plan: MemoryPlan;
  let arenaBytes: number;
  let job: HostProject["job"];
  if (opts.runtime === "aot") {
    const r = generateAot(loaded, { maxArenaBytes: opts.maxArenaBytes });
    copies = [...firmwareCopies("kernels", "kernels", (f) => /\.[ch]$/.test(f)), ...runtimeCopies];
    files = r.files;
    plan = r.plan;
    arenaBytes = r.plan.arenaBytes;
    job = {
      cSources: ["model.c", ...copies.filter((c) => c.path.endsWith(".c")).map((c) => c.path)],
      cxxSources: [],
      includeDirs: [".", "kernels", "runtime"],
      // -ffp-contract=off: no fused multiply-add, so float kernels round each
      // step as TFLM and the reference do, on any host architecture.
      cflags: ["-std=c99", "-O2", "-ffp-contract=off", ...WARNINGS, "-ffunction-sections", "-fdata-sections"],
      cxxflags: [],
      ldflags: ["-Wl,--gc-sections", "-lm"],
      output: HOST_EXECUTABLE,
    };
  } else {
    const r = generateTflm(loaded, {
      name: modelBaseName(loaded.path),
      tfliteBytes: loaded.format === "tflite" ? new Uint8Array(readFileSync(loaded.path)) : undefined,
      maxArenaBytes: opts.maxArenaBytes,
    });
    copies = runtimeCopies;
    files = r.files;
    plan = r.plan;
    arenaBytes = r.arenaBytes;
    const lib = opts.tflmDir ? tflmLibrary(opts.tflmDir) : null;
    job = lib && {
      cSources: ["model_data.c", "hal/host/tml_host_main.c"],
      cxxSources: ["tml_model_tflm.cc", ...lib.sources],
      includeDirs: [".", "runtime", ...lib.includeDirs],
      cflags: ["-std=c99", "-O2", ...WARNINGS],
      cxxflags: ["-std=c++17", "-O2", "-fno-exceptions", "-fno-rtti", ...lib.defines],
      ldflags: ["-lm"],
      output: HOST_EXECUTABLE,
    };
  }
  const makefile = renderTemplate("host", "Makefile", {
    provenance: prov,
    output: HOST_EXECUTABLE,
    linker: job && job.cxxSources.length > 0 ? "CXX" : "CC",
    cSources: job?.cSources ?? [],
    cxxSources: job?.cxxSources ?? [],
    includeDirs: job?.includeDirs ?? [],
    cflags: job?.cflags ?? [],
    cxxflags: job?.cxxflags ?? [],
    ldflags: job?.ldflags ?? [],
  });
  return { files: [...files, { path: "Makefile", text: makefile }], copies, plan, arenaBytes, job };
}

export function tflmDirRequired(dir: string): TinymlError {
  return new TinymlError("TML_E_TOOLCHAIN_MISSING", "the tflm runtime needs TensorFlow Lite Micro's sources to compile", {
    location: { file: dir },
    hint: "Pass --tflm-dir PATH, a tree made by TFLM's create_tflm_tree.py, or use --runtime aot. The generated sources are already in the build directory.",
  });
}

