// The Keras loaders: models built with TF.js in the test, written as Keras 2
// .h5 and Keras 3 .keras files (test/model/keras-files.ts, HDF5 by the HDF5
// library itself), loaded by tinyml and run on its float reference. The
// expected outputs come from TF.js running the original model: tfjs-layers
// is an implementation of the Keras layers independent of tinyml's.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LayersModel, SymbolicTensor } from "@tensorflow/tfjs";
import { zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rng } from "../../examples/train/data.js";
import { mainGraph } from "../../src/model/graph.js";
import type { Model } from "../../src/model/ir.js";
import { loadModel } from "../../src/model/load.js";
import { prepareReference } from "../../src/reference/interpreter.js";
import { loadTf, type Tf } from "../../src/tfjs/backend.js";
import { tinyml } from "../cli.js";
import { writeKeras2H5, writeKeras3 } from "./keras-files.js";

let tf: Tf;
let dir: string;

beforeAll(async () => {
  tf = await loadTf();
  dir = mkdtempSync(join(tmpdir(), "tinyml-keras-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const seeded = (seed: number) => ({ kernelInitializer: tf.initializers.glorotUniform({ seed }) });

/** Non-trivial BatchNormalization statistics, so folding them is tested. */
function randomiseBatchNorm(model: LayersModel): void {
  const r = rng(7);
  for (const l of model.layers) {
    if (l.getClassName() === "BatchNormalization") {
      l.setWeights(l.getWeights().map((w) => tf.tensor(Float32Array.from({ length: w.size }, () => 0.5 + r()), w.shape)));
    }
  }
}

/** Max difference between TF.js on `tfModel` and the loaded IR on the float reference, relative to the output's size. */
function maxRelativeError(tfModel: LayersModel, model: Model, samples = 4): number {
  const interp = prepareReference(model);
  const shape = tfModel.inputs[0]!.shape.slice(1) as number[];
  const n = shape.reduce((a, b) => a * b, 1);
  const r = rng(99);
  let worst = 0;
  for (let s = 0; s < samples; s++) {
    const x = Float32Array.from({ length: n }, () => r() * 2 - 1);
    const want = tf.tidy(() => (tfModel.predict(tf.tensor(x, [1, ...shape])) as ReturnType<Tf["tensor"]>).dataSync() as Float32Array);
    const got = interp.invoke([x])[0] as Float32Array;
    const scale = Math.max(...Array.from(want, Math.abs), 1e-6);
    want.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - got[k]!) / scale)));
  }
  return worst;
}

function opTypes(m: Model): string[] {
  return mainGraph(m).ops.map((o) => (o.kind === "builtin" ? o.type : o.name));
}

function convNet(): LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [12, 10, 2], filters: 4, kernelSize: 3, strides: 2, padding: "same", useBias: false, ...seeded(1) }));
  m.add(tf.layers.batchNormalization({}));
  m.add(tf.layers.reLU({ maxValue: 6 }));
  m.add(tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, activation: "relu", depthwiseInitializer: tf.initializers.glorotUniform({ seed: 2 }) }));
  m.add(tf.layers.averagePooling2d({ poolSize: 2, padding: "same" }));
  m.add(tf.layers.flatten({}));
  m.add(tf.layers.dropout({ rate: 0.5 }));
  m.add(tf.layers.dense({ units: 3, activation: "softmax", ...seeded(3) }));
  randomiseBatchNorm(m);
  return m;
}

/** A small residual net shaped like MLPerf Tiny's ResNet: conv, BN, ReLU, Add, pooling, Dense. */
function residualNet(): LayersModel {
  const inp = tf.input({ shape: [8, 8, 3] });
  const c1 = tf.layers.conv2d({ filters: 6, kernelSize: 3, padding: "same", ...seeded(4) }).apply(inp) as SymbolicTensor;
  const b1 = tf.layers.activation({ activation: "relu" }).apply(tf.layers.batchNormalization({}).apply(c1) as SymbolicTensor) as SymbolicTensor;
  const c2 = tf.layers.conv2d({ filters: 6, kernelSize: 3, padding: "same", ...seeded(5) }).apply(b1) as SymbolicTensor;
  const b2 = tf.layers.batchNormalization({}).apply(c2) as SymbolicTensor;
  const sum = tf.layers.activation({ activation: "relu" }).apply(tf.layers.add().apply([b1, b2]) as SymbolicTensor) as SymbolicTensor;
  const pooled = tf.layers.averagePooling2d({ poolSize: 4 }).apply(sum) as SymbolicTensor;
  const out = tf.layers.dense({ units: 5, activation: "softmax", ...seeded(6) }).apply(tf.layers.flatten({}).apply(pooled) as SymbolicTensor) as SymbolicTensor;
  const m = tf.model({ inputs: inp, outputs: out });
  randomiseBatchNorm(m);
  return m;
}

