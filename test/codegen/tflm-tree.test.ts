// A TFLM tree is read for what it is and compiled with exactly the flags
// TFLM's own Makefile uses for the target in its release build. CI has no
// real tree (TFLM comes from no registry), so the test writes trees with the
// layout create_tflm_tree.py makes — reference and CMSIS-NN — and checks the
// commands `tinyml build --dry-run` prints for them, and every refusal.
// `npm run verify:tflm -- --tflm-dir TREE` runs the real trees on the boards.
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { readTflmTree } from "../../src/firmware-project/tflm-tree.js";
import type { FirmwareResult } from "../../src/firmware-project/request.js";
import { requireTool, tinyml } from "../cli.js";
import { whichTool } from "../../src/toolchain/probe.js";
import { modelPath } from "../fixtures.js";

/** Ops the trees' resolver registers: hello_world_int8 needs only FULLY_CONNECTED. */
const RESOLVER_METHODS = ["AddFullyConnected", "AddConv2D", "AddReshape", "AddSoftmax"];

function file(root: string, path: string, text = "// stand-in for the test\n"): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

/** A tree with create_tflm_tree.py's layout; `cmsis` adds the CMSIS-NN kernels and library, `cortexM` the target's files. */
function makeTree(opts: { cmsis?: boolean; cortexM?: boolean; drop?: string[] } = {}): string {
  const root = mkdtempSync(join(tmpdir(), "tinyml-tflm-tree-"));
  const files = [
    "tensorflow/lite/micro/micro_interpreter.h", "tensorflow/lite/micro/micro_profiler_interface.h", "tensorflow/lite/micro/micro_time.h",
    "tensorflow/lite/schema/schema_generated.h", "tensorflow/lite/micro/micro_interpreter.cc", "tensorflow/lite/micro/micro_allocator.cc",
    "tensorflow/lite/micro/micro_time.cc", "tensorflow/lite/kernels/kernel_util.cc", "tensorflow/lite/micro/kernels/fully_connected.cc",
    "signal/micro/kernels/window.cc", "third_party/flatbuffers/include/flatbuffers/flatbuffers.h", "third_party/gemmlowp/fixedpoint/fixedpoint.h",
    "third_party/ruy/ruy/profiler/instrumentation.h", "third_party/kissfft/kiss_fft.c", "tensorflow/lite/micro/testing/micro_test.h",
  ];
  if (opts.cmsis) files.push("tensorflow/lite/micro/kernels/cmsis_nn/conv.cc", "third_party/cmsis_nn/Source/ConvolutionFunctions/arm_convolve_s8.c", "third_party/cmsis_nn/Include/arm_nnfunctions.h", "third_party/cmsis/CMSIS/Core/Include/cmsis_compiler.h");
  if (opts.cortexM) files.push("tensorflow/lite/micro/cortex_m_generic/micro_time.cc", "tensorflow/lite/micro/cortex_m_generic/debug_log.cc");
  for (const f of files.filter((x) => !(opts.drop ?? []).includes(x))) file(root, f);
  file(root, "tensorflow/lite/micro/micro_mutable_op_resolver.h", RESOLVER_METHODS.map((m) => `  TfLiteStatus ${m}(const TFLMRegistration& registration) {}\n`).join(""));
  return root;
}

interface DryRun extends FirmwareResult {}

async function dryRun(board: string, tree: string, model = modelPath("hello_world_int8")): Promise<{ exitCode: number; json?: DryRun; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), "tinyml-tflm-dry-"));
  const r = await tinyml(["build", "--board", board, "--runtime", "tflm", "--tflm-dir", tree, "--dry-run", model, "-o", join(dir, "b"), "--json"]);
  return { exitCode: r.exitCode, stderr: r.stderr, ...(r.exitCode === 0 ? { json: JSON.parse(r.stdout) as DryRun } : {}) };
}

const commandFor = (commands: string[], source: string): string => {
  const c = commands.find((x) => x.includes(` -c ${source} `));
  if (!c) throw new Error(`no compile of ${source} in:\n${commands.join("\n")}`);
  return c;
};

