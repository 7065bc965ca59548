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
import { rng, shuffle } from "../util/rng.js";

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
  /** Heads trained from different seeds; the best on validation is kept (default 1). */
  restarts?: number;
  /** With validation: stop a head after this many epochs without a lower validation loss, keeping its best epoch. */
  patience?: number;
  /** Held-out embeddings and labels to pick epochs and restarts by. */
  val?: { emb: Float32Array[]; y: number[] };
  onBatch?: (epoch: number, done: number, total: number) => void;
  onEpochEnd?: (epoch: number, loss: number, acc: number) => void;
  onRestart?: (restart: number, of: number) => void;
}

export interface RestartResult {
  seed: number;
  /** Epochs run (early stopping may end before --epochs) and the one kept. */
  epochs: number;
  bestEpoch: number;
  trainLoss: number;
  valLoss: number | null;
  valAccuracy: number | null;
}

export interface TrainedHead {
  head: Layer;
  /** Index into restarts of the head kept. */
  kept: number;
  restarts: RestartResult[];
  /** Class weights the loss used: the classes balanced to the same total weight. */
  classWeights: number[];
}

/** Each class weighs N / (classes × its count): background and unknown count as much as the keyword. */
export function balancedClassWeights(y: readonly number[], classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const c of y) counts[c]!++;
  return counts.map((n) => (n === 0 ? 0 : y.length / (classes * n)));
}

function shuffled(n: number, seed: number): number[] {
  return shuffle(Array.from({ length: n }, (_, i) => i), rng(seed));
}

/** Mean cross-entropy and accuracy of a softmax model on embeddings. */
function score(tf: Tf, m: LayersModel, xs: Tensor, y: readonly number[]): { loss: number; accuracy: number } {
  const p = tf.tidy(() => (m.predict(xs) as Tensor).dataSync() as Float32Array);
  const classes = p.length / y.length;
  let loss = 0, correct = 0;
  y.forEach((c, i) => {
    const row = p.subarray(i * classes, (i + 1) * classes);
    loss -= Math.log(Math.max(row[c]!, 1e-7));
    let best = 0;
    for (let k = 1; k < classes; k++) if (row[k]! > row[best]!) best = k;
    if (best === c) correct++;
  });
  return { loss: loss / y.length, accuracy: correct / y.length };
}

/**
 * Trains Dense softmax heads on embeddings with class-balanced weights, from
 * `restarts` seeds, each stopped early on the validation loss and rolled
 * back to its best epoch; keeps the head with the best validation accuracy
 * (then loss). Without validation, the restart with the lowest training loss.
 */
export async function trainHead(tf: Tf, emb: Float32Array[], y: number[], classes: number, name: string, opts: HeadTraining): Promise<TrainedHead> {
  const dim = emb[0]!.length;
  const restarts = Math.max(1, opts.restarts ?? 1);
  const classWeights = balancedClassWeights(y, classes);
  const valXs = opts.val && opts.val.y.length > 0 ? tf.tensor2d(flatten(opts.val.emb, dim), [opts.val.y.length, dim]) : undefined;
  const results: RestartResult[] = [];
  let kept = -1;
  let keptHead: Layer | undefined;
  const better = (a: RestartResult, b: RestartResult): boolean =>
    a.valAccuracy !== null && b.valAccuracy !== null
      ? a.valAccuracy > b.valAccuracy || (a.valAccuracy === b.valAccuracy && a.valLoss! < b.valLoss!)
      : a.trainLoss < b.trainLoss;
  for (let k = 0; k < restarts; k++) {
    opts.onRestart?.(k, restarts);
    const seed = opts.seed + 7919 * k;
    // Seeded order, fixed across epochs: TF.js's own shuffle is not seedable.
    const order = shuffled(emb.length, seed);
    const xs = tf.tensor2d(flatten(order.map((i) => emb[i]!), dim), [order.length, dim]);
    const ys = tf.oneHot(tf.tensor1d(order.map((i) => y[i]!), "int32"), classes);
    const head = tf.layers.dense({ name, units: classes, activation: "softmax", kernelInitializer: tf.initializers.glorotUniform({ seed }) });
    const m = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [dim] }), head] });
    m.compile({ optimizer: tf.train.adam(0.005), loss: "categoricalCrossentropy", metrics: ["accuracy"] });
    const batchSize = 16;
    const batches = Math.ceil(order.length / batchSize);
    let best: { epoch: number; loss: number; weights: Tensor[] } | undefined;
    let trainLoss = NaN, epoch = 0;
    for (; epoch < opts.epochs; epoch++) {
      const h = await m.fit(xs, ys, {
        epochs: 1, batchSize, shuffle: false, verbose: 0, classWeight: Object.fromEntries(classWeights.map((w, c) => [c, w])),
        callbacks: { onBatchEnd: async (b) => { opts.onBatch?.(epoch, b + 1, batches); } },
      });
      trainLoss = Number(h.history.loss?.[0] ?? NaN);
      opts.onEpochEnd?.(epoch, trainLoss, Number(h.history.acc?.[0] ?? NaN));
      if (!valXs) continue;
      const v = score(tf, m, valXs, opts.val!.y);
      if (!best || v.loss < best.loss) {
        best?.weights.forEach((w) => w.dispose());
        best = { epoch, loss: v.loss, weights: head.getWeights().map((w) => w.clone()) };
      } else if (opts.patience !== undefined && epoch - best.epoch >= opts.patience) {
        epoch++;
        break;
      }
    }
    if (best) {
      head.setWeights(best.weights);
      best.weights.forEach((w) => w.dispose());
    }
    const v = valXs ? score(tf, m, valXs, opts.val!.y) : undefined;
    const result: RestartResult = {
      seed, epochs: epoch, bestEpoch: best ? best.epoch + 1 : epoch, trainLoss,
      valLoss: v ? v.loss : null, valAccuracy: v ? v.accuracy : null,
    };
    results.push(result);
    xs.dispose();
    ys.dispose();
    if (kept < 0 || better(result, results[kept]!)) {
      kept = k;
      keptHead = head;
    }
  }
  valXs?.dispose();
  return { head: keptHead!, kept, restarts: results, classWeights };
}

function flatten(rows: readonly Float32Array[], dim: number): Float32Array {
  const flat = new Float32Array(rows.length * dim);
  rows.forEach((r, k) => flat.set(r, k * dim));
  return flat;
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
