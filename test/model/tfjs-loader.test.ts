// The TF.js Layers loader: models built with tfjs in the test and saved
// with model.save(), converted to the IR, run with the float reference
// interpreter and compared with TF.js running the original model.

import { existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LayersModel, SymbolicTensor } from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mainGraph } from "../../src/model/graph.js";
import type { Model } from "../../src/model/ir.js";
import { loadModel } from "../../src/model/load.js";
import { prepareReference } from "../../src/reference/interpreter.js";
import { loadTf, type Tf } from "../../src/tfjs/backend.js";
import { loadTfjsFloatModel } from "../../src/tfjs/float-reference.js";
import { directorySaveHandler } from "../../src/tfjs/io.js";
import { rng } from "../../examples/train/data.js";
import { repoRoot, tinyml } from "../cli.js";

let tf: Tf;
let dir: string;

beforeAll(async () => {
  tf = await loadTf();
  dir = mkdtempSync(join(tmpdir(), "tinyml-tfjs-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function save(name: string, model: LayersModel): Promise<string> {
  // Non-trivial BN statistics, so folding them is actually tested.
  for (const l of model.layers) {
    if (l.getClassName() === "BatchNormalization") {
      const r = rng(7);
      l.setWeights(l.getWeights().map((w) => tf.tensor(Float32Array.from({ length: w.size }, () => 0.5 + r()), w.shape)));
    }
  }
  await model.save(directorySaveHandler(tf, join(dir, name)));
  return join(dir, name, "model.json");
}

function opTypes(m: Model): string[] {
  return mainGraph(m).ops.map((o) => (o.kind === "builtin" ? o.type : o.name));
}

/** Max relative difference between TF.js and the IR run by the float reference, over seeded inputs. */
async function maxRelativeError(path: string, model: Model, samples = 4): Promise<number> {
  const tfjsModel = await loadTfjsFloatModel(path);
  const interp = prepareReference(model);
  const r = rng(99);
  let worst = 0;
  for (let s = 0; s < samples; s++) {
    const inputs = tfjsModel.inputShapes.map((shape) => Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r() * 2 - 1));
    const want = tfjsModel.predict([inputs])[0]!;
    const got = interp.invoke(inputs) as Float32Array[];
    want.forEach((w, o) => {
      const scale = Math.max(...Array.from(w, Math.abs), 1e-6);
      w.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - got[o]![k]!) / scale)));
    });
  }
  tfjsModel.dispose();
  return worst;
}

const seeded = (seed: number) => ({ kernelInitializer: tf.initializers.glorotUniform({ seed }) });

describe("TF.js Layers loader", () => {
  it("converts a Sequential conv net, folding BatchNormalization and fusing ReLU6", async () => {
    const m = tf.sequential();
    m.add(tf.layers.conv2d({ inputShape: [12, 10, 2], filters: 4, kernelSize: 3, strides: 2, padding: "same", useBias: false, ...seeded(1) }));
    m.add(tf.layers.batchNormalization({}));
    m.add(tf.layers.reLU({ maxValue: 6 }));
    m.add(tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, activation: "relu", depthwiseInitializer: tf.initializers.glorotUniform({ seed: 2 }) }));
    m.add(tf.layers.averagePooling2d({ poolSize: 2, padding: "same" }));
    m.add(tf.layers.flatten({}));
    m.add(tf.layers.dropout({ rate: 0.5 }));
    m.add(tf.layers.dense({ units: 3, activation: "softmax", ...seeded(3) }));
    const path = await save("seq", m);
    const { model, format } = await loadModel(path);
    expect(format).toBe("tfjs-layers");
    expect(opTypes(model)).toEqual(["CONV_2D", "DEPTHWISE_CONV_2D", "AVERAGE_POOL_2D", "RESHAPE", "FULLY_CONNECTED", "SOFTMAX"]);
    const g = mainGraph(model);
    const conv = g.ops[0]!;
    expect(conv.kind === "builtin" && conv.type === "CONV_2D" && conv.options.activation).toBe("RELU6");
    expect(g.tensors[conv.inputs[1]!]!.shape).toEqual([4, 3, 3, 2]); // OHWI
    expect(g.tensors[g.ops[1]!.inputs[1]!]!.shape).toEqual([1, 3, 3, 8]); // 1HW(C*M)
    expect(g.tensors[g.ops[4]!.inputs[1]!]!.shape).toEqual([3, 2 * 2 * 8]); // [out, in]
    expect(await maxRelativeError(path, model)).toBeLessThan(1e-4);
  });

  it("converts a functional model with SeparableConv2D, Add, Concatenate, Multiply, padding and pooling", async () => {
    const inp = tf.input({ shape: [9, 8, 3] });
    const a = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: "same", activation: "relu", ...seeded(4) }).apply(inp) as SymbolicTensor;
    const b = tf.layers.separableConv2d({
      filters: 4, kernelSize: 3, padding: "same", depthwiseInitializer: tf.initializers.glorotUniform({ seed: 5 }),
      pointwiseInitializer: tf.initializers.glorotUniform({ seed: 6 }),
    }).apply(a) as SymbolicTensor;
    const bn = tf.layers.batchNormalization({}).apply(tf.layers.add().apply([a, b]) as SymbolicTensor) as SymbolicTensor;
    const padded = tf.layers.zeroPadding2d({ padding: [[1, 0], [0, 1]] }).apply(bn) as SymbolicTensor;
    const mx = tf.layers.maxPooling2d({ poolSize: 2, padding: "same" }).apply(padded) as SymbolicTensor;
    const av = tf.layers.averagePooling2d({ poolSize: 2, padding: "same" }).apply(padded) as SymbolicTensor;
    const cat = tf.layers.concatenate().apply([mx, av]) as SymbolicTensor;
    const gap = tf.layers.globalAveragePooling2d({}).apply(cat) as SymbolicTensor;
    const gate = tf.layers.dense({ units: 8, activation: "sigmoid", ...seeded(7) }).apply(gap) as SymbolicTensor;
    const flat = tf.layers.dense({ units: 8, activation: "tanh", ...seeded(8) }).apply(tf.layers.flatten({}).apply(cat) as SymbolicTensor) as SymbolicTensor;
    const out = tf.layers.dense({ units: 4, activation: "softmax", ...seeded(9) }).apply(tf.layers.multiply().apply([gate, flat]) as SymbolicTensor) as SymbolicTensor;
    const path = await save("functional", tf.model({ inputs: inp, outputs: out }));
    const { model } = await loadModel(path);
    const types = opTypes(model);
    // SeparableConv2D = depthwise + 1x1 conv; BN after ADD stays a MUL+ADD pair.
    expect(types.slice(0, 6)).toEqual(["CONV_2D", "DEPTHWISE_CONV_2D", "CONV_2D", "ADD", "MUL", "ADD"]);
    expect(types).toEqual(expect.arrayContaining(["PAD", "MAX_POOL_2D", "CONCATENATION", "MEAN", "LOGISTIC", "TANH", "SOFTMAX"]));
    expect(await maxRelativeError(path, model)).toBeLessThan(1e-4);
  });

  it("lowers Conv1D to CONV_2D on a height-1 image between reshapes", async () => {
    const m = tf.sequential();
    m.add(tf.layers.conv1d({ inputShape: [20, 3], filters: 5, kernelSize: 4, strides: 2, padding: "same", activation: "relu", ...seeded(10) }));
    m.add(tf.layers.flatten({}));
    m.add(tf.layers.dense({ units: 2, ...seeded(11) }));
    const path = await save("conv1d", m);
    const { model } = await loadModel(path);
    expect(opTypes(model)).toEqual(["RESHAPE", "CONV_2D", "RESHAPE", "RESHAPE", "FULLY_CONNECTED"]);
    expect(mainGraph(model).tensors[mainGraph(model).ops[1]!.inputs[1]!]!.shape).toEqual([5, 1, 4, 3]);
    expect(await maxRelativeError(path, model)).toBeLessThan(1e-4);
  });

  for (const example of ["kws_cnn", "tiny_image"]) {
    it(`matches TF.js on the ${example} example model`, async () => {
      const path = join(repoRoot, "examples", "models", example, "model.json");
      const { model } = await loadModel(path);
      expect(await maxRelativeError(path, model, 8)).toBeLessThan(1e-4);
    });
  }
});

