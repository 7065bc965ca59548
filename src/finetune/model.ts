// The TF.js side of fine-tuning. The base model is cut at its feature layer
// (the end of the frozen part); those layers are run once per clip to get
// embeddings, and only a new Dense softmax head is trained on them. Training
// just the head needs no convolution gradients, so it runs on every TF.js
// backend (the WebAssembly one has none), and it is fast: the frozen layers
// run forward once per clip instead of once per epoch.

import type { LayersModel, Tensor, layers as Layers, SymbolicTensor } from "@tensorflow/tfjs";
import { TinymlError } from "../errors.js";
import type { Tf } from "../tfjs/backend.js";
import { FEATURE_COUNT, FEATURE_SIZE } from "../wakeword/settings.js";
import { rng } from "./augment.js";

type Layer = Layers.Layer;

/** Layer class names that end a feature extractor with a flat vector. */
const FEATURE_CLASSES = new Set(["Flatten", "GlobalAveragePooling2D", "GlobalMaxPooling2D", "GlobalAveragePooling1D", "GlobalMaxPooling1D"]);
export const DEFAULT_FEATURE_LAYER = "embedding";

function flatShape(l: Layer): number | undefined {
  const shape = l.outputShape as (number | null)[];
  return Array.isArray(shape) && shape.length === 2 && typeof shape[1] === "number" ? shape[1] : undefined;
}

/** The layers one could freeze up to: every flat-output layer but the last. */
function candidates(model: LayersModel): string[] {
  return model.layers.slice(0, -1).filter((l) => flatShape(l) !== undefined).map((l) => `${l.name} (${l.getClassName()})`);
}

/** The layer the frozen part ends with: `requested`, else `embedding`, else the last Flatten/global pooling. */
export function featureLayer(model: LayersModel, file: string, requested?: string): Layer {
  const names = model.layers.map((l) => l.name);
  const cands = candidates(model);
  const hint = cands.length > 0
    ? `Name the layer whose output is the feature vector with --freeze: ${cands.join(", ")}.`
    : "The base model needs a layer with a flat output (Flatten or GlobalAveragePooling2D) before its classifier; add one, name it 'embedding', and retrain it.";
  let layer: Layer | undefined;
  if (requested !== undefined) {
    layer = model.layers.find((l) => l.name === requested);
    if (!layer) throw new TinymlError("TML_E_USAGE", `--freeze ${requested}: the model has no layer named '${requested}' (it has ${names.join(", ")})`, { location: { file }, hint });
  } else {
    layer = model.layers.find((l) => l.name === DEFAULT_FEATURE_LAYER)
      ?? [...model.layers].reverse().find((l) => FEATURE_CLASSES.has(l.getClassName()));
    if (!layer) {
      throw new TinymlError("TML_E_MODEL_UNSUPPORTED", `cannot tell where the features end and the classifier head starts: no layer is named '${DEFAULT_FEATURE_LAYER}' and there is no Flatten or global pooling layer`, { location: { file }, hint });
    }
  }
  if (layer === model.layers[model.layers.length - 1]) {
    throw new TinymlError("TML_E_MODEL_UNSUPPORTED", `layer '${layer.name}' is the model's output; the frozen part must end before the classifier head`, { location: { file }, hint });
  }
  if (flatShape(layer) === undefined) {
    throw new TinymlError("TML_E_MODEL_UNSUPPORTED", `layer '${layer.name}' outputs shape [${String(layer.outputShape)}]; the new head needs a flat feature vector [batch, N]`, { location: { file }, hint });
  }
  return layer;
}

/** The base must read micro_speech's feature window: 49 frames × 40 features. */
export function checkInput(model: LayersModel, file: string): number[] {
  if (model.inputs.length !== 1) {
    throw new TinymlError("TML_E_MODEL_UNSUPPORTED", `the base model has ${model.inputs.length} inputs; fine-tuning needs one (the 49×40 feature window)`, { location: { file } });
  }
  const shape = model.inputs[0]!.shape.slice(1).map((d) => d ?? -1);
  if (shape.reduce((a, b) => a * b, 1) !== FEATURE_COUNT * FEATURE_SIZE) {
    throw new TinymlError("TML_E_MODEL_UNSUPPORTED", `the base model reads [${shape.join(", ")}], not the frontend's ${FEATURE_COUNT}×${FEATURE_SIZE} feature window`, {
      location: { file },
      hint: "Start from a keyword model on micro_speech features, e.g. examples/models/kws_base/model.json.",
    });
  }
  return shape;
}

