// The Keras loaders: Keras 2 HDF5 (.h5) and Keras 3 zip (.keras) files both
// hold a Keras layer graph, which the shared walk (src/model/layers/) turns
// into the same float32 IR as a TF.js Layers model.

import { TinymlError } from "../../errors.js";
import type { Model } from "../ir.js";
import type { ModelLoader } from "../model-loader.js";
import { convertLayerGraph } from "../layers/walk.js";
import { notAModel } from "../sniff.js";
import { withH5 } from "./h5.js";
import { hasModelConfig, readKeras2 } from "./keras2.js";
import { isKerasArchive, normaliseKeras3, openKerasArchive, readKeras3Weights } from "./keras3.js";

function model(graph: Model["graphs"][number], what: string): Model {
  return { version: 3, description: `tinyml: converted from a ${what}`, graphs: [graph], metadata: [], signatures: [] };
}

export async function loadKerasH5(path: string, bytes: Uint8Array): Promise<Model> {
  const { topology, weights, kerasVersion } = await withH5(bytes, "the model", (f) => {
    if (!hasModelConfig(f)) {
      const { what, hint } = notAModel("hdf5", path);
      throw new TinymlError("TML_E_FORMAT_UNKNOWN", `unrecognised model format: the file is ${what}`, { hint });
    }
    return readKeras2(f);
  });
  return model(convertLayerGraph(topology, weights), `Keras ${kerasVersion ?? "2"} HDF5 model`);
}

export async function loadKerasArchive(_path: string, bytes: Uint8Array): Promise<Model> {
  const archive = openKerasArchive(bytes);
  const topology = normaliseKeras3(archive.config);
  const weights = await withH5(archive.weights, "model.weights.h5", (f) => readKeras3Weights(f, topology));
  return model(convertLayerGraph(topology, weights), `Keras ${archive.kerasVersion ?? "3"} model (.keras)`);
}

export const kerasH5Loader: ModelLoader = {
  format: "keras-h5",
  // Any HDF5 file: one without a model_config is named for what it is at load.
  recognises: (_path, _bytes, kind) => kind === "hdf5",
  load: loadKerasH5,
};

export const kerasZipLoader: ModelLoader = {
  format: "keras",
  recognises: (_path, bytes, kind) => kind === "zip" && isKerasArchive(bytes),
  load: loadKerasArchive,
};
