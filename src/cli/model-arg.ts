// MODEL, the positional most commands take: from the command line, else
// from tinyml.yaml's `model:`; missing from both, one clear error instead
// of yargs' "Not enough non-option arguments".

import { TinymlError } from "../errors.js";

export function modelArg(model: string | undefined, command: string): string {
  if (model !== undefined && model !== "") return model;
  throw new TinymlError("TML_E_USAGE", `tinyml ${command} needs a MODEL: a .tflite, a Keras .h5 or .keras, an ONNX .onnx or a TF.js model.json`, {
    hint: `Name it (tinyml ${command} model.tflite), or set \`model:\` in a tinyml.yaml here or above (\`tinyml init model.tflite\` writes one).`,
  });
}
