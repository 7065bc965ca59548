// A dataset in the MLPerf Tiny runner's own layout (benchmark/runner/
// datasets.py, benchmark/evaluation/datasets/README.md): a directory with
// y_labels.csv, one line per file and no header —
//   file,classes,class                          (kws01, vww01, ic01)
//   file,classes,class,bytes_to_send,stride     (ad01: a sliding window)
// — and the .bin files beside it in the benchmark's encoding. ad01's files
// are whole spectrograms; the runner sends every window of bytes_to_send
// bytes, stride bytes apart, in accuracy mode and averages their scores.

import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { TinymlError } from "../errors.js";
import type { EembcBenchmark } from "./benchmarks.js";

export interface DatasetFile {
  file: string;
  path: string;
  /** The true class (ad01: 0 normal, 1 anomaly). */
  label: number;
  classes: number;
  /** What the runner sends for this file: the whole file, or each ad01 window. */
  samples: Uint8Array[];
}

export const LABELS_FILE = "y_labels.csv";

export function isRunnerDataset(dir: string): boolean {
  try {
    return statSync(dir).isDirectory() && existsSync(join(dir, LABELS_FILE));
  } catch {
    return false;
  }
}

/** Reads the dataset, checking every file is the size the model's input takes (`sampleBytes`). */
export function readRunnerDataset(dir: string, b: EembcBenchmark, sampleBytes: number): DatasetFile[] {
  const labels = join(dir, LABELS_FILE);
  const lines = readFileSync(labels, "utf8").split(/\r?\n/);
  const out: DatasetFile[] = [];
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === "") return;
    const at = { file: labels, line: i + 1 };
    const fields = line.split(",").map((s) => s.trim());
    const want = b.io === "float-mse" ? 5 : 3;
    const nums = fields.slice(1).map(Number);
    if (fields.length < want || nums.slice(0, want - 1).some((n) => !Number.isInteger(n) || n < 0)) {
      throw new TinymlError("TML_E_INPUT_MISMATCH", `${labels}:${i + 1}: expected '${b.io === "float-mse" ? "file,classes,class,bytes_to_send,stride" : "file,classes,class"}', got '${line}'`, {
        location: at, hint: "The runner reads this file with csv.DictReader and these field names, without a header line.",
      });
    }
    const [classes, label] = nums as [number, number];
    const path = join(dir, fields[0]!);
    if (!existsSync(path)) {
      throw new TinymlError("TML_E_FILE_NOT_FOUND", `${labels}:${i + 1} names ${fields[0]}, which is not in ${dir}`, { location: at, hint: "Every file y_labels.csv lists must be beside it." });
    }
    const data = new Uint8Array(readFileSync(path));
    let samples: Uint8Array[];
    if (b.io === "float-mse") {
      const [window, stride] = nums.slice(2, 4) as [number, number];
      if (window !== sampleBytes || stride < 1) {
        throw new TinymlError("TML_E_INPUT_MISMATCH", `${labels}:${i + 1}: ${fields[0]} is sent in windows of ${window} bytes (stride ${stride}); the model's input takes ${sampleBytes} bytes (${sampleBytes / 4} float32)`, {
          location: at, hint: `Give bytes_to_send ${sampleBytes} and a stride >= 1.`,
        });
      }
      samples = [];
      for (let start = 0; start + window <= data.length; start += stride) samples.push(data.subarray(start, start + window));
      if (samples.length === 0) {
        throw new TinymlError("TML_E_INPUT_MISMATCH", `${path} holds ${data.length} bytes, less than one ${window}-byte window`, { location: { file: path }, hint: "Each ad01 file is a spectrogram of at least one window." });
      }
    } else {
      if (data.length !== sampleBytes) {
        throw new TinymlError("TML_E_INPUT_MISMATCH", `${path} holds ${data.length} bytes; ${b.id}'s model takes ${sampleBytes} (one ${b.io === "uint8" ? "uint8 image" : "int8 tensor"})`, {
          location: { file: path }, hint: `Each ${b.id} file is one input in the benchmark's encoding: ${sampleBytes} bytes.`,
        });
      }
      samples = [data];
    }
    out.push({ file: fields[0]!, path, label, classes, samples });
  });
  if (out.length === 0) throw new TinymlError("TML_E_INPUT_MISMATCH", `${labels} lists no files`, { location: { file: labels } });
  return out;
}
