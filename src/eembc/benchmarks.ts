// The MLPerf Tiny benchmarks as the EEMBC runner knows them: the model id the
// firmware answers `profile` with (the runner picks its test script by it),
// and how each benchmark's dataset bytes reach the model, as the reference
// submission (mlcommons/tiny benchmark/reference_submissions/<x>/
// submitter_implemented.cpp) does it. The four reference models are known by
// their SHA-256, so `--app eembc` needs no option for them.

import { TinymlError } from "../errors.js";
import { numElements } from "../model/graph.js";
import type { Graph, Tensor } from "../model/ir.js";
import type { LoadedModel } from "../model/load.js";
import { didYouMean } from "../util/suggest.js";

/**
 * How a dataset sample becomes the model's input and what `results` prints:
 * int8 — the bytes are the int8 tensor, scores printed as kws's "0.%d%d%d";
 * uint8 — uint8 pixels minus 128, scores printed "%0.3f";
 * float-mse — float32 values quantized on the device, one anomaly score (MSE).
 */
export type EembcIo = "int8" | "uint8" | "float-mse";

export interface EembcBenchmark {
  id: "kws01" | "vww01" | "ic01" | "ad01";
  name: string;
  io: EembcIo;
  /** The dataset element's bytes (the runner's encoding). */
  elementBytes: number;
  /** SHA-256 of the reference model in mlcommons/tiny benchmark/training (the int8 one). */
  referenceSha256: string;
  referencePath: string;
}

export const EEMBC_BENCHMARKS: readonly EembcBenchmark[] = [
  {
    id: "kws01", name: "keyword spotting", io: "int8", elementBytes: 1,
    referenceSha256: "aeea436800704fce17b17292e4412630ad856e9d777c044c64ef748a880bd0ae",
    referencePath: "benchmark/training/keyword_spotting/trained_models/kws_ref_model.tflite",
  },
  {
    id: "vww01", name: "visual wake words", io: "uint8", elementBytes: 1,
    referenceSha256: "597a384c8c2c8a1276f04702f25013b7838f2f814f1ca7c174d295b73e3d6b7b",
    referencePath: "benchmark/training/visual_wake_words/trained_models/vww_96_int8.tflite",
  },
  {
    id: "ic01", name: "image classification", io: "uint8", elementBytes: 1,
    referenceSha256: "3c002613d1b2475eb51dd78dfb85a546c8ae658dee71cf6ade43b022fe205415",
    referencePath: "benchmark/training/image_classification/trained_models/pretrainedResnet_quant.tflite",
  },
  {
    id: "ad01", name: "anomaly detection", io: "float-mse", elementBytes: 4,
    referenceSha256: "87cf24194ef93d1d9b11a591d805526b98008e351655d29883c825c9c106ba24",
    referencePath: "benchmark/training/anomaly_detection/trained_models/ad01_int8.tflite",
  },
];

/** Ids the runner's test scripts name; sww01 (streaming, over I2S from the interface board) is not served by this app. */
const RESERVED = ["sww01"];
const IDS = EEMBC_BENCHMARKS.map((b) => b.id);

/**
 * The benchmark a model's firmware is for: `given` (--eembc-model), else the
 * reference model's id by its SHA-256. Checked to fit the model's input and
 * output.
 */
export function resolveBenchmark(loaded: LoadedModel, graph: Graph, given?: string): EembcBenchmark {
  let b: EembcBenchmark | undefined;
  if (given !== undefined) {
    if (RESERVED.includes(given)) {
      throw new TinymlError("TML_E_USAGE", `--eembc-model ${given} is the streaming wake-word benchmark, which the runner plays over I2S from its interface board; the eembc app serves ${IDS.join(", ")}`, {
        hint: `Pick one of ${IDS.join(", ")}.`,
      });
    }
    b = EEMBC_BENCHMARKS.find((x) => x.id === given);
    if (!b) throw new TinymlError("TML_E_USAGE", `unknown --eembc-model '${given}'${didYouMean(given, IDS)}`, { hint: `The MLPerf Tiny ids are ${IDS.join(", ")}.` });
  } else {
    b = EEMBC_BENCHMARKS.find((x) => x.referenceSha256 === loaded.sha256);
    if (!b) {
      throw new TinymlError("TML_E_USAGE", `${loaded.path} is none of the four MLPerf Tiny reference models, so its benchmark id is not known`, {
        location: { file: loaded.path },
        hint: `Say which benchmark it runs: --eembc-model ${IDS.join("|")} (the runner picks its test script and dataset by this id).`,
      });
    }
  }
  checkFits(b, graph, loaded.path);
  return b;
}

function describe(t: Tensor): string {
  return `${t.dtype} [${t.shape.join(", ")}]`;
}

function checkFits(b: EembcBenchmark, graph: Graph, path: string): void {
  const fail = (what: string): never => {
    throw new TinymlError("TML_E_USAGE", `${b.id} (${b.name}) does not fit ${path}: ${what}`, {
      location: { file: path },
      hint: `Give the id of the benchmark this model runs (--eembc-model ${IDS.join("|")}).`,
    });
  };
  if (graph.inputs.length !== 1 || graph.outputs.length < 1) fail(`the runner loads one input buffer; the model has ${graph.inputs.length} inputs`);
  const input = graph.tensors[graph.inputs[0]!]!;
  const output = graph.tensors[graph.outputs[0]!]!;
  if (input.dtype !== "int8" || output.dtype !== "int8") fail(`its reference submission feeds an int8 input and reads an int8 output; this model has input ${describe(input)}, output ${describe(output)}`);
  if (b.io === "uint8" && (input.shape.length !== 4 || input.shape[3]! < 1 || input.shape[3]! > 4)) {
    fail(`the runner sends images (height × width × channels, uint8); the model's input is ${describe(input)}`);
  }
  if (b.io === "float-mse" && numElements(output.shape) !== numElements(input.shape)) {
    fail(`the anomaly score is the mean squared error between input and reconstruction, so output and input need as many elements; this model has input ${describe(input)}, output ${describe(output)}`);
  }
  if (b.io === "float-mse" && input.shape.length !== 2) fail(`the runner sends a window of spectrogram values (a [1, N] float32 vector); the model's input is ${describe(input)}`);
}

/** Bytes of one dataset sample for this model: its input's elements in the dataset's encoding. */
export function sampleBytes(b: EembcBenchmark, graph: Graph): number {
  return numElements(graph.tensors[graph.inputs[0]!]!.shape) * b.elementBytes;
}

/** The C defines of the eembc app for this benchmark (firmware/runtime/tml_eembc.c). */
export function benchmarkDefines(b: EembcBenchmark, graph: Graph): Record<string, string> {
  const io = { int8: "TML_EEMBC_IO_INT8", uint8: "TML_EEMBC_IO_UINT8", "float-mse": "TML_EEMBC_IO_FLOAT_MSE" }[b.io];
  return { TML_EEMBC_IO: io, TML_EEMBC_DB_BYTES: `${sampleBytes(b, graph)}u` };
}