describe("reading a TFLM tree", () => {
  it("tells reference kernels from CMSIS-NN and a cortex_m_generic tree, and skips test sources", () => {
    const ref = readTflmTree(makeTree());
    expect([ref.kernels, ref.cortexM]).toEqual(["reference", false]);
    expect(ref.sources.kernels.some((f) => f.endsWith("micro/kernels/fully_connected.cc"))).toBe(true);
    expect(ref.sources.core.some((f) => f.includes("/testing/"))).toBe(false);
    expect([...ref.resolverMethods].sort()).toEqual([...RESOLVER_METHODS].sort());
    const cmsis = readTflmTree(makeTree({ cmsis: true, cortexM: true }));
    expect([cmsis.kernels, cmsis.cortexM]).toEqual(["cmsis-nn", true]);
    expect(cmsis.sources.kernels.some((f) => f.endsWith("arm_convolve_s8.c"))).toBe(true);
    expect(cmsis.digest).not.toBe(ref.digest);
  });
});

describe("TFLM's release flags, per board", () => {
  it("qemu-m4 with a CMSIS-NN tree: TFLM's cortex_m_generic and cmsis_nn flags, -Os core, -O2 kernels, the HAL's clock", async () => {
    const tree = makeTree({ cmsis: true, cortexM: true });
    const r = await dryRun("qemu-m4", tree);
    expect(r.exitCode, r.stderr).toBe(0);
    const cmds = r.json!.commands;
    const core = commandFor(cmds, join(tree, "tensorflow/lite/micro/micro_interpreter.cc"));
    const kernel = commandFor(cmds, join(tree, "tensorflow/lite/micro/kernels/cmsis_nn/conv.cc"));
    const cmsisC = commandFor(cmds, join(tree, "third_party/cmsis_nn/Source/ConvolutionFunctions/arm_convolve_s8.c"));
    for (const c of [core, kernel, cmsisC]) {
      for (const flag of ["-DTF_LITE_STATIC_MEMORY", "-DTF_LITE_DISABLE_X86_NEON", "-DNDEBUG", "-DTF_LITE_STRIP_ERROR_STRINGS", "-DKERNELS_OPTIMIZED_FOR_SPEED",
        "-DTF_LITE_MCU_DEBUG_LOG", "-DCPU_M4=1", "-DARMCM4", "-DCMSIS_NN", "-DARM_NN_ENABLE_F16=0", "-DARM_NN_ENABLE_F32=0", "-funsigned-char", "-mcpu=cortex-m4"]) {
        expect(c.split(" "), flag).toContain(flag);
      }
      for (const dir of ["third_party/cmsis", "third_party/cmsis_nn", "third_party/cmsis/CMSIS/Core/Include", "third_party/cmsis_nn/Include", "third_party/flatbuffers/include"]) {
        expect(c).toContain(`-I${join(tree, dir)}`);
      }
      // The library knows nothing of the model: its objects are one per tree and board.
      expect(c).not.toMatch(/TML_APP_INPUT_STAGE_BYTES|TML_BOARD_ID/);
    }
    expect(core.split(" ").filter((f) => /^-O/.test(f)).at(-1)).toBe("-Os");
    expect(kernel.split(" ").filter((f) => /^-O/.test(f)).at(-1)).toBe("-O2");
    expect(cmsisC.split(" ").filter((f) => /^-O/.test(f)).at(-1)).toBe("-O2");
    expect(cmsisC.split(" ")).toContain("-std=c17");
    // micro_time.cc (clock() or the DWT counter) gives way to the board's HAL timer.
    expect(cmds.some((c) => c.includes("micro_time.cc"))).toBe(false);
    expect(cmds.some((c) => / -c runtime\/tml_tflm_time\.cc /.test(c))).toBe(true);
    // C++ that needs no __dso_handle under -nostartfiles.
    expect(commandFor(cmds, "tml_model_tflm.cc").split(" ")).toContain("-fno-use-cxa-atexit");
  });

  it("the host with a reference tree: TFLM's host defines, its own micro_time", async () => {
    const tree = makeTree();
    const r = await dryRun("host", tree);
    expect(r.exitCode, r.stderr).toBe(0);
    const core = commandFor(r.json!.commands, join(tree, "tensorflow/lite/micro/micro_interpreter.cc")).split(" ");
    expect(core).toEqual(expect.arrayContaining(["-DTF_LITE_USE_CTIME", "-DNDEBUG", "-DTF_LITE_STRIP_ERROR_STRINGS", "-DTF_LITE_STATIC_MEMORY"]));
    expect(core).not.toContain("-DCMSIS_NN");
    expect(core).not.toContain("-DTF_LITE_MCU_DEBUG_LOG");
    expect(r.json!.commands.some((c) => c.includes(" -c " + join(tree, "tensorflow/lite/micro/micro_time.cc")))).toBe(true);
  });
});

