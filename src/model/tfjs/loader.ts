// The TF.js Layers loader: model.json's modelTopology is a Keras layer
// graph, its weights live in the binary shards the manifest names.

import { extname } from "node:path";
import type { Model } from "../ir.js";
import type { ModelLoader } from "../model-loader.js";
import { convertLayerGraph } from "../layers/walk.js";
import { parseTinymlMetadata, withTinymlMetadata } from "../tinyml-metadata.js";
import { parseModelJson } from "./format.js";
import { readWeights } from "./weights.js";

/** Converts a Layers model.json (with its weight shards beside it) into a float32 IR Model. */
export function loadTfjsLayers(path: string, bytes: Uint8Array): Model {
  const json = parseModelJson(bytes);
  const weights = readWeights(path, json.weightsManifest);
  const graph = convertLayerGraph(json.modelTopology, {
    get: (_l, layer, key) => weights.get(`${layer}/${key}`),
    hint: "model.json and its weights do not match; re-save the model.",
  });
  const model: Model = { version: 3, description: "tinyml: converted from a TF.js Layers model", graphs: [graph], metadata: [], signatures: [] };
  return json.tinyml === undefined ? model : withTinymlMetadata(model, parseTinymlMetadata(json.tinyml, path));
}

function looksLikeLayersModel(path: string, bytes: Uint8Array): boolean {
  if (extname(path).toLowerCase() !== ".json") return false;
  const head = new TextDecoder().decode(bytes.subarray(0, 4096));
  return head.trimStart().startsWith("{") && head.includes('"modelTopology"');
}

export const tfjsLayersLoader: ModelLoader = {
  format: "tfjs-layers",
  recognises: looksLikeLayersModel,
  load: loadTfjsLayers,
};
