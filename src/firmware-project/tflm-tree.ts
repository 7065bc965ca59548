// TensorFlow Lite Micro's library sources from a tree made by TFLM's own
// tensorflow/lite/micro/tools/project_generation/create_tflm_tree.py, and the
// flags TFLM's Makefile (tensorflow/lite/micro/tools/make/Makefile at
// 90b983c) compiles them with in its release build, so a tree compiled by
// tinyml runs exactly as TFLM's own build does:
//   BUILD_TYPE=release      -DNDEBUG -DTF_LITE_STRIP_ERROR_STRINGS
//   always                  -DTF_LITE_STATIC_MEMORY -DTF_LITE_DISABLE_X86_NEON -DKERNELS_OPTIMIZED_FOR_SPEED
//   host (no TARGET)        -DTF_LITE_USE_CTIME
//   TARGET=cortex_m_generic -DTF_LITE_MCU_DEBUG_LOG -DCPU_<CORE>=1 -DARMC<CORE>
//                           -DCMSIS_DEVICE_ARM_CORTEX_M_XX_HEADER_FILE="ARMC<CORE>.h" -funsigned-char
//                           -fomit-frame-pointer (targets/cortex_m_generic_makefile.inc)
//   OPTIMIZED_KERNEL_DIR=cmsis_nn  -DCMSIS_NN -DARM_NN_ENABLE_F16=0 -DARM_NN_ENABLE_F32=0 and the
//                           cmsis, cmsis_nn, CMSIS/Core/Include, cmsis_nn/Include dirs (ext_libs/cmsis_nn.inc)
//   optimisation            core -Os, kernels (micro/kernels, signal/micro/kernels) and third-party
//                           kernels (CMSIS-NN) -O2
// Every C/C++ file of such a tree belongs to the library, so the source list
// is a walk of the tree, not a copy of TFLM's Makefile that would go stale.
// What tinyml replaces on a board it links itself: micro_time.cc (TFLM's
// default reads clock(), cortex_m_generic's the DWT counter through a device
// header no tree carries, and QEMU has no DWT) by tml_tflm_time.cc on the
// board's HAL timer.

import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import type { Board } from "../boards/board.js";
import { TinymlError } from "../errors.js";
import type { CompileUnit } from "../toolchain/native.js";

export type TflmKernels = "reference" | "cmsis-nn";

export interface TflmTree {
  root: string;
  kernels: TflmKernels;
  /** The tree was generated for TFLM's cortex_m_generic target. */
  cortexM: boolean;
  /** sha256 over the tree's sources: which TFLM this is, when it has no git history. */
  digest: string;
  /** The tflite-micro commit, when the tree records one (a TFLM_COMMIT file or a git checkout around it). */
  commit?: string;
  /** Absolute paths, by how TFLM's Makefile optimises them. */
  sources: { core: string[]; kernels: string[] };
  /** The tree's MicroMutableOpResolver methods (AddConv2D, …). */
  resolverMethods: ReadonlySet<string>;
  /** The signal library's kernel registrations the tree defines (Register_RFFT, …). */
  signalRegistrations: ReadonlySet<string>;
}

/** Directories a create_tflm_tree.py tree may have that tests or tools would pull in otherwise. */
const SKIP_DIRS = new Set(["examples", "testing", "tools", "benchmarks", "python", "integration_tests", "docs"]);

/** What the generated tml_model_tflm.cc includes and links: a tree without these is not one tinyml can build. */
const REQUIRED_FILES = [
  "tensorflow/lite/micro/micro_interpreter.h",
  "tensorflow/lite/micro/micro_mutable_op_resolver.h",
  "tensorflow/lite/micro/micro_profiler_interface.h",
  "tensorflow/lite/micro/micro_time.h",
  "tensorflow/lite/schema/schema_generated.h",
  "tensorflow/lite/micro/micro_interpreter.cc",
  "tensorflow/lite/micro/micro_allocator.cc",
] as const;

/** Third-party headers TFLM's own sources include. */
const THIRD_PARTY_INCLUDES = ["third_party/flatbuffers/include", "third_party/gemmlowp", "third_party/ruy", "third_party/kissfft"] as const;
const CMSIS_NN_INCLUDES = ["third_party/cmsis", "third_party/cmsis_nn", "third_party/cmsis/CMSIS/Core/Include", "third_party/cmsis_nn/Include"] as const;

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

function treeError(dir: string, message: string, detail: string, hint: string): TinymlError {
  return new TinymlError("TML_E_TOOLCHAIN_MISSING", message, { location: { file: dir, detail }, hint });
}

