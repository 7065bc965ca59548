// The ONNX format as load.ts lists it: recognised here, converted by
// loader.ts through a dynamic import, so the ONNX schema (onnx-buf and
// @bufbuild/protobuf, ~100 ms to load) is read for an ONNX file only and not
// at the start of every command.

import { extname } from "node:path";
import type { ModelLoader } from "../model-loader.js";

export const onnxLoader: ModelLoader = {
  format: "onnx",
  recognises: (path, _bytes, kind) => kind === "onnx" || (kind === "unknown" && extname(path).toLowerCase() === ".onnx"),
  load: async (path, bytes) => (await import("./loader.js")).convertOnnx(bytes, path),
};
