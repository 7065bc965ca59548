// The ONNX loader on models the test writes (test/model/onnx-files.ts),
// with onnxruntime (onnxruntime-node, a dev dependency: Microsoft's runtime,
// independent of tinyml) running the same bytes as the oracle. Checks the
// numbers, and that the NCHW → NHWC conversion folds its transposes and
// BatchNormalization instead of leaving them in the graph.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rng } from "../../examples/train/data.js";
import { mainGraph, numElements } from "../../src/model/graph.js";
import type { Model } from "../../src/model/ir.js";
import { loadModel } from "../../src/model/load.js";
import { prepareReference } from "../../src/reference/interpreter.js";
import "../../src/quantize/qdq.js";
import { tinyml } from "../cli.js";
import { floatTensor, int64s, node, onnxModel, rawTensor, tensorProtoFile, type OnnxGraph } from "./onnx-files.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "tinyml-onnx-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const r = rng(42);
const randn = (n: number, scale = 1): Float32Array => Float32Array.from({ length: n }, () => (r() * 2 - 1) * scale);

async function write(name: string, g: OnnxGraph): Promise<{ path: string; bytes: Uint8Array }> {
  const bytes = onnxModel(g);
  const path = join(dir, `${name}.onnx`);
  writeFileSync(path, bytes);
  return { path, bytes };
}

/** onnxruntime's outputs for one input. */
async function ortRun(bytes: Uint8Array, input: string, x: Float32Array, dims: number[]): Promise<Float32Array[]> {
  const s = await ort.InferenceSession.create(bytes);
  const out = await s.run({ [input]: new ort.Tensor("float32", x, dims) });
  return s.outputNames.map((n) => out[n]!.data as Float32Array);
}

function opTypes(m: Model): string[] {
  return mainGraph(m).ops.map((o) => (o.kind === "builtin" ? o.type : o.name));
}

async function maxDifference(bytes: Uint8Array, model: Model, input: string, dims: number[], samples = 3): Promise<number> {
  const interp = prepareReference(model);
  let worst = 0;
  for (let s = 0; s < samples; s++) {
    const x = randn(numElements(dims));
    const want = await ortRun(bytes, input, x, dims);
    const got = interp.invoke([x]) as Float32Array[];
    want.forEach((w, o) => w.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - got[o]![k]!)))));
  }
  return worst;
}

/** A PyTorch-style CNN: NCHW, explicit pads, BN after conv, depthwise conv, ReLU6 as Clip, GAP, Flatten, Gemm. */
function cnn(): OnnxGraph {
  const c1 = 6;
  return {
    inputs: [["x", ["batch", 3, 10, 12]]],
    outputs: [["probs", ["batch", 4]]],
    initializers: [
      floatTensor("w1", [c1, 3, 3, 3], randn(c1 * 27, 0.4)), floatTensor("b1", [c1], randn(c1, 0.1)),
      floatTensor("bn_s", [c1], Float32Array.from({ length: c1 }, () => 0.5 + r())), floatTensor("bn_b", [c1], randn(c1, 0.2)),
      floatTensor("bn_m", [c1], randn(c1, 0.3)), floatTensor("bn_v", [c1], Float32Array.from({ length: c1 }, () => 0.5 + r())),
      floatTensor("wd", [c1 * 2, 1, 3, 3], randn(c1 * 18, 0.4)), floatTensor("bd", [c1 * 2], randn(c1 * 2, 0.1)),
      floatTensor("lo", [], [0]), floatTensor("hi", [], [6]),
      floatTensor("wfc", [4, c1 * 2], randn(4 * c1 * 2, 0.5)), floatTensor("bfc", [4], randn(4, 0.1)),
    ],
    nodes: [
      node("Conv", ["x", "w1", "b1"], ["c1"], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }),
      node("BatchNormalization", ["c1", "bn_s", "bn_b", "bn_m", "bn_v"], ["bn"], { epsilon: { float: 1e-5 } }),
      node("Relu", ["bn"], ["r1"]),
      node("MaxPool", ["r1"], ["p1"], { kernel_shape: [2, 2], strides: [2, 2] }),
      node("Conv", ["p1", "wd", "bd"], ["c2"], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], group: c1, strides: [2, 2] }),
      node("Clip", ["c2", "lo", "hi"], ["r2"]),
      node("GlobalAveragePool", ["r2"], ["gap"]),
      node("Flatten", ["gap"], ["flat"]),
      node("Gemm", ["flat", "wfc", "bfc"], ["logits"], { transB: 1 }),
      node("Softmax", ["logits"], ["probs"], { axis: 1 }),
    ],
  };
}

