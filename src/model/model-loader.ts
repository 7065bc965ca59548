// What a model format's loader is: load.ts lists them, each format's
// module (tflite/, onnx/, keras/, tfjs/) provides one.

import type { Model } from "./ir.js";
import type { FileKind } from "./sniff.js";

export type ModelFormat = "tflite" | "tfjs-layers" | "keras-h5" | "keras" | "onnx";

export interface ModelLoader {
  format: ModelFormat;
  /** True when the file is this format; `kind` is what its first bytes say (sniff.ts). */
  recognises(path: string, bytes: Uint8Array, kind: FileKind): boolean;
  load(path: string, bytes: Uint8Array): Promise<Model> | Model;
}
