// `tinyml quantize MODEL --calib PATH -o OUT.tflite`: post-training int8
// quantization as TensorFlow Lite does it, with a report of what it cost.

import { basename } from "node:path";
import { TinymlError } from "../errors.js";
import { mainGraph } from "../model/graph.js";
import { floatSource, hybridOps } from "../model/hybrid.js";
import { loadModel } from "../model/load.js";
import { readTinymlMetadata } from "../model/tinyml-metadata.js";
import { readTflite } from "../model/tflite/reader.js";
import { writeTflite } from "../model/tflite/writer.js";
import { randomDataset, readDataset, type Dataset } from "../quantize/calib-data.js";
import { calibrateRanges } from "../quantize/calibrate.js";
import { evaluateQuantization, type QuantizationReport } from "../quantize/evaluate.js";
import { quantizeModel, type IoType } from "../quantize/quantize-model.js";
import { writeFileAtomic } from "../util/files.js";
import { claimModelOutput, stampProvenance } from "./model-output.js";
import { shortTensorName } from "../util/short-name.js";
import { formatBytes, renderTable } from "../util/table.js";
import { defineCommand } from "./command.js";
import { requiredOption } from "./required.js";
import { modelArg } from "./model-arg.js";
import { progressBar } from "./progress.js";

const RANDOM_SAMPLES = 100;

export const quantizeCommand = defineCommand({
  name: "quantize",
  usage: "quantize [model]",
  describe: "Quantize a float model to int8 with calibration data, and report the error it adds",
  builder: (y) =>
    y
      .positional("model", { type: "string", describe: "A float (or hybrid) .tflite, .onnx, Keras .keras/.h5 or TF.js model.json" })
      .option("calib", { type: "string", describe: "Calibration data: a directory or file of .npy, .bin (float32) or .json samples; 'random' only to try things out; required" })
      .option("output", { alias: "o", type: "string", describe: "The int8 .tflite to write; required" })
      .option("force", { type: "boolean", default: false, describe: "Replace an output file tinyml did not write" })
      .option("io", { choices: ["int8", "float"] as const, default: "int8" as const, describe: "Model input/output type (float adds QUANTIZE/DEQUANTIZE)" })
      .option("holdout", { type: "string", describe: "Data to measure the int8 error on (default: the calibration data)" })
      .option("labels", { type: "string", describe: "labels.json for the measured data (default: labels.json beside it)" })
      .option("percentile", { type: "number", describe: "Calibrate to the [100-P, P] percentile range instead of min/max (e.g. 99.99)" })
      .example("$0 quantize model.json --calib calib/ -o model_int8.tflite", "Quantize with calibration data")
      .example("$0 quantize model.json --calib calib/ --holdout test/ -o m.tflite --json", "Report accuracy on held-out data"),
  async run(args, out) {
    args.calib = requiredOption(args.calib, "calib", "quantize", "calibration data (a directory of .npy/.bin/.json samples)");
    args.output = requiredOption(args.output, "output", "quantize", "the int8 .tflite to write");
    const modelPath = modelArg(args.model, "quantize");
    // Checked before minutes of calibration: the output must be writable, and no input or file of the user's.
    const output = claimModelOutput(args.output, {
      force: args.force,
      inputs: [{ path: modelPath, what: "model" }, ...(args.calib !== "random" ? [{ path: args.calib, what: "calibration data" }] : []), ...(args.holdout ? [{ path: args.holdout, what: "holdout data" }] : [])],
    });
    const loaded = await loadModel(modelPath);
    const { path } = loaded;
    const hybrid = hybridOps(mainGraph(loaded.model));
    if (hybrid.length > 0) out.info(`hybrid model: the int8 weights of ${hybrid.length} op(s) (${hybrid.join(", ")}) dequantized to float, then quantized as a float model`);
    const model = floatSource(loaded.model);
    const mg = mainGraph(model);
    const isInt = (t: (typeof mg.tensors)[number]): boolean => !t.data && (t.dtype === "int8" || t.dtype === "int16") && (t.quantization?.scale.length ?? 0) > 0;
    // The input names it best ("input 'x' is int8"); a float-I/O int8 model is caught by its activations.
    const quantized = mg.inputs.map((i) => mg.tensors[i]!).find(isInt) ?? mg.tensors.find(isInt);
    if (quantized) {
      throw new TinymlError("TML_E_USAGE", `${path} is already quantized (tensor '${quantized.name}' is ${quantized.dtype}): there is nothing to quantize`, {
        location: { file: path },
        hint: "Use it as it is (tinyml build/test), or quantize its float source (the .h5, .keras, ONNX, model.json or float .tflite it was made from).",
      });
    }
    const g = mainGraph(model);
    if (g.inputs.length === 0) {
      throw new TinymlError("TML_E_MODEL_INVALID", "the model has no inputs, so there is nothing to calibrate", { location: { file: path } });
    }
    if (g.inputs.length > 1) {
      throw new TinymlError("TML_E_CALIB_INVALID", `the model has ${g.inputs.length} inputs; calibration data for multi-input models is not supported`, {
        location: { file: path },
        hint: "Quantize a single-input model.",
      });
    }
    const p = args.percentile;
    if (p !== undefined && !(p > 50 && p <= 100)) {
      throw new TinymlError("TML_E_USAGE", `--percentile ${p} is out of range`, { hint: "Give P in (50, 100], e.g. 99.99." });
    }
    const input = g.tensors[g.inputs[0]!]!;
    let calib: Dataset;
    if (args.calib === "random") {
      out.warn("=".repeat(72));
      out.warn(`--calib random: calibrating on ${RANDOM_SAMPLES} uniform [-1, 1) samples, not real data.`);
      out.warn("The activation ranges will be wrong for real inputs and accuracy will suffer.");
      out.warn("Use this only to try the pipeline; give real calibration data for a model you ship.");
      out.warn("=".repeat(72));
      calib = randomDataset(input, RANDOM_SAMPLES);
    } else {
      calib = readDataset(args.calib, input, args.holdout ? undefined : args.labels);
    }
    const measured = args.holdout ? readDataset(args.holdout, input, args.labels) : calib;

    const t0 = Date.now();
    const bar = progressBar("calibrating");
    const ranges = calibrateRanges(model, calib.samples, { percentile: p, onProgress: (d, t) => bar.update(d, t) });
    bar.done();
    const io = args.io as IoType;
    // A fine-tuned wake-word classifier says which scale its features come in.
    const { inputQuantization } = readTinymlMetadata(model, path);
    if (inputQuantization) out.info(`input pinned to scale ${inputQuantization.scale}, zero point ${inputQuantization.zeroPoint} (the model's tinyml metadata)`);
    const { model: int8, warnings } = quantizeModel(model, ranges, { io, inputQuantization });
    for (const w of warnings) out.warn(w);
    const evalBar = progressBar("measuring int8 error");
    const { report } = evaluateQuantization(model, int8, measured, (d, t) => evalBar.update(d, t));
    evalBar.done();
    const bytes = writeTflite(stampProvenance(int8, path));
    readTflite(bytes, output); // the file must load back before it replaces anything
    writeFileAtomic(output, bytes);
    const result = {
      input: modelPath,
      output: args.output,
      bytes: bytes.byteLength,
      io,
      ...(inputQuantization ? { inputQuantization } : {}),
      calibration: { samples: calib.samples.length, method: p === undefined ? "minmax" : `percentile ${p}`, random: args.calib === "random" },
      measuredOn: args.holdout ? "holdout" : "calibration",
      seconds: (Date.now() - t0) / 1000,
      warnings,
      ...report,
    };
    if (out.json) out.printJson(result);
    else out.print(renderReport(basename(modelPath), args.output, bytes.byteLength, result.measuredOn, report));
  },
});

