// The device copies the frontend's int8 features straight into the
// classifier's input, so its input must read them in their scale; a
// classifier quantized with a calibrated input scale would misread every one.
// Checked where a classifier meets the features: the wake-word build and
// `tinyml evaluate`.

import { TinymlError } from "../errors.js";
import { mainGraph } from "../model/graph.js";
import type { LoadedModel } from "../model/load.js";
import { FEATURE_SCALE, FEATURE_ZERO_POINT } from "./settings.js";

export function checkFeatureScale(classifier: LoadedModel): void {
  const g = mainGraph(classifier.model);
  const q = g.tensors[g.inputs[0]!]!.quantization;
  const scale = q?.scale[0], zp = q?.zeroPoint[0];
  // Within float32 rounding of the same decimal: the int8 bytes mean the same features.
  if (scale !== undefined && Math.abs(scale / FEATURE_SCALE - 1) < 1e-5 && zp === FEATURE_ZERO_POINT) return;
  throw new TinymlError("TML_E_MODEL_UNSUPPORTED", `the classifier's int8 input is in scale ${scale ?? "none"}, zero point ${zp ?? "none"}, but the frontend's features are in scale ${FEATURE_SCALE}, zero point ${FEATURE_ZERO_POINT}`, {
    location: { file: classifier.path },
    hint: "Quantize the classifier with its input pinned to the features' scale: models from tinyml finetune record it, and tinyml quantize applies it.",
  });
}
