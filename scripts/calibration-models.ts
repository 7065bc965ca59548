// Calibration models for the per-op cost model beside the shared ones: int8
// layers at the sizes small vision and audio models use (8–24 pixels square,
// 3–64 channels), built with the op-test graph builder, plus the op-test
// coverage matrix itself (every op and dtype at small shapes: the fixed
// part of each kernel's cost). Each list is written as merged .tflite models
// of at most MAX_OPS ops: the firmware profiles at most 256 ops per invoke.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Activation } from "../src/model/ops.js";
import { writeTflite } from "../src/model/tflite/writer.js";
import { GraphBuilder, mergeCases, quant, Rng, type OpCase } from "../test/e2e/aot-ops/builder.js";
import { coverageCases } from "../test/e2e/aot-ops/coverage.js";

const MAX_OPS = 240;
const INT8 = { lo: -128, hi: 127 };

const ints = (rng: Rng, n: number, lo: number, hi: number): number[] => Array.from({ length: n }, () => rng.int(lo, hi));

/** Weight and output scales that keep int8 outputs mostly unsaturated (as the op tests pick them). */
function scales(rng: Rng, channels: number, inScale: number, taps: number): { w: number[]; out: number; bias: number[] } {
  const w = Array.from({ length: channels }, () => rng.float(0.002, 0.02));
  const avg = w.reduce((a, b) => a + b, 0) / w.length;
  return { w, out: 135 * Math.sqrt(taps) * inScale * avg, bias: w.map((s) => inScale * s) };
}

/** A SAME-padded int8 convolution; depthwise with `multiplier` output channels per input channel. */
function conv(rng: Rng, h: number, c: number, k: number, outC: number, stride: number, depthwise: boolean, multiplier = 1): OpCase {
  const b = new GraphBuilder();
  const inScale = rng.float(0.01, 0.1);
  const x = b.input("int8", [1, h, h, c], INT8, quant(inScale, rng.int(-20, 20)));
  const oc = depthwise ? c * multiplier : outC;
  const taps = depthwise ? k * k : k * k * c;
  const q = scales(rng, oc, inScale, taps);
  const shape = depthwise ? [1, k, k, oc] : [oc, k, k, c];
  const filter = b.constant("int8", shape, ints(rng, oc * taps, -127, 127), quant(q.w, 0, depthwise ? 3 : 0));
  const bias = b.constant("int32", [oc], ints(rng, oc, -3000, 3000), quant(q.bias, 0, 0));
  const out = Math.ceil(h / stride);
  const y = b.tensor("int8", [1, out, out, oc], quant(q.out, rng.int(-10, 10)));
  const activation: Activation = "RELU6";
  const common = { padding: "SAME" as const, strideW: stride, strideH: stride, activation, dilationW: 1, dilationH: 1 };
  if (depthwise) b.op("DEPTHWISE_CONV_2D", { ...common, depthMultiplier: multiplier }, [x, filter, bias], [y]);
  else b.op("CONV_2D", { ...common, quantizedBiasType: "float32" as const }, [x, filter, bias], [y]);
  b.output(y);
  const type = depthwise ? "DEPTHWISE_CONV_2D" : "CONV_2D";
  return { name: `${type} ${h}x${h}x${c} k${k} s${stride} out${oc}${multiplier > 1 ? ` x${multiplier}` : ""}`, op: type, variant: "int8", graph: b.graph(), inputSpecs: b.inputSpecs };
}

function fullyConnected(rng: Rng, depth: number, units: number): OpCase {
  const b = new GraphBuilder();
  const inScale = rng.float(0.01, 0.1);
  const x = b.input("int8", [1, depth], INT8, quant(inScale, rng.int(-20, 20)));
  const q = scales(rng, 1, inScale, depth);
  const w = b.constant("int8", [units, depth], ints(rng, units * depth, -127, 127), quant(q.w, 0, 0));
  const bias = b.constant("int32", [units], ints(rng, units, -3000, 3000), quant(q.bias[0]!, 0, 0));
  const y = b.tensor("int8", [1, units], quant(q.out, rng.int(-10, 10)));
  b.op("FULLY_CONNECTED", { activation: "NONE", weightsFormat: "DEFAULT", keepNumDims: false, asymmetricQuantizeInputs: false, quantizedBiasType: "float32" }, [x, w, bias], [y]);
  b.output(y);
  return { name: `FULLY_CONNECTED ${depth}->${units}`, op: "FULLY_CONNECTED", variant: "int8", graph: b.graph(), inputSpecs: b.inputSpecs };
}

