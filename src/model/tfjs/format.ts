// The TF.js Layers model.json as `model.save()` writes it (tfjs-layers'
// ModelArtifacts serialized to JSON). Its modelTopology is a Keras layer
// graph (src/model/layers/).

import { TinymlError } from "../../errors.js";
import { checkLayerGraph, isRecord, type LayerGraphJson } from "../layers/config.js";

const HINT = "Re-save the model with model.save() from @tensorflow/tfjs or tfjs-node.";

export interface WeightEntry {
  name: string;
  shape: number[];
  dtype: string;
  /** Present when tfjs-converter quantized the weights for download size. */
  quantization?: { dtype: string; scale?: number; min?: number };
}

export interface WeightsGroup {
  paths: string[];
  weights: WeightEntry[];
}

export interface ModelJson {
  format?: string;
  modelTopology: LayerGraphJson;
  weightsManifest: WeightsGroup[];
  /** userDefinedMetadata.tinyml, unchecked (src/model/tinyml-metadata.ts checks it). */
  tinyml?: unknown;
}

function invalid(message: string, detail?: string): never {
  throw new TinymlError("TML_E_MODEL_INVALID", message, {
    location: detail ? { detail } : undefined,
    hint: HINT,
  });
}

/** Checks the parts of model.json the loader relies on. */
export function parseModelJson(bytes: Uint8Array): ModelJson {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    invalid(`model.json is not valid JSON: ${(e as Error).message}`);
  }
  if (!isRecord(parsed)) invalid("model.json is not a JSON object");
  const topo = parsed.modelTopology;
  if (!isRecord(topo)) invalid("model.json has no modelTopology (is it a graph model? tinyml reads Layers models)");
  // tfjs-converter nests the Keras topology one level down under model_config.
  const keras = checkLayerGraph(isRecord(topo.model_config) ? topo.model_config : topo, "model.json", HINT);
  const manifest = parsed.weightsManifest ?? [];
  if (!Array.isArray(manifest)) invalid("weightsManifest is not a list");
  for (const [i, g] of manifest.entries()) {
    if (!isRecord(g) || !Array.isArray(g.paths) || !Array.isArray(g.weights)) invalid(`weightsManifest[${i}] needs paths and weights`);
    for (const w of g.weights) {
      if (!isRecord(w) || typeof w.name !== "string" || !Array.isArray(w.shape) || typeof w.dtype !== "string") {
        invalid(`weightsManifest[${i}] has a weight without name, shape or dtype`);
      }
    }
  }
  const user = parsed.userDefinedMetadata;
  return {
    modelTopology: keras,
    weightsManifest: manifest as WeightsGroup[],
    ...(isRecord(user) && user.tinyml !== undefined ? { tinyml: user.tinyml } : {}),
  };
}