describe("ONNX loader, against onnxruntime", () => {
  it("converts a CNN: one TRANSPOSE at the NCHW input, BatchNormalization and ReLUs folded into the convolutions", async () => {
    const { path, bytes } = await write("cnn", cnn());
    const { model, format } = await loadModel(path);
    expect(format).toBe("onnx");
    // The strided depthwise conv's symmetric pads on an even width are not TensorFlow's SAME (which pads the end): a PAD.
    expect(opTypes(model)).toEqual(["TRANSPOSE", "CONV_2D", "MAX_POOL_2D", "PAD", "DEPTHWISE_CONV_2D", "MEAN", "RESHAPE", "FULLY_CONNECTED", "SOFTMAX"]);
    const g = mainGraph(model);
    const conv = g.ops[1]!;
    expect(conv.kind === "builtin" && conv.type === "CONV_2D" && [conv.options.padding, conv.options.activation]).toEqual(["SAME", "RELU"]);
    const dw = g.ops[4]!;
    expect(dw.kind === "builtin" && dw.type === "DEPTHWISE_CONV_2D" && [dw.options.depthMultiplier, dw.options.activation]).toEqual([2, "RELU6"]);
    // The model's interface keeps ONNX's shapes.
    expect(g.tensors[g.inputs[0]!]!.shape).toEqual([1, 3, 10, 12]);
    expect(g.tensors[g.outputs[0]!]!.shape).toEqual([1, 4]);
    expect(await maxDifference(bytes, model, "x", [1, 3, 10, 12])).toBeLessThan(1e-5);
  });

  it("folds a converter's Transpose pair (NHWC model input, as tf2onnx writes) into nothing", async () => {
    const { path, bytes } = await write("nhwc", {
      inputs: [["img", [1, 8, 8, 2]]],
      outputs: [["out", [1, 8, 8, 3]]],
      initializers: [floatTensor("w", [3, 2, 1, 1], randn(6)), floatTensor("b", [3], randn(3))],
      nodes: [
        node("Transpose", ["img"], ["nchw"], { perm: [0, 3, 1, 2] }),
        node("Conv", ["nchw", "w", "b"], ["y"], { kernel_shape: [1, 1] }),
        node("LeakyRelu", ["y"], ["z"], { alpha: { float: 0.1 } }),
        node("Transpose", ["z"], ["out"], { perm: [0, 2, 3, 1] }),
      ],
    });
    const { model } = await loadModel(path);
    expect(opTypes(model)).toEqual(["CONV_2D", "MUL", "MAXIMUM"]);
    expect(await maxDifference(bytes, model, "img", [1, 8, 8, 2])).toBeLessThan(1e-6);
  });

  it("folds Flatten of a spatial NHWC tensor into the Gemm's weights instead of transposing", async () => {
    const { path, bytes } = await write("flatten-gemm", {
      inputs: [["x", [1, 2, 5, 4]]],
      outputs: [["y", [1, 3]]],
      initializers: [floatTensor("w", [4, 2, 3, 3], randn(72)), floatTensor("wfc", [4 * 3 * 2, 3], randn(72))],
      nodes: [
        node("Conv", ["x", "w"], ["c"], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [2, 2] }),
        node("Relu", ["c"], ["r"]),
        node("Flatten", ["r"], ["f"]),
        node("MatMul", ["f", "wfc"], ["y"]),
      ],
    });
    const { model } = await loadModel(path);
    expect(opTypes(model)).toEqual(["TRANSPOSE", "PAD", "CONV_2D", "RESHAPE", "FULLY_CONNECTED"]);
    expect(await maxDifference(bytes, model, "x", [1, 2, 5, 4])).toBeLessThan(1e-5);
  });

  it("converts an MLP with broadcasting, Reshape, Concat, ReduceMean, Squeeze/Unsqueeze and shape arithmetic on constants", async () => {
    const { path, bytes } = await write("mlp", {
      inputs: [["x", [2, 6]]],
      outputs: [["y", [3, 3]], ["t", [2, 5]]],
      initializers: [
        floatTensor("w", [6, 5], randn(30)), floatTensor("b", [5], randn(5)), floatTensor("s", [1, 5], randn(5)),
        floatTensor("two", [], [2]), int64s("axes", [1]), int64s("newshape", [0, -1, 1]),
        int64s("pads", [0, 1, 1, 1]), floatTensor("padval", [], [0.75]),
      ],
      nodes: [
        node("MatMul", ["x", "w"], ["mm"]),
        node("Add", ["mm", "b"], ["h"]),
        node("Sigmoid", ["h"], ["sg"]),
        node("Mul", ["sg", "s"], ["m"]),
        node("Div", ["m", "two"], ["t"]),
        node("Shape", ["t"], ["shape"]),
        node("Reshape", ["t", "newshape"], ["r3"]),
        node("Concat", ["r3", "r3"], ["cat"], { axis: 2 }),
        node("ReduceMean", ["cat"], ["mean"], { axes: [1, 2], keepdims: 1 }),
        node("Squeeze", ["mean", "axes"], ["sq"]),
        node("Pad", ["sq", "pads", "padval"], ["pd"]),
        node("Tanh", ["pd"], ["y"]),
      ],
    });
    const { model } = await loadModel(path);
    expect(opTypes(model)).not.toContain("TRANSPOSE");
    expect(await maxDifference(bytes, model, "x", [2, 6])).toBeLessThan(1e-5);
  });

  it("converts 1-D convolution and pooling (Conv1d, AvgPool1d with count_include_pad)", async () => {
    const { path, bytes } = await write("conv1d", {
      opset: 14,
      inputs: [["x", [1, 4, 20]]],
      outputs: [["y", [1, 5, 10]]],
      initializers: [floatTensor("w", [5, 4, 3], randn(60)), floatTensor("b", [5], randn(5))],
      nodes: [
        node("Conv", ["x", "w", "b"], ["c"], { kernel_shape: [3], pads: [1, 1] }),
        node("HardSwish", ["c"], ["h"]),
        node("AveragePool", ["h"], ["y"], { kernel_shape: [3], strides: [2], pads: [1, 1], count_include_pad: 1 }),
      ],
    });
    const { model } = await loadModel(path);
    // Between the layers only RESHAPEs (no data moves) to and from the height-1 NHWC image.
    expect(opTypes(model)).toEqual(["TRANSPOSE", "RESHAPE", "CONV_2D", "RESHAPE", "HARD_SWISH", "RESHAPE", "PAD", "AVERAGE_POOL_2D", "RESHAPE", "TRANSPOSE"]);
    expect(await maxDifference(bytes, model, "x", [1, 4, 20])).toBeLessThan(1e-5);
  });

  it("QDQ: int8 weights and activations become an int8 model with the model's own parameters, within one step of onnxruntime", async () => {
    // x → Q → DQ → Conv(DQ(int8 W per channel), DQ(int32 bias)) → Relu → Q → DQ → y
    const sx = 0.02;
    const sw = [0.01, 0.02, 0.015];
    const sy = 0.05;
    const wq = Int8Array.from({ length: 3 * 2 * 9 }, () => Math.round((r() * 2 - 1) * 100));
    const bq = Int32Array.from({ length: 3 }, () => Math.round((r() * 2 - 1) * 500));
    const { path, bytes } = await write("qdq", {
      inputs: [["x", [1, 2, 6, 6]]],
      outputs: [["y", [1, 3, 6, 6]]],
      initializers: [
        floatTensor("sx", [], [sx]), rawTensor("zx", [], "int8", [3]),
        rawTensor("wq", [3, 2, 3, 3], "int8", wq), floatTensor("sw", [3], sw), rawTensor("zw", [3], "int8", [0, 0, 0]),
        rawTensor("bq", [3], "int32", bq), floatTensor("sb", [3], sw.map((s) => Math.fround(s * sx))), rawTensor("zb", [3], "int32", [0, 0, 0]),
        floatTensor("sy", [], [sy]), rawTensor("zy", [], "int8", [-128]),
      ],
      nodes: [
        node("QuantizeLinear", ["x", "sx", "zx"], ["xq"]),
        node("DequantizeLinear", ["xq", "sx", "zx"], ["xd"]),
        node("DequantizeLinear", ["wq", "sw", "zw"], ["wd"], { axis: 0 }),
        node("DequantizeLinear", ["bq", "sb", "zb"], ["bd"], { axis: 0 }),
        node("Conv", ["xd", "wd", "bd"], ["c"], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }),
        node("Relu", ["c"], ["rl"]),
        node("QuantizeLinear", ["rl", "sy", "zy"], ["yq"]),
        node("DequantizeLinear", ["yq", "sy", "zy"], ["y"]),
      ],
    });
    const { model } = await loadModel(path);
    expect(opTypes(model)).toEqual(["QUANTIZE", "TRANSPOSE", "CONV_2D", "TRANSPOSE", "DEQUANTIZE"]);
    const g = mainGraph(model);
    const conv = g.ops[2]!;
    const w = g.tensors[conv.inputs[1]!]!;
    expect(w.dtype).toBe("int8");
    expect(w.quantization!.scale).toEqual(sw.map(Math.fround));
    // OHWI: output channel 0's first weights are the model's [0, 0, 0, 0] and [0, 1, 0, 0].
    const wv = new Int8Array(w.data!.buffer, w.data!.byteOffset, w.data!.byteLength);
    expect([wv[0], wv[1]]).toEqual([wq[0], wq[9]]);
    expect(Array.from(new Int32Array(g.tensors[conv.inputs[2]!]!.data!.slice().buffer))).toEqual(Array.from(bq));
    expect(g.tensors[conv.outputs[0]!]!.quantization).toMatchObject({ scale: [Math.fround(sy)], zeroPoint: [-128] });
    const interp = prepareReference(model);
    let steps = 0;
    let exact = 0;
    let n = 0;
    for (let s = 0; s < 4; s++) {
      const x = randn(72, 2);
      const want = (await ortRun(bytes, "x", x, [1, 2, 6, 6]))[0]!;
      const got = interp.invoke([x])[0] as Float32Array;
      want.forEach((v, k) => {
        const d = Math.round(Math.abs(v - got[k]!) / sy);
        steps = Math.max(steps, d);
        if (d === 0) exact++;
        n++;
      });
    }
    // onnxruntime requantizes in float, TFLite in fixed point: they may round one step apart.
    expect(steps).toBeLessThanOrEqual(1);
    expect(exact / n).toBeGreaterThan(0.98);
  });
});