const MAKE_A_TREE =
  "Make a tree in a tflite-micro checkout: `python3 tensorflow/lite/micro/tools/project_generation/create_tflm_tree.py OUT` " +
  "(add --makefile_options=\"TARGET=cortex_m_generic OPTIMIZED_KERNEL_DIR=cmsis_nn TARGET_ARCH=cortex-m4+fp\" for CMSIS-NN), then pass --tflm-dir OUT.";

function commitOf(root: string): string | undefined {
  const file = join(root, "TFLM_COMMIT");
  if (existsSync(file)) return readFileSync(file, "utf8").trim() || undefined;
  for (let d = root, i = 0; i < 4; i++, d = resolve(d, "..")) {
    const head = join(d, ".git", "HEAD");
    if (!existsSync(head)) continue;
    const ref = readFileSync(head, "utf8").trim();
    if (/^[0-9a-f]{40}$/.test(ref)) return ref;
    const m = /^ref: (.+)$/.exec(ref);
    const refFile = m ? join(d, ".git", m[1]!) : "";
    if (m && existsSync(refFile)) return readFileSync(refFile, "utf8").trim();
  }
  return undefined;
}

/** Reads and checks a create_tflm_tree.py tree; every problem is an error that says what is missing and how to make one. */
export function readTflmTree(dir: string): TflmTree {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw treeError(dir, `--tflm-dir ${dir} is not a directory`, "--tflm-dir", MAKE_A_TREE);
  }
  if (existsSync(join(root, "tensorflow/lite/micro/tools/make/Makefile")) && existsSync(join(root, "tensorflow/lite/micro/tools/project_generation/create_tflm_tree.py"))) {
    throw treeError(dir, `${dir} is a tflite-micro checkout, not a TFLM tree made from one`, "tensorflow/lite/micro/tools/make/Makefile",
      `A checkout's sources need TFLM's Makefile and its downloads. ${MAKE_A_TREE}`);
  }
  if (!existsSync(join(root, "tensorflow/lite/micro"))) {
    throw treeError(dir, `not a TensorFlow Lite Micro tree: ${dir}`, "tensorflow/lite/micro/ is missing", MAKE_A_TREE);
  }
  const missing = [...REQUIRED_FILES, ...THIRD_PARTY_INCLUDES].filter((f) => !existsSync(join(root, f)));
  if (missing.length > 0) {
    throw treeError(dir, `the TFLM tree ${dir} is incomplete or from a TFLM version with another layout: ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} missing`,
      "expected the layout of tflite-micro's create_tflm_tree.py (2024 or later)", MAKE_A_TREE);
  }
  const cmsis = existsSync(join(root, "tensorflow/lite/micro/kernels/cmsis_nn"));
  if (cmsis) {
    const absent = CMSIS_NN_INCLUDES.filter((f) => !existsSync(join(root, f)));
    if (absent.length > 0) {
      throw treeError(dir, `the TFLM tree ${dir} has CMSIS-NN kernels but not CMSIS-NN itself: ${absent.join(", ")} missing`, "third_party/", MAKE_A_TREE);
    }
  }
  const all: string[] = [];
  for (const top of ["tensorflow", "signal", "third_party"]) if (existsSync(join(root, top))) walk(join(root, top), all);
  const rel = (p: string): string => relative(root, p).split("\\").join("/");
  all.sort((a, b) => rel(a).localeCompare(rel(b)));
  const isKernel = (r: string): boolean => r.startsWith("tensorflow/lite/micro/kernels/") || r.startsWith("signal/micro/kernels/") || r.startsWith("third_party/cmsis_nn/");
  const digest = createHash("sha256");
  for (const f of all) digest.update(rel(f)).update("\0").update(readFileSync(f)).update("\0");
  const resolver = readFileSync(join(root, "tensorflow/lite/micro/micro_mutable_op_resolver.h"), "utf8");
  const resolverMethods = new Set([...resolver.matchAll(/TfLiteStatus (Add[A-Z][A-Za-z0-9]*)\(/g)].map((m) => m[1]!));
  const signalRegistrations = new Set(all.filter((f) => rel(f).startsWith("signal/micro/kernels/"))
    .flatMap((f) => [...readFileSync(f, "utf8").matchAll(/TFLMRegistration\*?\s*(Register_[A-Z0-9_]+)\s*\(\s*\)\s*\{/g)].map((m) => m[1]!)));
  const commit = commitOf(root);
  return {
    root, kernels: cmsis ? "cmsis-nn" : "reference", cortexM: existsSync(join(root, "tensorflow/lite/micro/cortex_m_generic")),
    digest: digest.digest("hex"), ...(commit ? { commit } : {}),
    sources: { core: all.filter((f) => !isKernel(rel(f))), kernels: all.filter((f) => isKernel(rel(f))) },
    resolverMethods, signalRegistrations,
  };
}

/** How a tree is compiled for one board: its units and the flags a source that includes TFLM's headers needs. */
export interface TflmLibrary {
  tree: TflmTree;
  units: CompileUnit[];
  /** -I and -D for tinyml's own sources that include TFLM's headers (tml_model_tflm.cc, tml_tflm_time.cc). */
  headerFlags: string[];
  /** What INFO says the firmware runs, e.g. "tflm cmsis-nn 90b983c2b3f1". */
  runtimeName: string;
  /** tinyml replaced the tree's micro_time.cc with tml_tflm_time.cc (the board's HAL timer). */
  ownTime: boolean;
}

/** "cortex-m4" → "M4", the CORE of TFLM's cortex_m_generic target. */
function cortexCore(board: Board): string | undefined {
  const m = /^cortex-(m\d+(?:plus)?)/i.exec(board.cpu.core);
  return m ? m[1]!.toUpperCase().replace("PLUS", "plus") : undefined;
}

export function tflmLibrary(tree: TflmTree, board: Board): TflmLibrary {
  const core = board.cpu.arch === "arm" ? cortexCore(board) : undefined;
  const defines = [
    "TF_LITE_STATIC_MEMORY", "TF_LITE_DISABLE_X86_NEON", "KERNELS_OPTIMIZED_FOR_SPEED",
    // TFLM's release build: its reference kernels keep per-element DCHECKs otherwise (5-30x slower).
    "NDEBUG", "TF_LITE_STRIP_ERROR_STRINGS",
    ...(core ? ["TF_LITE_MCU_DEBUG_LOG", `CPU_${core}=1`, `ARMC${core}`, `CMSIS_DEVICE_ARM_CORTEX_M_XX_HEADER_FILE="ARMC${core}.h"`] : ["TF_LITE_USE_CTIME"]),
    ...(tree.kernels === "cmsis-nn" ? ["CMSIS_NN", "ARM_NN_ENABLE_F16=0", "ARM_NN_ENABLE_F32=0"] : []),
  ].map((d) => `-D${d}`);
  const includes = [tree.root, ...THIRD_PARTY_INCLUDES.map((d) => join(tree.root, d)), ...(tree.kernels === "cmsis-nn" ? CMSIS_NN_INCLUDES.map((d) => join(tree.root, d)) : [])]
    .map((d) => `-I${d}`);
  const codegen = core ? ["-funsigned-char", "-fomit-frame-pointer", "-fno-unwind-tables", "-fno-asynchronous-unwind-tables", "-fmessage-length=0"] : [];
  // Bare metal: the board's timer instead of clock() or the DWT counter.
  const ownTime = core !== undefined;
  const replaced = (f: string): boolean => ownTime && /\/micro_time\.cc$/.test(f) && /tensorflow\/lite\/micro\/(cortex_m_generic\/)?micro_time\.cc$/.test(f.split("\\").join("/"));
  const unit = (source: string, opt: string): CompileUnit => ({
    source, lang: source.endsWith(".c") ? "c" : "cxx", flags: [opt, ...codegen, ...defines, ...includes, ...(source.endsWith(".c") ? ["-std=c17"] : [])],
  });
  const units = [
    ...tree.sources.core.filter((f) => !replaced(f)).map((f) => unit(f, "-Os")),
    ...tree.sources.kernels.map((f) => unit(f, "-O2")),
  ];
  const id = tree.commit ? tree.commit.slice(0, 12) : `tree-${tree.digest.slice(0, 12)}`;
  return { tree, units, headerFlags: [...codegen, ...defines, ...includes], runtimeName: `tflm ${tree.kernels} ${id}`, ownTime };
}

/** The tree must have a kernel for every op of the model; the ones it lacks are named at once. */
export function checkTreeOps(tree: TflmTree, requires: ReadonlyArray<{ op: string; method?: string; registration?: string }>, modelPath: string): void {
  const missing = requires
    .filter((r) => (r.method !== undefined && !tree.resolverMethods.has(r.method)) || (r.registration !== undefined && !tree.signalRegistrations.has(r.registration)))
    .map((r) => r.op);
  if (missing.length === 0) return;
  throw new TinymlError("TML_E_OP_UNSUPPORTED", `the TFLM tree ${tree.root} has no kernel for ${missing.join(", ")}, which ${modelPath} uses`, {
    location: { file: join(tree.root, "tensorflow/lite/micro/micro_mutable_op_resolver.h") },
    hint: "Use a tree from a newer tflite-micro (create_tflm_tree.py), or --runtime aot.",
  });
}
