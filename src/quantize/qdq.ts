// The int8 model a QDQ-quantized ONNX model describes: tinyml's post-training
// quantizer run with the model's own parameters given instead of calibrated
// (its scales, zero points and int8 weights), under TFLite's int8 rules.
// Where a kernel fixes an output's parameters (softmax, logistic, tanh,
// pooling) the rule wins and the model's description says so. Importing this
// module registers it with the ONNX loader.

import type { Model } from "../model/ir.js";
import type { QdqRecord } from "../model/onnx/context.js";
import { registerQdqQuantizer } from "../model/onnx/qdq-model.js";
import { quantizeModel } from "./quantize-model.js";

export function quantizeQdqModel(model: Model, record: QdqRecord): Model {
  const { model: int8, warnings } = quantizeModel(model, new Map(), {
    io: "float",
    given: {
      activation: (t) => record.activations.get(t),
      constant: (t) => record.constants.get(t),
    },
  });
  const note = warnings.length > 0 ? `; ${warnings.join("; ")}` : "";
  return { ...int8, description: `${model.description}, QDQ int8${note}` };
}

registerQdqQuantizer(quantizeQdqModel);