describe("ONNX inputs and errors", () => {
  it("predict reads an ONNX TensorProto (.pb) input, as the ONNX test data stores them", async () => {
    const { path, bytes } = await write("cnn-cli", cnn());
    const x = randn(3 * 10 * 12);
    const pb = join(dir, "input_0.pb");
    writeFileSync(pb, tensorProtoFile([1, 3, 10, 12], x));
    const res = await tinyml(["predict", path, "--input", pb, "--json"]);
    expect(res.stderr).toBe("");
    const got = (JSON.parse(res.stdout) as { outputs: Array<{ data: number[] }> }).outputs[0]!.data;
    const want = (await ortRun(bytes, "x", x, [1, 3, 10, 12]))[0]!;
    got.forEach((v, k) => expect(Math.abs(v - want[k]!)).toBeLessThan(1e-5));
  });

  it("names an operator it cannot convert, with the supported list", async () => {
    const { path } = await write("erf", { inputs: [["x", [1, 4]]], outputs: [["y", [1, 4]]], nodes: [node("Erf", ["x"], ["y"])] });
    const res = await tinyml(["inspect", path]);
    expect(res.exitCode).toBe(3);
    expect(res.stderr).toMatch(/TML_E_OP_UNSUPPORTED\]: node 'y' \(Erf\): has no tinyml conversion/);
    expect(res.stderr).toContain("tinyml converts these ONNX operators: Add, AveragePool, BatchNormalization, Cast, Clip, Concat");
  });

  it("refuses a grouped convolution and a dynamic spatial dimension, saying what to do", async () => {
    const grouped = await write("grouped", {
      inputs: [["x", [1, 4, 5, 5]]], outputs: [["y", [1, 4, 5, 5]]],
      initializers: [floatTensor("w", [4, 2, 1, 1], randn(8))],
      nodes: [node("Conv", ["x", "w"], ["y"], { kernel_shape: [1, 1], group: 2 })],
    });
    const g = await tinyml(["inspect", grouped.path]);
    expect(g.exitCode).toBe(3);
    expect(g.stderr).toMatch(/group 2 \(a grouped, not depthwise, convolution\)/);
    const dynamic = await write("dynamic", { inputs: [["x", [1, 3, "height", 8]]], outputs: [["y", [1, 3, "height", 8]]], nodes: [node("Relu", ["x"], ["y"])] });
    const d = await tinyml(["inspect", dynamic.path]);
    expect(d.exitCode).toBe(3);
    expect(d.stderr).toMatch(/input 'x' has a dynamic dimension 2 \('height'\)/);
    expect(d.stderr).toContain("fixed input shape");
  });

  it("says a truncated file is not a readable ONNX model", async () => {
    const { bytes } = await write("whole", cnn());
    const p = join(dir, "cut.onnx");
    writeFileSync(p, bytes.subarray(0, 200));
    const res = await tinyml(["inspect", p]);
    expect(res.exitCode).toBe(3);
    expect(res.stderr).toMatch(/TML_E_MODEL_INVALID\]: not a readable ONNX model/);
  });
});
