// `tinyml test --protocol eembc`: which benchmark (by the model's SHA-256 or
// --eembc-model), the firmware it needs, and the cases in the benchmark's
// own encoding — a runner dataset directory (y_labels.csv + .bin files, ad01
// in sliding windows as the runner sends them), plain sample files, or
// seeded random samples.

import { statSync } from "node:fs";
import { basename } from "node:path";
import type { Board } from "../boards/board.js";
import { sampleBytes, type EembcBenchmark } from "../eembc/benchmarks.js";
import { isRunnerDataset, readRunnerDataset } from "../eembc/dataset.js";
import { TinymlError } from "../errors.js";
import { eembcBuild } from "../firmware-project/eembc.js";
import type { FirmwareRequest } from "../firmware-project/request.js";
import { mainGraph } from "../model/graph.js";
import type { Graph } from "../model/ir.js";
import type { LoadedModel } from "../model/load.js";
import type { EembcCase, EembcMode } from "../validate/eembc-runner.js";
import { casesFromFiles, randomCases } from "../validate/inputs.js";
import type { Expectations } from "../validate/expected.js";
import { modelBaseName } from "../codegen/aot/generate.js";

export interface EembcTestArgs {
  inputs?: Array<string | number>;
  random?: number;
  seed: number;
  runs: number;
  warmup: number;
  eembcModel?: string;
  eembcName?: string;
}

export async function eembcTestPlan(args: EembcTestArgs, loaded: LoadedModel, board: Board, expect: Expectations): Promise<{ mode: EembcMode; firmware: Pick<FirmwareRequest, "extraDefines"> }> {
  const { benchmark, parts } = eembcBuild(loaded, board, { model: args.eembcModel, name: args.eembcName });
  const graph = mainGraph(loaded.model);
  const bytes = sampleBytes(benchmark, graph);
  const paths = (args.inputs ?? []).map(String);
  let cases: EembcCase[];
  let files: EembcMode["files"];
  if (paths.length === 1 && isRunnerDataset(paths[0]!)) {
    const set = readRunnerDataset(paths[0]!, benchmark, bytes);
    files = set.map((f) => ({ file: f.file, label: f.label }));
    cases = set.flatMap((f, i) => f.samples.map((sample, k) => ({
      name: f.samples.length === 1 ? f.file : `${f.file}#${k}`, sources: [f.path], sample, file: i,
    })));
  } else if (paths.length > 0) {
    cases = await sampleFiles(paths, graph, bytes, benchmark, loaded);
  } else {
    cases = randomSamples(args.random!, args.seed, graph, benchmark);
  }
  return { mode: { kind: "eembc", loaded, benchmark, cases, ...(files ? { files } : {}), expect, runs: args.runs, warmup: args.warmup }, firmware: parts };
}

/** Sample files given one by one (or a directory of them without y_labels.csv): each is one input in the benchmark's encoding. */
async function sampleFiles(paths: string[], graph: Graph, bytes: number, b: EembcBenchmark, loaded: LoadedModel): Promise<EembcCase[]> {
  for (const p of paths) {
    try {
      statSync(p);
    } catch {
      throw new TinymlError("TML_E_FILE_NOT_FOUND", `input ${p} does not exist`, { hint: "Pass a runner dataset directory (y_labels.csv and its .bin files) or sample files." });
    }
  }
  // casesFromFiles reads .bin/.npy/.json as raw bytes of the model's input; the sample's encoding may be wider (ad01's float32).
  const raw = await casesFromFiles(paths, { ...graph, tensors: graph.tensors.map((t, i) => (i === graph.inputs[0] ? { ...t, dtype: b.elementBytes === 4 ? "float32" : "int8" } : t)) }, modelBaseName(loaded.path));
  return raw.map((c) => {
    const sample = c.data[0]!;
    if (sample.byteLength !== bytes) {
      throw new TinymlError("TML_E_INPUT_MISMATCH", `${c.sources[0]} holds ${sample.byteLength} bytes; ${b.id}'s model takes ${bytes}`, { location: { file: c.sources[0]! } });
    }
    return { name: basename(c.name), sources: c.sources, sample };
  });
}

/** Seeded random samples in the benchmark's encoding: random int8 inputs, re-encoded as the dataset would carry them. */
function randomSamples(count: number, seed: number, graph: Graph, b: EembcBenchmark): EembcCase[] {
  const input = graph.tensors[graph.inputs[0]!]!;
  const scale = Math.fround(input.quantization?.scale[0] ?? 1);
  const zp = input.quantization?.zeroPoint[0] ?? 0;
  return randomCases(count, seed, graph).map((c) => {
    const q = new Int8Array(c.data[0]!.buffer, c.data[0]!.byteOffset, c.data[0]!.byteLength);
    let sample: Uint8Array;
    if (b.io === "int8") sample = new Uint8Array(q.buffer, q.byteOffset, q.byteLength).slice();
    else if (b.io === "uint8") sample = Uint8Array.from(q, (v) => v + 128);
    else sample = new Uint8Array(Float32Array.from(q, (v) => Math.fround((v - zp) * scale)).buffer);
    return { name: c.name, sources: c.sources, sample };
  });
}
