// The packed FULLY_CONNECTED weights and folded bias the AOT generator emits
// for tml_fully_connected_s8_packed, against the layout tml_kernels.h
// documents, written out by hand here for a 6 x 5 filter (one group of four
// rows, one of two; one chunk of four columns and one column left over), and
// the FULLY_CONNECTED emitter choosing the packed kernel.
import { describe, expect, it } from "vitest";
import { foldFcBias, packFcWeights } from "../../src/codegen/aot/fc-pack.js";
import { generateAot } from "../../src/codegen/aot/generate.js";
import type { Model } from "../../src/model/ir.js";
import { GraphBuilder, quant } from "../e2e/aot-ops/builder.js";

function fcModel(weightsZeroPoint: number, constantWeights: boolean): Model {
  const b = new GraphBuilder();
  const x = b.input("int8", [1, 5], { lo: -128, hi: 127 }, quant(0.1, 3));
  const w = constantWeights
    ? b.constant("int8", [6, 5], Array.from(weights), quant(0.02, weightsZeroPoint))
    : b.input("int8", [6, 5], { lo: -128, hi: 127 }, quant(0.02, weightsZeroPoint));
  const bias = b.constant("int32", [6], [7, -7, 0, 1, 2, 3], quant(0.002, 0));
  const y = b.tensor("int8", [1, 6], quant(0.05, -4));
  b.op("FULLY_CONNECTED", { activation: "NONE", weightsFormat: "DEFAULT", keepNumDims: false, asymmetricQuantizeInputs: false, quantizedBiasType: "float32" }, [x, w, bias], [y]);
  b.output(y);
  return { version: 3, description: "", graphs: [b.graph()], metadata: [], signatures: [] };
}

function modelC(model: Model): string {
  const r = generateAot({ format: "tflite", path: "fc.tflite", sha256: "0".repeat(64), model });
  return r.files.find((f) => f.path === "model.c")!.text;
}

// Row r, column d holds 10 * r + d.
const weights = Int8Array.from({ length: 30 }, (_, k) => 10 * Math.floor(k / 5) + (k % 5));

describe("FULLY_CONNECTED weight packing", () => {
  it("interleaves rows four at a time: per chunk one word per row, then the leftover columns row by row", () => {
    expect(Array.from(packFcWeights(weights, 6, 5))).toEqual([
      // group 0 (rows 0-3): chunk 0 (columns 0-3) of rows 0, 1, 2, 3
      0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23, 30, 31, 32, 33,
      // group 0: column 4 of rows 0, 1, 2, 3
      4, 14, 24, 34,
      // group 1 (rows 4-5): chunk 0 of rows 4, 5, then column 4 of rows 4, 5
      40, 41, 42, 43, 50, 51, 52, 53, 44, 54,
    ]);
  });

  it("folds input_offset x the row sum into the bias, wrapping modulo 2^32 as TFLM's int32 accumulator", () => {
    const bias = Int32Array.of(7, -7, 0, 2147483647, -2147483648, 100);
    // Row sums: 10 + 50 r for row r.
    // Row sums 10 + 50 r; 2147483647 + 480 wraps.
    expect(Array.from(foldFcBias(weights, bias, 6, 5, 3))).toEqual([37, 173, 330, -2147483169, -2147483018, 880]);
    expect(Array.from(foldFcBias(weights, undefined, 6, 5, -128))).toEqual([-1280, -7680, -14080, -20480, -26880, -33280]);
  });
});

describe("the FULLY_CONNECTED emitter", () => {
  it("packs constant weights with a zero point of 0, and no longer emits the original weights", () => {
    const c = modelC(fcModel(0, true));
    expect(c).toContain("tml_fully_connected_s8_packed_per_tensor(&tml_op0_params, ");
    expect(c).toContain("TML_ALIGNAS(4) static const int8_t tml_op0_packed_weights[30] = {");
    // input_offset -3 times row sums 10 + 50 r, plus the bias.
    expect(c).toMatch(/tml_op0_folded_bias\[6\] = \{\s*-23, -187, -330, -479, -628, -777,/);
    expect(c).not.toMatch(/static const int8_t tml_t1\[/);
  });

  it("keeps tml_fully_connected_s8 for weights computed at run time", () => {
    const c = modelC(fcModel(0, false));
    expect(c).toContain("tml_fully_connected_s8(&tml_op0_params, ");
    expect(c).not.toContain("tml_fully_connected_s8_packed");
  });
});