describe("Keras 2 HDF5 (.h5)", () => {
  it("converts a Sequential conv net as the TF.js loader does, folding BatchNormalization", async () => {
    const m = convNet();
    const path = join(dir, "seq.h5");
    await writeKeras2H5(m, path);
    const { model, format } = await loadModel(path);
    expect(format).toBe("keras-h5");
    expect(opTypes(model)).toEqual(["CONV_2D", "DEPTHWISE_CONV_2D", "AVERAGE_POOL_2D", "RESHAPE", "FULLY_CONNECTED", "SOFTMAX"]);
    expect(maxRelativeError(m, model)).toBeLessThan(1e-5);
  });

  it("converts a functional residual net", async () => {
    const m = residualNet();
    const path = join(dir, "res.h5");
    await writeKeras2H5(m, path);
    const { model } = await loadModel(path);
    expect(opTypes(model)).toEqual(["CONV_2D", "CONV_2D", "ADD", "AVERAGE_POOL_2D", "RESHAPE", "FULLY_CONNECTED", "SOFTMAX"]);
    expect(maxRelativeError(m, model)).toBeLessThan(1e-5);
  });

  it("reads Keras 2.14's config quirks: BatchNormalization axis [3] and scale 1", async () => {
    const m = residualNet();
    const path = join(dir, "quirks.h5");
    await writeKeras2H5(m, path, (config) => {
      for (const l of (config.config as { layers: Array<{ class_name: string; config: Record<string, unknown> }> }).layers) {
        if (l.class_name === "BatchNormalization") Object.assign(l.config, { axis: [3], scale: 1 });
      }
    });
    expect(maxRelativeError(m, (await loadModel(path)).model)).toBeLessThan(1e-5);
  });

  it("predict, inspect and convert take the .h5 like any model", async () => {
    const path = join(dir, "cli.h5");
    await writeKeras2H5(convNet(), path);
    const input = join(dir, "x.json");
    writeFileSync(input, JSON.stringify(Array.from({ length: 12 * 10 * 2 }, (_, i) => Math.sin(i))));
    const r = await tinyml(["predict", path, "--input", input, "--json"]);
    expect(r.stderr).toBe("");
    const out = (JSON.parse(r.stdout) as { outputs: Array<{ data: number[] }> }).outputs[0]!.data;
    expect(out.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    const i = await tinyml(["inspect", path]);
    expect(i.stdout).toMatch(/cli\.h5 +\(keras-h5,/);
    const c = await tinyml(["convert", path, "-o", join(dir, "cli.tflite")]);
    expect(c.stdout).toContain("(keras-h5)");
  });
});

describe("Keras 3 (.keras)", () => {
  it("converts a Sequential conv net", async () => {
    const m = convNet();
    const path = join(dir, "seq.keras");
    await writeKeras3(m, path);
    const { model, format } = await loadModel(path);
    expect(format).toBe("keras");
    expect(opTypes(model)).toEqual(["CONV_2D", "DEPTHWISE_CONV_2D", "AVERAGE_POOL_2D", "RESHAPE", "FULLY_CONNECTED", "SOFTMAX"]);
    expect(maxRelativeError(m, model)).toBeLessThan(1e-5);
  });

  it("converts a functional residual net (Keras 3 inbound nodes, weights by class order)", async () => {
    const m = residualNet();
    const path = join(dir, "res.keras");
    await writeKeras3(m, path);
    expect(maxRelativeError(m, (await loadModel(path)).model)).toBeLessThan(1e-5);
  });
});

describe("Keras files: bad input", () => {
  it("names an unsupported layer with the supported list", async () => {
    const m = tf.sequential();
    m.add(tf.layers.dense({ inputShape: [4], units: 3 }));
    m.add(tf.layers.elu({}));
    const path = join(dir, "elu.h5");
    await writeKeras2H5(m, path);
    const r = await tinyml(["inspect", path]);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/error\[TML_E_LAYER_UNSUPPORTED\]: layer 'elu_ELU\d+' has class ELU/);
    expect(r.stderr).toContain("Supported layers: Activation, Add, AveragePooling2D, BatchNormalization");
  });

  it("says a weights-only HDF5 file is not a model", async () => {
    const m = convNet();
    const path = join(dir, "weights-only.h5");
    await writeKeras2H5(m, path);
    const h5 = await import("h5wasm");
    const lib = ((h5 as unknown as { default?: typeof h5 }).default ?? h5) as typeof h5;
    const { FS } = await lib.ready;
    const fs = FS as unknown as { writeFile(p: string, d: Uint8Array): void; readFile(p: string): Uint8Array };
    fs.writeFile("/wo.h5", new Uint8Array(await import("node:fs").then((f) => f.readFileSync(path))));
    const f = new lib.File("/wo.h5", "a");
    f.delete_attribute("model_config");
    f.close();
    writeFileSync(path, fs.readFile("/wo.h5"));
    const r = await tinyml(["inspect", path]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/TML_E_FORMAT_UNKNOWN.*HDF5 file without a Keras model_config/);
    expect(r.stderr).toContain("model.save(");
  });

  it("says a zip without a Keras model is a zip", async () => {
    const path = join(dir, "other.keras");
    writeFileSync(path, zipSync({ "readme.txt": new TextEncoder().encode("hi") }));
    const r = await tinyml(["inspect", path]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/TML_E_FORMAT_UNKNOWN.*zip archive without a Keras 3 model/);
  });

  it("names a layer whose weights are missing from a .keras file", async () => {
    const m = convNet();
    const path = join(dir, "noweights.keras");
    const dense = m.layers.find((l) => l.getClassName() === "Dense")!.name;
    await writeKeras3(m, path, { dropVarsOf: dense });
    const r = await tinyml(["inspect", path]);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain(`TML_E_WEIGHTS_INVALID`);
    expect(r.stderr).toContain(`model.weights.h5 has no layers/dense/vars for layer '${dense}' (Dense)`);
  });
});
