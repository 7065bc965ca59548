// Keras 2's HDF5 model file (model.save('model.h5')): the topology is the
// JSON string attribute `model_config`; the weights are datasets under
// model_weights/<layer>/, listed in order by the layer group's
// `weight_names` attribute ("conv2d/kernel:0", "batch_normalization/gamma:0").

import { TinymlError } from "../../errors.js";
import { checkLayerGraph, type LayerGraphJson, type LoadedWeight } from "../layers/config.js";
import type { WeightSource } from "../layers/walk.js";
import { floatValues, isDataset, isGroup, stringAttr, stringListAttr, type H5File } from "./h5.js";

const HINT = "Save the whole model again with model.save('model.h5') (Keras 2) or model.save('model.keras') (Keras 3).";

export interface Keras2Model {
  topology: LayerGraphJson;
  kerasVersion?: string;
  weights: WeightSource;
}

/** True when the HDF5 file holds a Keras model (not only weights). */
export function hasModelConfig(f: H5File): boolean {
  return stringAttr(f, "model_config") !== undefined;
}

/** The weight's key within its layer: "dense/kernel:0" → "kernel". */
export function weightKey(name: string): string {
  const last = name.split("/").pop() ?? name;
  return last.replace(/:\d+$/, "");
}

export function readLayerWeights(f: H5File): Map<string, Map<string, LoadedWeight>> {
  const out = new Map<string, Map<string, LoadedWeight>>();
  const root = f.get("model_weights");
  if (!isGroup(root)) return out;
  for (const layer of root.keys()) {
    const g = root.get(layer);
    if (!isGroup(g)) continue;
    const names = stringListAttr(g, "weight_names") ?? [];
    const weights = new Map<string, LoadedWeight>();
    for (const n of names) {
      const d = g.get(n);
      if (!isDataset(d)) {
        throw new TinymlError("TML_E_WEIGHTS_INVALID", `model_weights/${layer} lists weight '${n}', which the file does not hold`, { hint: HINT });
      }
      weights.set(weightKey(n), floatValues(d, `${layer}/${n}`));
    }
    out.set(layer, weights);
  }
  return out;
}

export function readKeras2(f: H5File): Keras2Model {
  const text = stringAttr(f, "model_config")!;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new TinymlError("TML_E_MODEL_INVALID", `model_config is not valid JSON: ${(e as Error).message}`, { hint: HINT });
  }
  const topology = checkLayerGraph(parsed, "model_config", HINT);
  const layers = readLayerWeights(f);
  const kerasVersion = stringAttr(f, "keras_version");
  return {
    topology,
    ...(kerasVersion ? { kerasVersion } : {}),
    weights: { get: (_l, name, key) => layers.get(name)?.get(key), hint: HINT },
  };
}