function fmt(x: number, digits = 4): string {
  return Number(x.toPrecision(digits)).toString();
}

function pct(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}

export function renderReport(model: string, output: string, bytes: number, measuredOn: string, r: QuantizationReport): string {
  const lines = [
    `wrote ${output} (${formatBytes(bytes)}, int8) from ${model}`,
    "",
    `Per-layer SQNR (int8 vs float, ${r.samples} ${measuredOn} samples; higher is better)`,
    // TF's fused tensor names run past 200 characters: short ones here, the full names in --json.
    renderTable(["#", "op", "tensor", "SQNR dB"], r.layers.map((l) => [l.op, l.type, shortTensorName(l.tensor, 44), l.sqnrDb === null ? "exact" : l.sqnrDb.toFixed(1)])),
    "",
    "Outputs",
    renderTable(
      ["output", "top-1 agree", "RMSE", "MAE", "rel L2", "cosine"],
      r.outputs.map((o) => [shortTensorName(o.name, 32), pct(o.top1Agreement), fmt(o.rmse), fmt(o.mae), fmt(o.relativeL2), fmt(o.cosine, 6)]),
    ),
  ];
  if (r.accuracy) {
    const delta = (r.accuracy.int8 - r.accuracy.float) * 100;
    lines.push("", `Top-1 accuracy: float ${pct(r.accuracy.float)}, int8 ${pct(r.accuracy.int8)} (${delta >= 0 ? "+" : ""}${delta.toFixed(2)} points)`);
  }
  return lines.join("\n");
}
