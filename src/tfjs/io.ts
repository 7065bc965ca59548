// Saving and loading Layers models as model.json + one weights shard, from
// plain Node file I/O: TF.js's own file:// handler exists only in tfjs-node.
// The files are what model.save('file://dir') writes.

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { io } from "@tensorflow/tfjs";
import { readWeights } from "../model/tfjs/weights.js";
import { parseModelJson } from "../model/tfjs/format.js";
import { readInputFile } from "../util/files.js";
import type { Tf } from "./backend.js";

const SHARD = "group1-shard1of1.bin";

function concat(data: ArrayBuffer | ArrayBuffer[]): Uint8Array {
  const parts = Array.isArray(data) ? data : [data];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p), at);
    at += p.byteLength;
  }
  return out;
}

/** A save handler writing `dir`/model.json and its weights shard. */
export function directorySaveHandler(tf: Tf, dir: string): io.IOHandler {
  return tf.io.withSaveHandler(async (artifacts) => {
    mkdirSync(dir, { recursive: true });
    const weights = artifacts.weightData ? concat(artifacts.weightData) : new Uint8Array(0);
    writeFileSync(join(dir, SHARD), weights);
    const json = {
      modelTopology: artifacts.modelTopology,
      format: artifacts.format ?? "layers-model",
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy ?? null,
      weightsManifest: [{ paths: [SHARD], weights: artifacts.weightSpecs ?? [] }],
      ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
    };
    writeFileSync(join(dir, "model.json"), JSON.stringify(json));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON", weightDataBytes: weights.byteLength } };
  });
}

/** The artifacts of a model.json path, with its shards read and checked as the loader checks them. */
export function readLayersArtifacts(modelPath: string): io.ModelArtifacts {
  const bytes = readInputFile(modelPath, "model");
  const json = parseModelJson(bytes);
  readWeights(modelPath, json.weightsManifest);
  const raw = JSON.parse(new TextDecoder().decode(bytes)) as { modelTopology: object };
  const weightSpecs = json.weightsManifest.flatMap((g) => g.weights) as io.WeightsManifestEntry[];
  const shards = json.weightsManifest.flatMap((g) => g.paths.map((p) => new Uint8Array(readFileSync(join(dirname(modelPath), p)))));
  const data = concat(shards.map((s) => s.buffer.slice(s.byteOffset, s.byteOffset + s.byteLength) as ArrayBuffer));
  return { modelTopology: raw.modelTopology, weightSpecs, weightData: data.buffer as ArrayBuffer };
}

/** A load handler for a model.json path. */
export function fileLoadHandler(tf: Tf, modelPath: string): io.IOHandler {
  return tf.io.fromMemory(readLayersArtifacts(modelPath));
}
