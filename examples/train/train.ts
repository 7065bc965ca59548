// Trains the example models with TensorFlow.js and saves them as Layers
// models with a calibration set (and, with --holdout, the holdout set the
// tests regenerate from the same seed):
//
//   npx tsx examples/train/train.ts [kws_cnn|tiny_image ...] [--holdout]
//
// Deterministic: seeded data (data.ts), seeded initializers and dropout, no
// shuffling beyond the generator's own order. Trains on TF.js's CPU backend
// (the WebAssembly backend has no convolution gradients), with the faster
// filter gradients of fast-grads.ts.

import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Sequential } from "@tensorflow/tfjs";
import { loadTfForTraining, type Tf } from "../../src/tfjs/backend.js";
import { directorySaveHandler } from "../../src/tfjs/io.js";
import { installFastConvGradients } from "./fast-grads.js";
import { EXAMPLES, writeHoldout, writeSamples, type ExampleName, type Samples } from "./data.js";

const modelsDir = join(dirname(fileURLToPath(import.meta.url)), "..", "models");

/** KWS: conv → BN → ReLU (folded/fused by the loader), depthwise + pointwise, pool, dense. */
function kwsModel(tf: Tf): Sequential {
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  const m = tf.sequential({ name: "kws_cnn" });
  m.add(tf.layers.conv2d({ inputShape: [49, 40, 1], filters: 8, kernelSize: [10, 8], strides: 2, padding: "same", useBias: false, kernelInitializer: init(1) }));
  m.add(tf.layers.batchNormalization({}));
  m.add(tf.layers.reLU({}));
  m.add(tf.layers.depthwiseConv2d({ kernelSize: 3, padding: "same", activation: "relu", depthwiseInitializer: init(2) }));
  m.add(tf.layers.conv2d({ filters: 16, kernelSize: 1, activation: "relu", kernelInitializer: init(3) }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.flatten({}));
  m.add(tf.layers.dropout({ rate: 0.2, seed: 4 }));
  m.add(tf.layers.dense({ units: 5, activation: "softmax", kernelInitializer: init(5) }));
  return m;
}

/** Tiny image: conv, pool, separable conv, global average pool, dense. */
function imageModel(tf: Tf): Sequential {
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  const m = tf.sequential({ name: "tiny_image" });
  m.add(tf.layers.conv2d({ inputShape: [16, 16, 1], filters: 8, kernelSize: 3, padding: "same", activation: "relu", kernelInitializer: init(21) }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.separableConv2d({
    filters: 16, kernelSize: 3, padding: "same", activation: "relu", depthwiseInitializer: init(22), pointwiseInitializer: init(23),
  }));
  m.add(tf.layers.globalAveragePooling2d({}));
  m.add(tf.layers.dense({ units: 4, activation: "softmax", kernelInitializer: init(24) }));
  return m;
}

const BUILDERS: Record<ExampleName, { build: (tf: Tf) => Sequential; epochs: number }> = {
  kws_cnn: { build: kwsModel, epochs: 8 },
  tiny_image: { build: imageModel, epochs: 30 },
};

function tensors(tf: Tf, s: Samples) {
  const n = s.shape.reduce((a, b) => a * b, 1);
  const flat = new Float32Array(s.x.length * n);
  s.x.forEach((v, k) => flat.set(v, k * n));
  return {
    x: tf.tensor(flat, [s.x.length, ...s.shape]),
    y: tf.oneHot(tf.tensor1d(s.y, "int32"), s.classes.length),
  };
}

async function train(tf: Tf, name: ExampleName, withHoldout: boolean): Promise<void> {
  const e = EXAMPLES[name];
  const t0 = Date.now();
  const { build, epochs } = BUILDERS[name];
  const model = build(tf);
  model.compile({ optimizer: tf.train.adam(0.005), loss: "categoricalCrossentropy", metrics: ["accuracy"] });
  const trainSet = tensors(tf, e.make(e.train.count, e.train.seed));
  await model.fit(trainSet.x, trainSet.y, { epochs, batchSize: 16, shuffle: false, verbose: 0 });
  const hold = e.make(e.holdout.count, e.holdout.seed);
  const h = tensors(tf, hold);
  const pred = (model.predict(h.x) as ReturnType<Tf["tensor"]>).argMax(-1).dataSync();
  const acc = hold.y.filter((c, i) => pred[i] === c).length / hold.y.length;
  const dir = join(modelsDir, name);
  await model.save(directorySaveHandler(tf, dir));
  writeSamples(join(dir, "calib"), e.make(e.calib.count, e.calib.seed));
  writeFileSync(join(dir, ".gitignore"), "holdout/\n");
  if (withHoldout) writeHoldout(name, join(dir, "holdout"));
  console.log(`${name}: ${model.countParams()} params, ${epochs} epochs, float holdout accuracy ${(acc * 100).toFixed(2)}% ` +
    `(${hold.y.length} samples), ${((Date.now() - t0) / 1000).toFixed(1)} s → ${dir}`);
}

const args = process.argv.slice(2);
const names = args.filter((a) => !a.startsWith("--")) as ExampleName[];
const tf = await loadTfForTraining();
if (tf.getBackend() === "cpu") installFastConvGradients(tf);
for (const name of names.length > 0 ? names : (Object.keys(EXAMPLES) as ExampleName[])) {
  if (!(name in EXAMPLES)) throw new Error(`unknown example '${name}': ${Object.keys(EXAMPLES).join(", ")}`);
  await train(tf, name, args.includes("--holdout"));
}
