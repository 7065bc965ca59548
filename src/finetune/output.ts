// Writes the fine-tuned model directory in one step: everything goes into the
// claimed staging directory, published over OUT only once complete, so a
// failed or interrupted run never leaves a partial model. OUT holds:
//   model.json + group1-shard1of1.bin  the Layers model (quantize/build take it)
//   labels.txt                         class names, one per line, in output order
//                                      (also in model.json's userDefinedMetadata.tinyml, with
//                                      the features' input quantization: src/model/tinyml-metadata.ts)
//   calib/samples.npy, calib/labels.json  the clips' feature windows and classes,
//                                      for `tinyml quantize --calib OUT/calib`

import { mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { LayersModel } from "@tensorflow/tfjs";
import { TinymlError, isTinymlError } from "../errors.js";
import type { Tf } from "../tfjs/backend.js";
import { directorySaveHandler } from "../tfjs/io.js";
import type { TinymlMetadata } from "../model/tinyml-metadata.js";
import type { ClaimedDir } from "../util/output-dir.js";
import { FEATURE_SCALE, FEATURE_ZERO_POINT } from "./features.js";

/** numpy .npy v1.0 bytes of a float32 C-order array. */
export function npyFloat32(shape: number[], data: Float32Array): Uint8Array {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(", ")}${shape.length === 1 ? "," : ""}), }`;
  header += " ".repeat((64 - ((10 + header.length + 1) % 64)) % 64) + "\n";
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}

/** Writes a [N, ...shape] samples.npy and labels.json into `dir`. */
export function writeSampleSet(dir: string, shape: readonly number[], xs: Float32Array[], ys: number[]): void {
  mkdirSync(dir, { recursive: true });
  const n = xs[0]?.length ?? 0;
  const all = new Float32Array(xs.length * n);
  xs.forEach((x, k) => all.set(x, k * n));
  writeFileSync(join(dir, "samples.npy"), npyFloat32([xs.length, ...shape], all));
  writeFileSync(join(dir, "labels.json"), `${JSON.stringify(ys)}\n`);
}

/** OUT as a directory: a path ending in model.json means its folder. */
export function outputDir(out: string): string {
  return basename(out) === "model.json" ? dirname(out) : out;
}

export interface FinetuneArtifacts {
  labels: string[];
  calib: { shape: readonly number[]; xs: Float32Array[]; ys: number[] };
}

/**
 * Writes the model directory into the claim's staging directory and
 * publishes it (src/util/output-dir.ts): OUT appears complete or not at all,
 * and only a directory tinyml wrote is ever replaced.
 */
export async function writeFinetuned(tf: Tf, model: LayersModel, claim: ClaimedDir, a: FinetuneArtifacts): Promise<string> {
  const tmp = claim.staging;
  try {
    const tinyml: TinymlMetadata = { labels: a.labels, inputQuantization: { scale: FEATURE_SCALE, zeroPoint: FEATURE_ZERO_POINT } };
    model.setUserDefinedMetadata({ tinyml });
    await model.save(directorySaveHandler(tf, tmp));
    writeFileSync(join(tmp, "labels.txt"), `${a.labels.join("\n")}\n`);
    writeSampleSet(join(tmp, "calib"), a.calib.shape, a.calib.xs, a.calib.ys);
    claim.publish({ labels: a.labels });
    claim.finish();
    return claim.dir;
  } catch (e) {
    if (isTinymlError(e)) throw e;
    throw new TinymlError("TML_E_OUTPUT_UNWRITABLE", `cannot write ${claim.dir}: ${(e as Error).message}`, {
      location: { file: claim.dir },
      hint: "Check that the parent directory exists and is writable, and that the disk has space.",
    });
  }
}