/** Runs the frozen part on feature windows, 64 at a time. */
export function embed(tf: Tf, base: LayersModel, feature: Layer, inputShape: number[], xs: Float32Array[]): Float32Array[] {
  const extractor = tf.model({ inputs: base.inputs, outputs: feature.output as SymbolicTensor });
  const out: Float32Array[] = [];
  const n = xs[0]?.length ?? 0;
  for (let at = 0; at < xs.length; at += 64) {
    const batch = xs.slice(at, at + 64);
    const flat = new Float32Array(batch.length * n);
    batch.forEach((x, k) => flat.set(x, k * n));
    const y = tf.tidy(() => (extractor.predict(tf.tensor(flat, [batch.length, ...inputShape])) as Tensor).dataSync() as Float32Array);
    const d = y.length / batch.length;
    for (let k = 0; k < batch.length; k++) out.push(y.slice(k * d, (k + 1) * d));
  }
  return out;
}

export interface HeadTraining {
  epochs: number;
  seed: number;
  onBatch?: (epoch: number, done: number, total: number) => void;
  onEpochEnd?: (epoch: number, loss: number, acc: number) => void;
}

/** Trains a Dense softmax on embeddings; returns it as a layer to put on the base. */
export async function trainHead(tf: Tf, emb: Float32Array[], y: number[], classes: number, name: string, opts: HeadTraining): Promise<Layer> {
  const dim = emb[0]!.length;
  // Seeded order, fixed across epochs: TF.js's own shuffle is not seedable.
  const order = emb.map((_, i) => i);
  const r = rng(opts.seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const flat = new Float32Array(order.length * dim);
  order.forEach((i, k) => flat.set(emb[i]!, k * dim));
  const xs = tf.tensor2d(flat, [order.length, dim]);
  const ys = tf.oneHot(tf.tensor1d(order.map((i) => y[i]!), "int32"), classes);
  const head = tf.layers.dense({ name, units: classes, activation: "softmax", kernelInitializer: tf.initializers.glorotUniform({ seed: opts.seed }) });
  const m = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [dim] }), head] });
  m.compile({ optimizer: tf.train.adam(0.005), loss: "categoricalCrossentropy", metrics: ["accuracy"] });
  const batchSize = 16;
  const batches = Math.ceil(order.length / batchSize);
  let epoch = 0;
  await m.fit(xs, ys, {
    epochs: opts.epochs, batchSize, shuffle: false, verbose: 0,
    callbacks: {
      onEpochBegin: async (e) => { epoch = e; },
      onBatchEnd: async (b) => { opts.onBatch?.(epoch, b + 1, batches); },
      onEpochEnd: async (e, logs) => { opts.onEpochEnd?.(e, logs?.loss ?? NaN, logs?.acc ?? NaN); },
    },
  });
  xs.dispose();
  ys.dispose();
  return head;
}

/** The base up to the frozen feature layer (marked untrainable) with the new head on top. */
export function assemble(tf: Tf, base: LayersModel, feature: Layer, head: Layer, name: string): LayersModel {
  for (const l of base.layers) l.trainable = false;
  const outputs = head.apply(feature.output as SymbolicTensor) as SymbolicTensor;
  return tf.model({ name, inputs: base.inputs, outputs });
}

/** Class index per sample. */
export function predictClasses(tf: Tf, model: LayersModel, inputShape: number[], xs: Float32Array[]): number[] {
  const n = xs[0]?.length ?? 0;
  const flat = new Float32Array(xs.length * n);
  xs.forEach((x, k) => flat.set(x, k * n));
  return tf.tidy(() => Array.from((model.predict(tf.tensor(flat, [xs.length, ...inputShape])) as Tensor).argMax(-1).dataSync()));
}
