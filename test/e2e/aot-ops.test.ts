// Per-op differential test of the AOT runtime: for every op in the coverage
// list and each dtype variant, small seeded-random single-op graphs (shapes,
// quantization, weights, padding, strides, dilation, broadcasting, fused
// activations, per-channel weights) are written as .tflite, built on the host
// board with the real CLI, and run on seeded-random inputs; the executable's
// output bytes must equal the reference interpreter's. The cases are merged
// into a few models so the whole matrix costs a few compiles.
import { beforeAll, describe, expect, it } from "vitest";
import { requireTool } from "../cli.js";
import { ulpDistance } from "./aot-ops/builder.js";
import { coverageCases } from "./aot-ops/coverage.js";
import { buildBatch, runHost, runReferenceBytes, writeInputs, type Batch } from "./aot-ops/run.js";

const SEED = 20240611;
const INPUT_SEEDS = [1, 2, 3];

interface CaseResult {
  batch: Batch;
  index: number;
}

describe("aot runtime vs reference interpreter, op by op", () => {
  const results: CaseResult[] = [];
  const outputs = new Map<Batch, Array<{ host: Uint8Array[]; reference: Uint8Array[] }>>();
  let haveCc = true;

  beforeAll(async () => {
    haveCc = await requireTool("cc", "apt-get install gcc");
    if (!haveCc) return;
    const groups = await coverageCases(SEED);
    // The first build may rebundle the CLI; the others then run in parallel.
    const first = await buildBatch(groups[0]!, "window");
    const rest = await Promise.all(groups.slice(1).map((g, k) => buildBatch(g, `group${k + 1}`)));
    for (const batch of [first, ...rest]) {
      const runs = [];
      for (const seed of INPUT_SEEDS) {
        const inputs = writeInputs(batch, seed);
        runs.push({ host: await runHost(batch, inputs.files), reference: await runReferenceBytes(batch, inputs.bytes) });
      }
      outputs.set(batch, runs);
      batch.cases.forEach((_, index) => results.push({ batch, index }));
    }
  });

  it("covers every op of the coverage list in its dtype variants", (ctx) => {
    if (!haveCc) return ctx.skip();
    const matrix = new Map<string, Set<string>>();
    for (const { batch, index } of results) {
      const c = batch.cases[index]!;
      matrix.set(c.op, new Set([...(matrix.get(c.op) ?? []), c.variant]));
    }
    const ops = [
      "CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "AVERAGE_POOL_2D", "MAX_POOL_2D", "RESHAPE", "SOFTMAX", "ADD", "MUL",
      "SUB", "DIV", "CONCATENATION", "MEAN", "PAD", "QUANTIZE", "DEQUANTIZE", "LOGISTIC", "TANH", "RELU", "RELU6",
      "HARD_SWISH", "STRIDED_SLICE", "CAST", "MINIMUM", "MAXIMUM", "TRANSPOSE",
    ];
    for (const op of ops) expect(matrix.get(op)?.size ?? 0, op).toBeGreaterThan(0);
    for (const op of ["ADD", "MUL", "SUB", "DIV", "MINIMUM", "MAXIMUM", "CONCATENATION", "STRIDED_SLICE"]) {
      expect([...matrix.get(op)!], op).toEqual(expect.arrayContaining(["int8", "float32", "int32"]));
    }
    expect([...matrix.get("CAST")!]).toEqual(expect.arrayContaining(["uint32->int32", "int32->uint32", "int16->int32", "int32->int8"]));
    console.log([...matrix].map(([op, v]) => `${op}: ${[...v].join(", ")}`).join("\n"));
  });

  it("every case's output bytes equal the reference's", (ctx) => {
    if (!haveCc) return ctx.skip();
    const mismatches: string[] = [];
    let compared = 0;
    for (const { batch, index } of results) {
      const c = batch.cases[index]!;
      const [start, end] = batch.outputRanges[index]!;
      outputs.get(batch)!.forEach((run, r) => {
        for (let k = start; k < end; k++) {
          compared++;
          const host = run.host[k]!;
          const ref = run.reference[k]!;
          const same = c.ulps === undefined
            ? host.length === ref.length && host.every((v, j) => v === ref[j])
            : host.length === ref.length && ulpDistance(host, ref) <= c.ulps;
          if (!same) mismatches.push(`${c.name} (input seed ${INPUT_SEEDS[r]}, output ${k - start})`);
        }
      });
    }
    expect(mismatches).toEqual([]);
    expect(compared).toBeGreaterThan(500);
  });
});
