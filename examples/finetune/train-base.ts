// Trains the base keyword model that `tinyml finetune` starts from, and
// saves it as a TF.js Layers model in examples/models/kws_base/:
//
//   npx tsx examples/finetune/train-base.ts
//
// Many words in TRAIN_VOICES (corpus.ts) so the conv layers learn features of
// speech in general rather than of a few keywords; the voices in
// HELDOUT_VOICES are never used here (the fine-tuning test listens to them).
// Features come from the device's frontend through our reference
// (src/finetune/features.ts). The layer named `embedding` (a Flatten) is
// where the feature extractor ends and the classifier head starts.
//
// Deterministic: seeded utterances, placement, noise, initializers, dropout
// and no shuffling. Trains on TF.js's CPU backend (the WebAssembly backend has
// no conv filter gradients) with the faster gradients of fast-grads.ts:
// about 6 min of CPU time (synthesis ~30 s, features ~10 s, 14 epochs ~40 s
// each). 8 epochs is faster but its embedding transfers worse (fine-tuned
// "marvin" accuracy on held-out voices 86% against 92%).

import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Sequential, Tensor } from "@tensorflow/tfjs";
import { loadTfForTraining, type Tf } from "../../src/tfjs/backend.js";
import { directorySaveHandler } from "../../src/tfjs/io.js";
import { clipFeatures, FEATURE_SHAPE, loadFrontend } from "../../src/finetune/features.js";
import { installFastConvGradients } from "../train/fast-grads.js";
import { rng } from "../train/data.js";
import { noiseClip, placeInClip, requireTools, synthesize, TRAIN_VOICES, utterances } from "./corpus.js";

/** Speech Commands-like vocabulary; never "marvin" (the fine-tuning test's new keyword). */
export const BASE_WORDS = [
  "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
  "yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go",
  "bed", "bird", "cat", "dog", "happy", "house", "tree", "wow", "learn", "follow",
];
const CLASSES = ["_silence", ...BASE_WORDS];
const PER_VOICE = 4;
const PLACEMENTS = 1;
const SILENCE_CLIPS = 150;
const EPOCHS = 14;
const outDir = join(dirname(fileURLToPath(import.meta.url)), "..", "models", "kws_base");

function baseModel(tf: Tf, classes: number): Sequential {
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  const m = tf.sequential({ name: "kws_base" });
  m.add(tf.layers.conv2d({ name: "conv1", inputShape: [...FEATURE_SHAPE], filters: 16, kernelSize: [5, 5], strides: 2, padding: "same", useBias: false, kernelInitializer: init(1) }));
  m.add(tf.layers.batchNormalization({ name: "bn1" }));
  m.add(tf.layers.reLU({ name: "relu1" }));
  m.add(tf.layers.depthwiseConv2d({ name: "dw2", kernelSize: 3, strides: 2, padding: "same", activation: "relu", depthwiseInitializer: init(2) }));
  m.add(tf.layers.conv2d({ name: "pw2", filters: 32, kernelSize: 1, activation: "relu", kernelInitializer: init(3) }));
  m.add(tf.layers.maxPooling2d({ name: "pool", poolSize: 2 }));
  m.add(tf.layers.flatten({ name: "embedding" }));
  m.add(tf.layers.dropout({ name: "dropout", rate: 0.3, seed: 6 }));
  m.add(tf.layers.dense({ name: "head", units: classes, activation: "softmax", kernelInitializer: init(7) }));
  return m;
}

async function main(): Promise<void> {
  const missing = await requireTools();
  if (missing) throw new Error(missing);
  const t0 = Date.now();
  const utts = utterances(BASE_WORDS, TRAIN_VOICES, PER_VOICE, 100);
  const audio = await synthesize(utts, (d) => { if (d % 100 === 0) process.stderr.write(`\rsynthesized ${d}/${utts.length}`); });
  process.stderr.write(`\nsynthesized ${utts.length} utterances in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  const r = rng(200);
  const frontend = loadFrontend();
  const x: Float32Array[] = [];
  const y: number[] = [];
  utts.forEach((u, k) => {
    for (let p = 0; p < PLACEMENTS; p++) {
      x.push(clipFeatures(frontend, placeInClip(audio[k]!, r, r() < 0.7 ? noiseClip(r) : undefined)));
      y.push(CLASSES.indexOf(u.word));
    }
  });
  for (let k = 0; k < SILENCE_CLIPS; k++) {
    x.push(clipFeatures(frontend, noiseClip(r, 4000)));
    y.push(0);
  }
  process.stderr.write(`features of ${x.length} clips after ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);

  // Every 10th utterance's clips validate (same voices: this checks fitting, not transfer).
  const isVal = (i: number): boolean => i < utts.length * PLACEMENTS && Math.floor(i / PLACEMENTS) % 10 === 9;
  const tf = await loadTfForTraining();
  if (tf.getBackend() === "cpu") installFastConvGradients(tf);
  const tensors = (idx: number[]): { xs: Tensor; ys: Tensor } => {
    const n = x[0]!.length;
    const flat = new Float32Array(idx.length * n);
    idx.forEach((i, k) => flat.set(x[i]!, k * n));
    return { xs: tf.tensor(flat, [idx.length, ...FEATURE_SHAPE]), ys: tf.oneHot(tf.tensor1d(idx.map((i) => y[i]!), "int32"), CLASSES.length) };
  };
  // A fixed interleaving so batches mix classes without runtime shuffling.
  const order = x.map((_, i) => i).filter((i) => !isVal(i));
  const pr = rng(300);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(pr() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const train = tensors(order);
  const valIdx = x.map((_, i) => i).filter(isVal);
  const val = tensors(valIdx);
  const model = baseModel(tf, CLASSES.length);
  model.compile({ optimizer: tf.train.adam(0.003), loss: "categoricalCrossentropy", metrics: ["accuracy"] });
  await model.fit(train.xs, train.ys, {
    epochs: EPOCHS, batchSize: 32, shuffle: false, verbose: 0,
    callbacks: { onEpochEnd: (e, logs) => { process.stderr.write(`epoch ${e + 1}/${EPOCHS} loss ${logs?.loss?.toFixed(3)} acc ${logs?.acc?.toFixed(3)} (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`); } },
  });
  const pred = (model.predict(val.xs) as Tensor).argMax(-1).dataSync();
  const acc = valIdx.filter((i, k) => pred[k] === y[i]).length / valIdx.length;
  await model.save(directorySaveHandler(tf, outDir));
  const { writeFileSync } = await import("node:fs");
  writeFileSync(join(outDir, "labels.txt"), `${CLASSES.join("\n")}\n`);
  console.log(`kws_base: ${CLASSES.length} classes, ${model.countParams()} params, ${x.length} clips, ${EPOCHS} epochs, ` +
    `validation accuracy ${(acc * 100).toFixed(2)}% (${valIdx.length} clips), ${((Date.now() - t0) / 1000).toFixed(1)} s → ${outDir}`);
}

await main();
