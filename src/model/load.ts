// Loading a model file of any supported format into the IR: the only place
// that knows formats. Each format is a loader that recognises its files by
// their bytes and turns them into a Model; a file no loader takes is named
// for what it is (an image, an archive, a SavedModel) with what to do next.

import { TinymlError } from "../errors.js";
import { readInputFile, sha256Hex } from "../util/files.js";
import type { Model } from "./ir.js";
import { kerasH5Loader, kerasZipLoader } from "./keras/loader.js";
import { onnxLoader } from "./onnx/format.js";
import type { ModelFormat, ModelLoader } from "./model-loader.js";
import { describeDirectory, isDirectory, notAModel, sniffBytes } from "./sniff.js";
import { tfjsLayersLoader } from "./tfjs/loader.js";
import { readTflite } from "./tflite/reader.js";

export type { ModelFormat, ModelLoader } from "./model-loader.js";

export interface LoadedModel {
  format: ModelFormat;
  path: string;
  /** SHA-256 of the model file as given (firmware carries it to prove provenance). */
  sha256: string;
  model: Model;
}

const tfliteLoader: ModelLoader = {
  format: "tflite",
  // A .tflite that is no known kind goes to the reader, which says exactly what is wrong with it.
  recognises: (path, _bytes, kind) => kind === "tflite" || (kind === "unknown" && path.toLowerCase().endsWith(".tflite")),
  load: (path, bytes) => readTflite(bytes, path),
};

const LOADERS: readonly ModelLoader[] = [tfliteLoader, onnxLoader, kerasH5Loader, kerasZipLoader, tfjsLayersLoader];

export async function loadModel(path: string): Promise<LoadedModel> {
  if (isDirectory(path)) {
    const d = describeDirectory(path);
    if (d) throw new TinymlError("TML_E_FORMAT_UNKNOWN", `${path} is ${d.what}, not a model file`, { location: { file: path }, hint: d.hint });
  }
  const bytes = readInputFile(path, "model");
  const kind = sniffBytes(path, bytes);
  const loader = LOADERS.find((l) => l.recognises(path, bytes, kind));
  if (!loader) {
    const { what, hint } = bytes.byteLength === 0
      ? { what: "empty", hint: "The file has no bytes: it was truncated or never written." }
      : notAModel(kind, path);
    throw new TinymlError("TML_E_FORMAT_UNKNOWN", `unrecognised model format: the file is ${what}`, { location: { file: path }, hint });
  }
  try {
    return { format: loader.format, path, sha256: sha256Hex(bytes), model: await loader.load(path, bytes) };
  } catch (e) {
    throw e instanceof TinymlError ? e.withFile(path) : e;
  }
}
