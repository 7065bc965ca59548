// A keyword classifier as `tinyml evaluate` runs it: 1 s windows in, the
// predicted class out, the features always from the device's frontend. A TF.js
// Layers model (finetune's model.json) runs in TF.js on the features in float,
// exactly what finetune trained it on; any other model runs in the bit-exact
// reference interpreter, an int8 .tflite on the int8 features the device
// would copy into its input (so its scores are the device's), a float one on
// the same features dequantized.

import { TinymlError } from "../errors.js";
import { mainGraph, numElements } from "../model/graph.js";
import type { LoadedModel } from "../model/load.js";
import { prepareReference } from "../reference/interpreter.js";
import { loadTfjsFloatModel } from "../tfjs/float-reference.js";
import { checkFeatureScale } from "../wakeword/feature-scale.js";
import { FEATURE_COUNT, FEATURE_SIZE } from "../wakeword/settings.js";
import { clipFeaturesInt8, dequantizeFeatures } from "./features.js";
import type { Model } from "../model/ir.js";

export interface Scorer {
  /** How the model was run, for the report. */
  engine: "tfjs" | "reference-int8" | "reference-float";
  /** Each 1 s window's scores: the int8 output as the device computes it, else float probabilities. */
  score(windows: readonly Int16Array[]): number[][];
  dispose(): void;
}

/** The predicted class: the highest score, the first of equal ones (as argmax everywhere). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

export async function classifierScorer(loaded: LoadedModel, frontend: Model): Promise<Scorer> {
  const g = mainGraph(loaded.model);
  const input = g.inputs.length === 1 ? g.tensors[g.inputs[0]!]! : undefined;
  if (!input || numElements(input.shape) !== FEATURE_COUNT * FEATURE_SIZE) {
    throw new TinymlError("TML_E_MODEL_UNSUPPORTED", `a keyword classifier reads one ${FEATURE_COUNT}×${FEATURE_SIZE} feature window; this model reads ${g.inputs.map((i) => `[${g.tensors[i]!.shape.join("×")}]`).join(", ")}`, {
      location: { file: loaded.path },
      hint: "Evaluate a micro_speech-style classifier: a model from tinyml finetune, its quantized .tflite, or examples/models/micro_speech.tflite.",
    });
  }
  const features = (w: Int16Array): Int8Array => clipFeaturesInt8(frontend, w);
  if (loaded.format === "tfjs-layers") {
    const tfjs = await loadTfjsFloatModel(loaded.path);
    return {
      engine: "tfjs",
      score: (windows) => {
        const out: number[][] = [];
        // In batches: TF.js holds one batch's tensors at a time.
        for (let at = 0; at < windows.length; at += 64) {
          const batch = windows.slice(at, at + 64).map((w) => [dequantizeFeatures(features(w))]);
          out.push(...tfjs.predict(batch).map((ys) => Array.from(ys[0]!)));
        }
        return out;
      },
      dispose: () => tfjs.dispose(),
    };
  }
  const int8 = input.dtype === "int8";
  if (int8) checkFeatureScale(loaded);
  const interp = prepareReference(loaded.model);
  return {
    engine: int8 ? "reference-int8" : "reference-float",
    score: (windows) => windows.map((w) => {
      const q = features(w);
      return Array.from(interp.invoke([int8 ? q : dequantizeFeatures(q)])[0] as ArrayLike<number>);
    }),
    dispose: () => {},
  };
}
