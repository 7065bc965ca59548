// The AOT emitters of the coverage ops beyond the golden models: their C
// compiles with the strict flags on both compilers, MEAN's scratch buffer is
// planned in the arena, and the two conventions settled with TFLM (MEAN's
// unfolded multiplier, int8 DIV's undefined shift) hold in the reference.
import { describe, expect, it } from "vitest";
import { generateAot } from "../../src/codegen/aot/generate.js";
import { isTinymlError } from "../../src/errors.js";
import { quantizeMultiplier } from "../../src/fixedpoint/multiplier.js";
import { mainGraph } from "../../src/model/graph.js";
import type { Model } from "../../src/model/ir.js";
import { loadModel, type LoadedModel } from "../../src/model/load.js";
import { prepareReference } from "../../src/reference/interpreter.js";
import type { MeanParams } from "../../src/reference/kernels/mean.js";
import { requireTool } from "../cli.js";
import { GraphBuilder, mergeCases, quant } from "../e2e/aot-ops/builder.js";
import { coverageCases } from "../e2e/aot-ops/coverage.js";
import { fixturesDir, modelPath } from "../fixtures.js";
import { CORTEX_M4, compileStrict, writeFiles } from "./helpers.js";

function loaded(model: Model, path = "synthetic.tflite"): LoadedModel {
  return { format: "tflite", path, sha256: "0".repeat(64), model };
}

function single(b: GraphBuilder): Model {
  return { version: 3, description: "", graphs: [b.graph()], metadata: [], signatures: [] };
}

function meanModel(): Model {
  const b = new GraphBuilder();
  const x = b.input("int8", [1, 4, 5, 3], { lo: -128, hi: 127 }, quant(0.05, 3));
  const axes = b.constant("int32", [2], [1, 2]);
  const y = b.tensor("int8", [1, 1, 1, 3], quant(0.02, -7));
  b.op("MEAN", { keepDims: true }, [x, axes], [y]);
  b.output(y);
  return single(b);
}

describe("aot emitters for the remaining coverage ops", () => {
  it("generated C for every coverage case compiles warning-free on gcc and arm-none-eabi-gcc", async (ctx) => {
    const groups = await coverageCases(7);
    const files = groups.map((g) => generateAot(loaded(mergeCases(g).model)).files);
    const compilers = [["cc", []], ["arm-none-eabi-gcc", CORTEX_M4]] as const;
    let compiled = 0;
    for (const [cc, flags] of compilers) {
      if (!(await requireTool(cc, cc === "cc" ? "apt-get install gcc" : "apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi"))) continue;
      for (const f of files) {
        await compileStrict(cc, writeFiles(f), ["model.c"], [...flags]);
        compiled++;
      }
    }
    if (compiled === 0) ctx.skip();
  });

  it("plans MEAN int8's int32 accumulators in the arena and passes them to the kernel", () => {
    const r = generateAot(loaded(meanModel()));
    const scratch = r.plan.buffers.filter((b) => b.kind === "scratch");
    expect(scratch).toMatchObject([{ opIndex: 0, bytes: 12 }]);
    const model = r.files.find((f) => f.path === "model.c")!.text;
    expect(model).toContain(`tml_mean_s8(&tml_op0_params, ((const int8_t *)(tml_arena + `);
    expect(model).toContain(`((int32_t *)(tml_arena + ${scratch[0]!.offset}))`);
  });

  it("keeps MEAN's multiplier unfolded, as TFLM's OpDataReduce (the kernel folds 1/count)", () => {
    const p = prepareReference(meanModel()).params[0] as MeanParams;
    const q = quantizeMultiplier(Math.fround(0.05) / Math.fround(0.02));
    expect({ multiplier: p.multiplier, shift: p.shift, count: p.count, axes: p.axes }).toEqual({ multiplier: q.multiplier, shift: q.shift, count: 20, axes: [1, 2] });
  });

  it("int8 DIV with the numerator at its zero point gives the output zero point (TFLM: undefined shift)", () => {
    const b = new GraphBuilder();
    const x1 = b.input("int8", [4], { lo: 5, hi: 5 }, quant(0.1, 5));
    const x2 = b.input("int8", [4], { lo: -128, hi: 127 }, quant(0.1, 0));
    const y = b.tensor("int8", [4], quant(0.05, 3));
    b.op("DIV", { activation: "NONE" }, [x1, x2], [y]);
    b.output(y);
    const out = prepareReference(single(b)).invoke([Int8Array.of(5, 5, 5, 5), Int8Array.of(100, 1, -1, -128)]);
    expect(Array.from(out[0] as Int8Array)).toEqual([3, 3, 3, 3]);
  });

  it("runs every op of the audio preprocessor, Signal* custom ops included, and names only unknown custom ops", async () => {
    const frontend = await loadModel(modelPath("audio_preprocessor_int8"));
    expect(generateAot(frontend).files.map((f) => f.path)).toContain("model.c");
    const vendor = await loadModel(`${fixturesDir}unsupported/vendor_ops.tflite`);
    let message = "";
    try {
      generateAot(vendor);
    } catch (e) {
      if (!isTinymlError(e)) throw e;
      expect(e.code).toBe("TML_E_OP_UNSUPPORTED");
      message = e.message;
    }
    const listed = [...message.matchAll(/op (\d+) (\S+):/g)].map((m) => m[2]);
    expect(listed).toEqual(["CUSTOM:VendorRfft", "CUSTOM:VendorLog"]);
    expect(mainGraph(vendor.model).ops.length).toBe(22);
  });
});
