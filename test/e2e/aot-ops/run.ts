// Builds batches of synthetic op cases on the host board through the real
// CLI and runs inputs through the executable and the reference interpreter.

import { execa } from "execa";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bytesOf } from "../../../src/model/dtype.js";
import { mainGraph, tensorBytes } from "../../../src/model/graph.js";
import type { Model } from "../../../src/model/ir.js";
import { loadModel } from "../../../src/model/load.js";
import { writeTflite } from "../../../src/model/tflite/writer.js";
import { prepareReference } from "../../../src/reference/interpreter.js";
import { tinyml } from "../../cli.js";
import { mergeCases, randomInputs, Rng, type InputLayout, type OpCase } from "./builder.js";

export interface Batch {
  cases: OpCase[];
  model: Model;
  modelPath: string;
  inputs: InputLayout[];
  /** Case k's outputs are model outputs [start, end). */
  outputRanges: Array<[number, number]>;
  executable: string;
}

/** Writes the merged model and builds it with `tinyml build --board host`. */
export async function buildBatch(cases: OpCase[], name: string): Promise<Batch> {
  const dir = mkdtempSync(join(tmpdir(), `tinyml-aot-ops-${name}-`));
  const { model, inputs, outputRanges } = mergeCases(cases);
  const modelPath = join(dir, `${name}.tflite`);
  writeFileSync(modelPath, writeTflite(model));
  const r = await tinyml(["build", "--board", "host", modelPath, "-o", join(dir, "build"), "--json"]);
  if (r.exitCode !== 0) throw new Error(`tinyml build of ${name} exited ${r.exitCode}:\n${r.stderr}\n${r.stdout}`);
  const built = JSON.parse(r.stdout) as { harness?: string };
  return { cases, model, modelPath, inputs, outputRanges, executable: built.harness! };
}

/** Seeded inputs for every model input, as raw bytes files in a fresh directory. */
export function writeInputs(batch: Batch, seed: number): { files: string[]; bytes: Uint8Array[] } {
  const bytes = randomInputs(batch.inputs, new Rng(seed));
  const dir = mkdtempSync(join(tmpdir(), "tinyml-aot-ops-in-"));
  const files = bytes.map((b, k) => {
    const f = join(dir, `in${k}.bin`);
    writeFileSync(f, b);
    return f;
  });
  return { files, bytes };
}

/** Runs the host executable once; returns every output's raw bytes. */
export async function runHost(batch: Batch, inputFiles: string[]): Promise<Uint8Array[]> {
  const out = mkdtempSync(join(tmpdir(), "tinyml-aot-ops-out-"));
  mkdirSync(out, { recursive: true });
  await execa(batch.executable, ["-o", out, ...inputFiles]);
  return mainGraph(batch.model).outputs.map((_, k) => new Uint8Array(readFileSync(join(out, `${k}.bin`))));
}

/** The reference interpreter on the model as read back from the written .tflite. */
export async function runReferenceBytes(batch: Batch, inputs: Uint8Array[]): Promise<Uint8Array[]> {
  const loaded = await loadModel(batch.modelPath);
  const outs = prepareReference(loaded.model).invoke(inputs);
  const g = mainGraph(batch.model);
  return outs.map((o, k) => {
    const b = bytesOf(o);
    if (b.byteLength !== tensorBytes(g.tensors[g.outputs[k]!]!)) throw new Error(`reference output ${k} has ${b.byteLength} bytes`);
    return b;
  });
}
