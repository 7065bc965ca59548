// Ops run in place: the AOT plan puts an op's output over its dying input
// where the kernel's read/write order allows (codegen/aot/overlap-rules.ts).
// A rule that is too generous overwrites input bytes before they are read.
// So every op with a rule, in seeded single-op cases (every conv and
// depthwise variant, pools, elementwise ops) and in the shipped models, runs
// through the emitters' own C twice: output apart, then output at the
// rule's bound over the same input bytes. Both must agree byte for byte on
// the host under ASan/UBSan (portable kernels) and on qemu-m4 and qemu-m7
// (DSP kernels: depthwise blocks in bands of rows, widened conv groups).
import { execa } from "execa";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadBoard } from "../../src/boards/load.js";
import { aotPlanOptions } from "../../src/codegen/aot/plan-options.js";
import { depthwiseBandRows, rasterMaxShift } from "../../src/codegen/aot/overlap-rules.js";
import { planArena } from "../../src/codegen/plan/index.js";
import { launchQemu } from "../../src/device/qemu.js";
import { mainGraph } from "../../src/model/graph.js";
import type { Model } from "../../src/model/ir.js";
import { opTypeName } from "../../src/model/ir.js";
import { loadModel } from "../../src/model/load.js";
import { requireTool } from "../cli.js";
import { GuestSerial } from "../baremetal/guest-serial.js";
import { baremetalHal, buildImage, haveQemu, kernelSources, kernelsDir, scratch } from "../baremetal/images.js";
import { modelPath } from "../fixtures.js";
import { mergeCases } from "./aot-ops/builder.js";
import { inPlaceHarness, type Harness } from "./in-place/harness.js";
import { inPlaceCases } from "./in-place/cases.js";

const SEED = 20261202;

describe("in-place rules", () => {
  it("a 1x1 conv may start its output 18,464 bytes below its input (48x48, 8 -> 16 channels)", () => {
    // By hand: pixel q writes up to (q+1)*16 and pixels from q-3 on read from (q-3)*8;
    // the gap is smallest at the last pixel, 2303: 2300*8 - 2304*16 = -18,464.
    const w = { batches: 1, inputH: 48, inputW: 48, inputC: 8, outputH: 48, outputW: 48, outputC: 16, filterH: 1, filterW: 1, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, padH: 0, padW: 0 };
    expect(rasterMaxShift(w)).toBe(-18_464);
  });

  it("a 3x3 same-size depthwise in bands of one row may start its output two rows and a pixel below its input", () => {
    // Band k (row k) writes up to the end of row k and bands from k on read from row k-1's start.
    const w = { batches: 1, inputH: 48, inputW: 48, inputC: 16, outputH: 48, outputW: 48, outputC: 16, filterH: 3, filterW: 3, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, padH: 1, padW: 1 };
    expect(depthwiseBandRows(48)).toBe(1);
    expect(rasterMaxShift(w, 48)).toBe(-(2 * 48 * 16 + 16));
  });

  it("puts person_detect's convolutions in place: its arena is the lower bound, 37,376 B (55,664 B apart)", async () => {
    const g = mainGraph((await loadModel(modelPath("person_detect"))).model);
    const plan = planArena(g, aotPlanOptions(g));
    const types = new Set(plan.inPlace.map((p) => opTypeName(g.ops[p.opIndex]!)));
    expect([...types].sort()).toEqual(["CONV_2D", "DEPTHWISE_CONV_2D"]);
    expect(plan.arenaBytes).toBe(plan.lowerBoundBytes);
    expect(plan.arenaBytes).toBe(37_376);
    // TFLM's planner never overlaps live tensors: the plan without rules is the old one.
    expect(planArena(g, { scratchBytes: aotPlanOptions(g).scratchBytes }).arenaBytes).toBe(55_664);
  });
});

describe("each op run in place equals the same op run apart", () => {
  const harnesses: Array<{ name: string; harness: Harness }> = [];

  beforeAll(async () => {
    harnesses.push({ name: "single-op cases", harness: inPlaceHarness(mergeCases(inPlaceCases(SEED)).model) });
    for (const m of ["person_detect", "micro_speech_quantized"] as const) {
      harnesses.push({ name: m, harness: inPlaceHarness((await loadModel(modelPath(m))).model as Model) });
    }
  });

  it("covers every op with a rule: each conv variant, depthwise blocks in bands, pools, elementwise", () => {
    const types = new Set(harnesses.flatMap((h) => h.harness.cases.map((c) => c.type)));
    for (const t of ["CONV_2D", "DEPTHWISE_CONV_2D", "AVERAGE_POOL_2D", "MAX_POOL_2D", "ADD", "SUB", "MUL", "RELU", "LOGISTIC"]) expect(types, t).toContain(t);
    const banded = harnesses.flatMap((h) => h.harness.source.match(/tml_depthwise_conv2d_s8_(?:rows|run_blocks)\(&\w+, [1-9]\d*,/g) ?? []);
    expect(banded.length).toBeGreaterThanOrEqual(10);
  });

  it("on the host (gcc, ASan and UBSan)", async (ctx) => {
    if (!(await requireTool("cc", "apt-get install gcc"))) return ctx.skip();
    for (const { name, harness } of harnesses) {
      const dir = scratch("in-place-host");
      const src = join(dir, "harness.c");
      writeFileSync(src, harness.source);
      const exe = join(dir, "harness");
      await execa("cc", ["-std=c99", "-O1", "-g", "-fsanitize=address,undefined", "-fno-sanitize-recover=all", `-I${kernelsDir}`, src, ...kernelSources(), "-lm", "-o", exe]);
      const r = await execa(exe, [], { reject: false });
      expect(r.stdout, name).toContain(`in-place: ${harness.cases.length} ops, 0 differ`);
      expect(r.exitCode, `${name}: ${r.stderr}`).toBe(0);
    }
  });

  for (const boardId of ["qemu-m4", "qemu-m7"]) {
    it(`on ${boardId} (the DSP kernels)`, async (ctx) => {
      if (!(await haveQemu())) return ctx.skip();
      const board = loadBoard(boardId);
      const hal = baremetalHal();
      for (const { name, harness } of harnesses) {
        const dir = scratch(`in-place-${boardId}`);
        const src = join(dir, "harness.c");
        writeFileSync(src, harness.source);
        const image = await buildImage(board, join(dir, "out"), [...hal.sources, src, ...kernelSources()], [...hal.includeDirs, kernelsDir],
          ["-Wall", "-DTML_HARNESS_HAL"]);
        const session = await launchQemu({ board, elf: image.elf, icount: true, timeoutMs: 300_000 });
        const serial = await GuestSerial.open(session.ptyPath);
        try {
          await session.resume();
          await serial.write("!");
          const line = await serial.waitForText(/in-place: (\d+) ops, (\d+) differ\n/, 240_000);
          expect([line[1], line[2]], `${name}: ${serial.text}`).toEqual([String(harness.cases.length), "0"]);
          expect((await session.exit).code).toBe(0);
        } finally {
          session.kill();
          await serial.close();
        }
      }
    });
  }
});
