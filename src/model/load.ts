// Loading a model file of any supported format into the IR. Each format is a
// loader that recognises its files and turns them into a Model; adding a
// format is one entry in `LOADERS`.

import { extname } from "node:path";
import { TinymlError } from "../errors.js";
import { readInputFile, sha256Hex } from "../util/files.js";
import type { Model } from "./ir.js";
import { readTflite } from "./tflite/reader.js";
import { FILE_IDENTIFIER } from "./tflite/schema.js";

export type ModelFormat = "tflite" | "tfjs-layers";

export interface LoadedModel {
  format: ModelFormat;
  path: string;
  /** SHA-256 of the model file as given (firmware carries it to prove provenance). */
  sha256: string;
  model: Model;
}

export interface ModelLoader {
  format: ModelFormat;
  /** True when the file looks like this format (by content first, then name). */
  recognises(path: string, bytes: Uint8Array): boolean;
  load(path: string, bytes: Uint8Array): Promise<Model> | Model;
}

const tfliteLoader: ModelLoader = {
  format: "tflite",
  recognises: (path, bytes) =>
    (bytes.byteLength >= 8 && String.fromCharCode(...bytes.subarray(4, 8)) === FILE_IDENTIFIER) ||
    extname(path).toLowerCase() === ".tflite",
  load: (path, bytes) => readTflite(bytes, path),
};

const LOADERS: ModelLoader[] = [tfliteLoader];

/** Registers another format (the TF.js Layers loader registers itself this way). */
export function registerLoader(loader: ModelLoader): void {
  if (!LOADERS.some((l) => l.format === loader.format)) LOADERS.push(loader);
}

export async function loadModel(path: string): Promise<LoadedModel> {
  const bytes = readInputFile(path, "model");
  const loader = LOADERS.find((l) => l.recognises(path, bytes));
  if (!loader) {
    throw new TinymlError("TML_E_FORMAT_UNKNOWN", "unrecognised model format", {
      location: { file: path },
      hint: `tinyml reads: ${LOADERS.map((l) => l.format).join(", ")} (.tflite files, or a TF.js Layers model.json).`,
    });
  }
  try {
    return { format: loader.format, path, sha256: sha256Hex(bytes), model: await loader.load(path, bytes) };
  } catch (e) {
    throw e instanceof TinymlError ? e.withFile(path) : e;
  }
}
