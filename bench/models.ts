// The six models of issue 16's table and the command-line options every
// bench accepts. `npm run bench -- --option …` passes the same options to
// each bench, so they all parse one set: a bench ignores what it does not use.
//
// vww_96_int8 and pretrainedResnet_quant are not in the repo (mlcommons/tiny,
// benchmark/training/*/trained_models): --models DIR names where they are.
// --float-models DIR names where pretrainedResnet.tflite (or .h5), the float
// model the int8 ResNet was made from, is: host-speed times `quantize` on it.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";

const root = new URL("..", import.meta.url).pathname;

export const { values: benchOptions } = parseArgs({
  options: {
    "tflm-dir": { type: "string", multiple: true, default: [] },
    models: { type: "string" },
    "float-models": { type: "string" },
    boards: { type: "string", default: "qemu-m4,qemu-m7" },
  },
});

export interface BenchModel {
  name: string;
  /** Undefined or absent on disk when the model is not on this machine. */
  path: string | undefined;
}

export const BENCH_MODELS: BenchModel[] = [
  { name: "person_detect", path: join(root, "test/fixtures/models/person_detect.tflite") },
  { name: "micro_speech_quantized", path: join(root, "test/fixtures/models/micro_speech_quantized.tflite") },
  { name: "ad01_int8", path: join(root, "test/fixtures/eembc/ad01_int8.tflite") },
  { name: "kws_ref_model", path: join(root, "test/fixtures/eembc/kws_ref_model.tflite") },
  { name: "vww_96_int8", path: benchOptions.models ? join(benchOptions.models, "vww_96_int8.tflite") : undefined },
  { name: "pretrainedResnet_quant", path: benchOptions.models ? join(benchOptions.models, "pretrainedResnet_quant.tflite") : undefined },
];

export const isPresent = (m: BenchModel): m is BenchModel & { path: string } => m.path !== undefined && existsSync(m.path);

/** The float ResNet for the quantize timing, if --float-models has it. */
export function floatResnet(): string | undefined {
  const dir = benchOptions["float-models"];
  if (!dir) return undefined;
  return ["pretrainedResnet.tflite", "pretrainedResnet.h5"].map((f) => join(dir, f)).find((p) => existsSync(p));
}
