// `tinyml convert MODEL -o OUT.tflite`: load any supported format, write .tflite.

import { basename } from "node:path";
import { loadModel } from "../model/load.js";
import { writeTflite } from "../model/tflite/writer.js";
import { writeFileAtomic } from "../util/files.js";
import { claimModelOutput, stampProvenance } from "./model-output.js";
import { formatBytes } from "../util/table.js";
import { defineCommand } from "./command.js";
import { requiredOption } from "./required.js";
import { modelArg } from "./model-arg.js";

export const convertCommand = defineCommand({
  name: "convert",
  usage: "convert [model]",
  describe: "Convert a model (.tflite, .onnx, Keras .keras/.h5 or TF.js model.json) to a .tflite file",
  builder: (y) =>
    y
      .positional("model", { type: "string", describe: "The model to convert" })
      .option("output", { alias: "o", type: "string", describe: "The .tflite file to write; required" })
      .option("force", { type: "boolean", default: false, describe: "Replace an output file tinyml did not write" })
      .example("$0 convert model.json -o model.tflite", "Convert a TF.js Layers model")
      .example("$0 convert model.h5 -o model.tflite", "Convert a Keras model"),
  async run(args, out) {
    args.output = requiredOption(args.output, "output", "convert", "the .tflite file to write");
    const modelPath = modelArg(args.model, "convert");
    const output = claimModelOutput(args.output, { force: args.force, inputs: [{ path: modelPath, what: "model" }] });
    const loaded = await loadModel(modelPath);
    const bytes = writeTflite(stampProvenance(loaded.model, loaded.path));
    writeFileAtomic(output, bytes);
    if (out.json) out.printJson({ input: modelPath, format: loaded.format, output: args.output, bytes: bytes.byteLength });
    else out.print(`wrote ${args.output} (${formatBytes(bytes.byteLength)}) from ${basename(modelPath)} (${loaded.format})`);
  },
});
