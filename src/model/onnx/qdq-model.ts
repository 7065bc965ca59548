// QDQ-quantized ONNX to an int8 IR. The converter builds the float graph
// (every QuantizeLinear→DequantizeLinear pair is the float value itself,
// every DequantizeLinear of an int8 initializer a float constant) and
// records the pairs' parameters and the initializers' int8 form: exactly
// what post-training quantization would otherwise calibrate and round. The
// quantizer (src/quantize/qdq.ts) applies them; it sits above the model
// layer, so it registers itself here instead of being imported.

import { TinymlError } from "../../errors.js";
import type { Graph, Model } from "../ir.js";
import type { QdqRecord } from "./context.js";

export type QdqQuantizer = (model: Model, record: QdqRecord) => Model;

let quantizer: QdqQuantizer | undefined;

export function registerQdqQuantizer(q: QdqQuantizer): void {
  quantizer = q;
}

/** A QDQ model: quantization recorded, and no QUANTIZE/DEQUANTIZE left once the pairs became their float values. */
export function isQdqGraph(g: Graph, record: QdqRecord): boolean {
  return record.activations.size > 0 && g.ops.every((op) => op.kind !== "builtin" || (op.type !== "QUANTIZE" && op.type !== "DEQUANTIZE"));
}

export function quantizeQdq(model: Model, record: QdqRecord): Model {
  if (!quantizer) {
    throw new TinymlError("TML_E_MODEL_UNSUPPORTED", "this QDQ-quantized ONNX model needs tinyml's quantizer, which this program did not load", {
      hint: "Import src/quantize/qdq.ts before loading QDQ models (the CLI does).",
    });
  }
  return quantizer(model, record);
}