describe("trees tinyml refuses, each with what to do", () => {
  it("a tflite-micro checkout instead of a generated tree", async () => {
    const tree = makeTree();
    file(tree, "tensorflow/lite/micro/tools/make/Makefile");
    file(tree, "tensorflow/lite/micro/tools/project_generation/create_tflm_tree.py");
    const r = await dryRun("qemu-m4", tree);
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toMatch(/is a tflite-micro checkout, not a TFLM tree made from one/);
    expect(r.stderr).toMatch(/create_tflm_tree\.py OUT/);
  });

  it("an incomplete tree, or one of another TFLM layout, names what is missing", async () => {
    const r = await dryRun("qemu-m4", makeTree({ drop: ["tensorflow/lite/micro/micro_time.h", "third_party/ruy/ruy/profiler/instrumentation.h"] }));
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toMatch(/incomplete or from a TFLM version with another layout: tensorflow\/lite\/micro\/micro_time\.h, third_party\/ruy are missing/);
  });

  it("a tree without a kernel the model needs names the ops", async () => {
    const r = await dryRun("qemu-m4", makeTree(), modelPath("person_detect"));
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/error\[TML_E_OP_UNSUPPORTED\]: the TFLM tree .* has no kernel for DEPTHWISE_CONV_2D, AVERAGE_POOL_2D/);
  });

  it("CMSIS-NN kernels without the CMSIS-NN library", async () => {
    const tree = makeTree();
    file(tree, "tensorflow/lite/micro/kernels/cmsis_nn/conv.cc");
    const r = await dryRun("qemu-m4", tree);
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toMatch(/has CMSIS-NN kernels but not CMSIS-NN itself: third_party\/cmsis, third_party\/cmsis_nn/);
  });

  it("--tflm-dir that is not a directory", async () => {
    const r = await dryRun("qemu-m4", join(tmpdir(), "no-such-tflm-tree"));
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toMatch(/--tflm-dir .* is not a directory/);
  });

  it("arm-none-eabi-g++ without its C++ library: the package to install, before anything compiles", async (ctx) => {
    if (!(await requireTool("arm-none-eabi-g++", "apt-get install gcc-arm-none-eabi libstdc++-arm-none-eabi-newlib"))) return ctx.skip();
    // The real driver without libstdc++'s headers, as on a machine without libstdc++-arm-none-eabi-newlib.
    const bin = mkdtempSync(join(tmpdir(), "tinyml-no-libstdcxx-"));
    writeFileSync(join(bin, "arm-none-eabi-g++"), `#!/bin/sh\nexec ${whichTool("arm-none-eabi-g++")} -nostdinc++ "$@"\n`);
    chmodSync(join(bin, "arm-none-eabi-g++"), 0o755);
    const dir = mkdtempSync(join(tmpdir(), "tinyml-tflm-nocxx-"));
    const r = await tinyml(["build", "--board", "qemu-m4", "--runtime", "tflm", "--tflm-dir", makeTree({ cortexM: true }), modelPath("hello_world_int8"), "-o", join(dir, "b")],
      { env: { PATH: `${bin}${delimiter}${process.env.PATH}` } });
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toMatch(/^error\[TML_E_TOOLCHAIN_MISSING\]: the Arm bare-metal compiler's C\+\+ standard library is not installed/m);
    expect(r.stderr).toContain("hint: Install it: apt-get install libstdc++-arm-none-eabi-newlib.");
    expect(r.stderr).not.toMatch(/compiling for/);
  });
});
