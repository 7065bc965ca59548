// TensorFlow Lite Micro's library sources in a tree made by TFLM's own
// tensorflow/lite/micro/tools/project_generation/create_tflm_tree.py (the
// microlite sources, third_party headers and kissfft, nothing else). Every
// C/C++ file in such a tree belongs to the library, so the list is a walk,
// not a copy of TFLM's Makefile that would go stale.

import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { TinymlError } from "../errors.js";

export interface TflmLibrary {
  /** Absolute paths of the .cc/.c files to compile. */
  sources: string[];
  includeDirs: string[];
  /** -D flags the library and every source that includes its headers need. */
  defines: string[];
  /** Compile flags of the library's own sources, by language. */
  cflags: string[];
  cxxflags: string[];
}

/** Directories a create_tflm_tree.py tree has that tests or tools would pull in otherwise. */
const SKIP_DIRS = new Set(["examples", "testing", "tools", "benchmarks", "python", "integration_tests", "docs"]);

function walk(dir: string, out: string[]): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) walk(p, out);
    } else if (/\.(cc|c)$/.test(e.name) && !/_test\.cc$/.test(e.name)) {
      out.push(p);
    }
  }
}

export function tflmLibrary(dir: string): TflmLibrary {
  const root = resolve(dir);
  const marker = join(root, "tensorflow/lite/micro/micro_interpreter.h");
  if (!existsSync(marker) || !statSync(marker).isFile()) {
    throw new TinymlError("TML_E_TOOLCHAIN_MISSING", `not a TensorFlow Lite Micro tree: ${dir}`, {
      location: { file: dir, detail: "tensorflow/lite/micro/micro_interpreter.h is missing" },
      hint: "Make one with `python3 tensorflow/lite/micro/tools/project_generation/create_tflm_tree.py OUT` in a tflite-micro checkout and pass --tflm-dir OUT.",
    });
  }
  const sources: string[] = [];
  for (const top of ["tensorflow", "signal", "third_party"]) if (existsSync(join(root, top))) walk(join(root, top), sources);
  sources.sort((a, b) => relative(root, a).localeCompare(relative(root, b)));
  const includeDirs = [root, ...["third_party/flatbuffers/include", "third_party/gemmlowp", "third_party/ruy", "third_party/kissfft"].map((d) => join(root, d))]
    .filter((d) => existsSync(d));
  // TFLM's own Makefile flags for a host build.
  return { sources, includeDirs, defines: ["-DTF_LITE_STATIC_MEMORY", "-DTF_LITE_DISABLE_X86_NEON", "-DTF_LITE_USE_CTIME"], cflags: [], cxxflags: [] };
}