function pool(rng: Rng, type: "AVERAGE_POOL_2D" | "MAX_POOL_2D", h: number, c: number, k: number, stride: number): OpCase {
  const b = new GraphBuilder();
  const q = quant(rng.float(0.01, 0.1), rng.int(-20, 20));
  const x = b.input("int8", [1, h, h, c], INT8, q);
  const out = Math.floor((h - k) / stride) + 1;
  const y = b.tensor("int8", [1, out, out, c], q);
  b.op(type, { padding: "VALID", strideW: stride, strideH: stride, filterWidth: k, filterHeight: k, activation: "NONE" }, [x], [y]);
  b.output(y);
  return { name: `${type} ${h}x${h}x${c} k${k} s${stride}`, op: type, variant: "int8", graph: b.graph(), inputSpecs: b.inputSpecs };
}

function softmax(rng: Rng, depth: number): OpCase {
  const b = new GraphBuilder();
  const x = b.input("int8", [1, depth], INT8, quant(rng.float(0.05, 0.2), rng.int(-20, 20)));
  const y = b.tensor("int8", [1, depth], quant(1 / 256, -128));
  b.op("SOFTMAX", { beta: 1 }, [x], [y]);
  b.output(y);
  return { name: `SOFTMAX ${depth}`, op: "SOFTMAX", variant: "int8", graph: b.graph(), inputSpecs: b.inputSpecs };
}

/** int8 layers at realistic sizes; inputs stay under ~10 KB (the emulated UART carries about 10 KB/s to the guest). */
export function sizedCases(seed: number): OpCase[] {
  const rng = new Rng(seed);
  return [
    conv(rng, 12, 8, 3, 16, 1, false), conv(rng, 16, 4, 3, 8, 2, false), conv(rng, 8, 16, 1, 32, 1, false),
    conv(rng, 10, 3, 5, 8, 1, false), conv(rng, 6, 32, 3, 16, 1, false), conv(rng, 24, 8, 1, 8, 1, false),
    conv(rng, 16, 8, 3, 0, 1, true), conv(rng, 12, 16, 3, 0, 2, true), conv(rng, 24, 4, 3, 0, 2, true),
    conv(rng, 8, 32, 5, 0, 1, true), conv(rng, 6, 64, 3, 0, 1, true), conv(rng, 20, 12, 3, 0, 1, true),
    // Large filters and depth multipliers, as audio front convolutions use them.
    conv(rng, 24, 1, 7, 0, 2, true, 8), conv(rng, 16, 2, 5, 0, 1, true, 4), conv(rng, 20, 1, 9, 0, 2, true, 4),
    conv(rng, 32, 1, 8, 0, 2, true, 8), conv(rng, 40, 1, 10, 0, 2, true, 8), conv(rng, 28, 2, 6, 0, 1, true, 2),
    fullyConnected(rng, 256, 32), fullyConnected(rng, 64, 128), fullyConnected(rng, 1000, 10), fullyConnected(rng, 400, 64),
    pool(rng, "AVERAGE_POOL_2D", 16, 8, 2, 2), pool(rng, "AVERAGE_POOL_2D", 6, 64, 6, 1), pool(rng, "AVERAGE_POOL_2D", 12, 16, 3, 1),
    pool(rng, "MAX_POOL_2D", 16, 8, 2, 2), pool(rng, "MAX_POOL_2D", 12, 16, 3, 1), pool(rng, "MAX_POOL_2D", 24, 4, 2, 2),
    softmax(rng, 10), softmax(rng, 100), softmax(rng, 1000),
  ];
}

/** Merged models of at most MAX_OPS ops each (merging adds slices of the pooled inputs: counted on the merged graph). */
function writeMerged(cases: readonly OpCase[], dir: string, prefix: string): string[] {
  const files: string[] = [];
  let chunk: OpCase[] = [];
  const flush = (): void => {
    if (chunk.length === 0) return;
    const file = join(dir, `${prefix}_${files.length + 1}.tflite`);
    writeFileSync(file, writeTflite(mergeCases(chunk).model));
    files.push(file);
    chunk = [];
  };
  for (const c of cases) {
    if (chunk.length > 0 && mergeCases([...chunk, c]).model.graphs[0]!.ops.length > MAX_OPS) flush();
    chunk.push(c);
  }
  flush();
  return files;
}

export async function writeCalibrationModels(dir: string, seed: number): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const coverage = (await coverageCases(seed)).flat();
  return [...writeMerged(sizedCases(seed), dir, "sized"), ...writeMerged(coverage, dir, "coverage")];
}
