// Calibration and holdout samples for a single-input float model: a file or
// a directory of .npy (float32), raw .bin (float32 little-endian) or .json
// number arrays. A file holds one sample of the input's shape or a batch of
// them ([N, ...input dims]). Labels, when present, come from labels.json
// (one integer class per sample, in file-name order).

import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, dirname, extname, join } from "node:path";
import { TinymlError } from "../errors.js";
import { typedView } from "../model/dtype.js";
import { numElements } from "../model/graph.js";
import type { Tensor } from "../model/ir.js";
import { readNpy } from "../reference/io/npy.js";
import { readInputFile } from "../util/files.js";
import { rng } from "../util/rng.js";

export interface Dataset {
  samples: Float32Array[];
  /** Where each sample came from ("file" or "file[k]"), for messages. */
  sources: string[];
  labels?: number[];
}

const EXTS = new Set([".npy", ".bin", ".json"]);

function calibError(message: string, file: string | undefined, hint: string): never {
  throw new TinymlError("TML_E_CALIB_INVALID", message, { location: file ? { file } : undefined, hint });
}

function describe(t: Tensor): string {
  return `float32 [${t.shape.join(", ")}]`;
}

/** [N, ...dims] or dims themselves, ignoring size-1 dims (a missing or present batch dim). */
function sampleCount(shape: number[], input: Tensor): number | undefined {
  const want = input.shape.filter((d) => d !== 1);
  const same = (a: number[]): boolean => {
    const b = a.filter((d) => d !== 1);
    return b.length === want.length && b.every((d, i) => d === want[i]);
  };
  if (same(shape)) return 1;
  if (shape.length >= 1 && same(shape.slice(1))) return shape[0];
  return undefined;
}

function jsonValues(bytes: Uint8Array, file: string, input: Tensor): { values: number[]; shape: number[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    calibError(`calibration file is not valid JSON: ${(e as Error).message}`, file, "Write a (nested) array of numbers.");
  }
  const values: number[] = [];
  const shape: number[] = [];
  const walk = (v: unknown, depth: number): void => {
    if (Array.isArray(v)) {
      if (shape[depth] === undefined) shape[depth] = v.length;
      else if (shape[depth] !== v.length) calibError("calibration JSON has ragged nested arrays", file, `Each sample must be ${describe(input)}.`);
      for (const x of v) walk(x, depth + 1);
      return;
    }
    if (typeof v !== "number") calibError(`calibration JSON holds a non-number ${JSON.stringify(v)}`, file, "Write numbers only.");
    values.push(v);
  };
  walk(parsed, 0);
  return { values, shape };
}

function readSamples(file: string, input: Tensor): Float32Array[] {
  const bytes = readInputFile(file, "calibration file");
  const n = numElements(input.shape);
  let values: Float32Array;
  let count: number | undefined;
  const ext = extname(file).toLowerCase();
  if (ext === ".npy") {
    const arr = readNpy(bytes, file);
    if (arr.dtype !== "float32") {
      calibError(`calibration sample is ${arr.dtype} [${arr.shape.join(", ")}], the model input is ${describe(input)}`, file,
        "Save float32 arrays (x.astype(np.float32)) of the input's shape, or [N, ...] batches of them.");
    }
    values = typedView("float32", arr.data).slice();
    count = sampleCount(arr.shape, input);
    if (count === undefined) {
      calibError(`calibration sample has shape [${arr.shape.join(", ")}], the model input is ${describe(input)}`, file,
        `Give arrays of shape [${input.shape.join(", ")}] or [N, ${input.shape.slice(1).join(", ")}].`);
    }
  } else if (ext === ".json") {
    const j = jsonValues(bytes, file, input);
    values = Float32Array.from(j.values);
    count = j.shape.length > 1 ? sampleCount(j.shape, input) : j.values.length % n === 0 ? j.values.length / n : undefined;
    if (count === undefined) {
      calibError(`calibration sample has ${j.values.length} values shaped [${j.shape.join(", ")}], the model input is ${describe(input)}`, file,
        `Give ${n} numbers per sample.`);
    }
  } else {
    if (bytes.byteLength === 0 || bytes.byteLength % (n * 4) !== 0) {
      calibError(`calibration file holds ${bytes.byteLength} bytes, not a whole number of ${describe(input)} samples (${n * 4} bytes each)`,
        file, "Raw .bin samples are float32 little-endian, the input's elements in row-major order.");
    }
    values = typedView("float32", bytes).slice();
    count = bytes.byteLength / (n * 4);
  }
  const out: Float32Array[] = [];
  for (let k = 0; k < count; k++) {
    const s = values.subarray(k * n, (k + 1) * n);
    const bad = s.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      calibError(`calibration sample ${count > 1 ? `${k} ` : ""}holds ${s[bad]} at element ${bad}`, file,
        "Calibration data must be finite: drop or fix that sample.");
    }
    out.push(s.slice());
  }
  return out;
}

function readLabels(file: string, count: number): number[] {
  const bytes = readInputFile(file, "labels file");
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    calibError(`labels file is not valid JSON: ${(e as Error).message}`, file, "Write a JSON array of integer class indices.");
  }
  if (!Array.isArray(parsed) || !parsed.every((v) => Number.isInteger(v) && v >= 0)) {
    calibError("labels file must be a JSON array of non-negative integers", file, "One class index per sample, in file-name order.");
  }
  if (parsed.length !== count) calibError(`labels file has ${parsed.length} labels for ${count} samples`, file, "Give one label per sample.");
  return parsed as number[];
}

/** Reads every sample under `path` for `input`; labels from `labelsPath` or a labels.json beside the data. */
export function readDataset(path: string, input: Tensor, labelsPath?: string): Dataset {
  if (input.dtype !== "float32") {
    throw new TinymlError("TML_E_INPUT_MISMATCH", `the model input '${input.name}' is ${input.dtype}; calibration needs a float32 model`, {
      hint: "Quantize the float model, not an already-quantized one.",
    });
  }
  if (!existsSync(path)) calibError(`calibration data not found: ${path}`, path, "Give a directory or file of .npy, .bin or .json samples.");
  const isDir = statSync(path).isDirectory();
  const files = isDir
    ? readdirSync(path)
        .filter((f) => EXTS.has(extname(f).toLowerCase()) && f !== "labels.json")
        .sort()
        .map((f) => join(path, f))
    : [path];
  const samples: Float32Array[] = [];
  const sources: string[] = [];
  for (const f of files) {
    const got = readSamples(f, input);
    got.forEach((s, k) => {
      samples.push(s);
      sources.push(got.length > 1 ? `${f}[${k}]` : f);
    });
  }
  if (samples.length === 0) {
    calibError(`no calibration samples in ${path}`, path, "Put .npy, .bin (float32) or .json samples there (tinyml needs at least one; a few hundred is typical).");
  }
  const labelFile = labelsPath ?? join(isDir ? path : dirname(path), "labels.json");
  const useLabels = labelsPath !== undefined || (existsSync(labelFile) && basename(path) !== "labels.json");
  return { samples, sources, ...(useLabels ? { labels: readLabels(labelFile, samples.length) } : {}) };
}

/** Uniform [-1, 1) samples from a fixed seed: a last resort that says nothing about real inputs. */
export function randomDataset(input: Tensor, count: number, seed = 1): Dataset {
  const next = rng(seed);
  const n = numElements(input.shape);
  const samples = Array.from({ length: count }, () => Float32Array.from({ length: n }, () => next() * 2 - 1));
  return { samples, sources: samples.map((_, k) => `random[${k}]`) };
}