describe("TF.js Layers loader: bad input", () => {
  async function tinyDense(name: string): Promise<string> {
    const m = tf.sequential();
    m.add(tf.layers.dense({ inputShape: [4], units: 3, ...seeded(12) }));
    return save(name, m);
  }

  it("names an unsupported layer, its class and the supported list", async () => {
    const m = tf.sequential();
    m.add(tf.layers.dense({ inputShape: [4], units: 3 }));
    m.add(tf.layers.elu({}));
    const path = await save("elu", m);
    const r = await tinyml(["inspect", path]);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/error\[TML_E_LAYER_UNSUPPORTED\]: layer 'elu_ELU\d+' has class ELU/);
    expect(r.stderr).toContain("Supported layers: Activation, Add, AveragePooling2D, BatchNormalization");
  });

  it("reports a missing weights shard with the file and the bytes expected", async () => {
    const path = await tinyDense("missing");
    rmSync(join(dir, "missing", "group1-shard1of1.bin"));
    const r = await tinyml(["convert", path, "-o", join(dir, "missing.tflite")]);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/TML_E_WEIGHTS_INVALID.*group1-shard1of1\.bin is missing.*needs 60 bytes/);
    expect(existsSync(join(dir, "missing.tflite"))).toBe(false);
  });

  it("reports a truncated weights shard", async () => {
    const path = await tinyDense("short");
    truncateSync(join(dir, "short", "group1-shard1of1.bin"), 40);
    const r = await tinyml(["convert", path, "-o", join(dir, "short.tflite")]);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/TML_E_WEIGHTS_INVALID.*holds 40 bytes, but the manifest's weights need 60 bytes/);
    expect(existsSync(join(dir, "short.tflite"))).toBe(false);
  });

  it("names a weight holding NaN", async () => {
    const path = await tinyDense("nan");
    const shard = join(dir, "nan", "group1-shard1of1.bin");
    const bytes = readFileSync(shard);
    bytes.writeFloatLE(Number.NaN, 4 * 5);
    writeFileSync(shard, bytes);
    const r = await tinyml(["convert", path, "-o", join(dir, "nan.tflite")]);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/weight 'dense_Dense\d+\/kernel' holds NaN at index 5/);
  });

  it("rejects a functional model without inputs", async () => {
    const path = await tinyDense("noinputs");
    const json = JSON.parse(readFileSync(path, "utf8")) as { modelTopology: { class_name: string; config: Record<string, unknown> } };
    json.modelTopology = { class_name: "Model", config: { name: "empty", layers: [], input_layers: [], output_layers: [] } };
    writeFileSync(path, JSON.stringify(json));
    const r = await tinyml(["inspect", path]);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain("TML_E_MODEL_INVALID");
    expect(r.stderr).toContain("the model has no inputs");
  });
});
