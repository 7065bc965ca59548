// `npm run verify:keras -- --mlperf-dir DIR [--samples N]`: the MLPerf Tiny
// Keras models (.h5) loaded by tinyml and run on its float reference,
// against two independent oracles on the same seeded random inputs:
//  - the float .tflite twin TensorFlow's converter made from the same Keras
//    model (read by tinyml's .tflite reader), where the repository has one;
//  - TF.js (tfjs-layers, its own implementation of the Keras layers) running
//    the .h5's model_config with its weights.
// It prints the largest absolute output difference against each. DIR holds
// the files as mlcommons/tiny has them under benchmark/training/*/trained_models/
// (copied flat into one folder). Needs the data, so it is not part of `npm test`.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { numElements, mainGraph } from "../src/model/graph.js";
import { loadModel } from "../src/model/load.js";
import { withH5 } from "../src/model/keras/h5.js";
import { readLayerWeights } from "../src/model/keras/keras2.js";
import { prepareReference } from "../src/reference/interpreter.js";
import { loadTf } from "../src/tfjs/backend.js";

const PAIRS: ReadonlyArray<readonly [string, string]> = [
  // ad01_fp32.tflite was converted by a TensorFlow whose converter folded each BatchNormalization
  // into the Dense before it without that Dense's bias: its biases are exactly the fold without it,
  // so it computes another function than the Keras model (TF.js agrees with tinyml instead).
  ["ad01.h5", "ad01_fp32.tflite"],
  ["pretrainedResnet.h5", "pretrainedResnet.tflite"],
  ["vww_96.h5", "vww_96_float.tflite"],
  ["str_ww_ref_model.h5", "str_ww_ref_model.tflite"],
];

const { values } = parseArgs({ options: { "mlperf-dir": { type: "string" }, samples: { type: "string", default: "20" }, tolerance: { type: "string", default: "1e-4" } } });
const dir = values["mlperf-dir"];
if (!dir) {
  console.error("usage: npm run verify:keras -- --mlperf-dir DIR [--samples N] [--tolerance T]");
  process.exit(2);
}
const samples = Number(values.samples);
const tolerance = Number(values.tolerance);

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Regularizers only shape training; tfjs-layers knows few of them by their Python names. */
function withoutRegularizers(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutRegularizers);
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k.endsWith("_regularizer") ? null : withoutRegularizers(x)]));
  }
  return v;
}

/** The .h5's model run by TF.js: returns a function from one input to the first output. */
async function tfjsModel(path: string): Promise<(x: Float32Array, shape: number[]) => Float32Array> {
  const tf = await loadTf();
  const bytes = new Uint8Array(readFileSync(path));
  const { topology, weights } = await withH5(bytes, path, (f) => ({
    topology: JSON.parse(f.attrs["model_config"]!.value as string) as object,
    weights: readLayerWeights(f),
  }));
  const specs: Array<{ name: string; shape: number[]; dtype: "float32" }> = [];
  const parts: Float32Array[] = [];
  for (const [layer, ws] of weights) {
    for (const [key, w] of ws) {
      specs.push({ name: `${layer}/${key}`, shape: w.shape, dtype: "float32" });
      parts.push(w.values);
    }
  }
  const all = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (all.set(p, at), at + p.length), 0);
  const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: withoutRegularizers(topology) as object, weightSpecs: specs, weightData: all.buffer }));
  return (x, shape) => tf.tidy(() => {
    const y = model.predict(tf.tensor(x, shape, "float32"));
    return (Array.isArray(y) ? y[0]! : y).dataSync() as Float32Array;
  });
}

function argmax(y: Float32Array): number {
  return y.reduce((best, v, i) => (v > y[best]! ? i : best), 0);
}

let failed = 0;
for (const [h5, twin] of PAIRS) {
  const path = join(dir, h5);
  const keras = await loadModel(path);
  const kg = mainGraph(keras.model);
  const input = kg.tensors[kg.inputs[0]!]!;
  const twinPath = join(dir, twin);
  const twinModel = existsSync(twinPath) ? await loadModel(twinPath) : undefined;
  const tg = twinModel ? mainGraph(twinModel.model) : undefined;
  const twinFloat = twinModel && tg!.tensors[tg!.inputs[0]!]!.dtype === "float32";
  const ours = prepareReference(keras.model);
  const theirs = twinFloat ? prepareReference(twinModel.model) : undefined;
  const tfjs = await tfjsModel(path);
  const next = rng(12345);
  const worst = { twin: 0, tfjs: 0 };
  // Saturated softmax outputs (str_ww on random inputs) agree absolutely whatever the logits: relative too.
  let worstRel = 0;
  const top1 = { twin: 0, tfjs: 0 };
  for (let s = 0; s < samples; s++) {
    const x = Float32Array.from({ length: numElements(input.shape) }, () => next() * 2 - 1);
    const y = ours.invoke([x])[0] as Float32Array;
    const oracles: Array<["twin" | "tfjs", Float32Array]> = [["tfjs", tfjs(x, input.shape)]];
    if (theirs) oracles.push(["twin", theirs.invoke([x])[0] as Float32Array]);
    for (const [name, z] of oracles) {
      for (let i = 0; i < y.length; i++) {
        worst[name] = Math.max(worst[name], Math.abs(y[i]! - z[i]!));
        const size = Math.max(Math.abs(y[i]!), Math.abs(z[i]!));
        if (name === "tfjs" && size > 1e-30) worstRel = Math.max(worstRel, Math.abs(y[i]! - z[i]!) / size);
      }
      if (argmax(y) === argmax(z)) top1[name]++;
    }
  }
  const verdict = (w: number): string => (w <= tolerance ? `<= ${tolerance} PASS` : `> ${tolerance} FAIL`);
  const twinText = theirs
    ? `vs ${twin}: max |diff| ${worst.twin.toExponential(3)} ${verdict(worst.twin)}, top-1 equal ${top1.twin}/${samples}`
    : `no float .tflite twin (${twin} is ${twinModel ? "int8" : "missing"})`;
  console.log(`${h5} (${kg.ops.length} ops, ${samples} random inputs): ${twinText}; vs TF.js: max |diff| ${worst.tfjs.toExponential(3)} ${verdict(worst.tfjs)} (max relative ${worstRel.toExponential(2)}), top-1 equal ${top1.tfjs}/${samples}`);
  if (worst.tfjs > tolerance || (theirs && worst.twin > tolerance && h5 !== "ad01.h5")) failed++;
}
process.exitCode = failed > 0 ? 1 : 0;
