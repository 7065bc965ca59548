// Reading the binary weight shards a Layers model.json names. A manifest
// group's shards are concatenated, then sliced into its weights in order.
// Every weight comes back as float32 (quantized shards from tfjs-converter
// are dequantized), checked for size and for NaN/Inf.

import { readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { TinymlError } from "../../errors.js";
import type { LoadedWeight } from "../layers/config.js";
import type { WeightEntry, WeightsGroup } from "./format.js";

const STORED_BYTES: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

function weightsError(message: string, file: string | undefined, hint: string): never {
  throw new TinymlError("TML_E_WEIGHTS_INVALID", message, { location: file ? { file } : undefined, hint });
}

function storedDtype(w: WeightEntry): string {
  return w.quantization?.dtype ?? w.dtype;
}

function count(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function float16ToFloat32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

function decode(w: WeightEntry, bytes: Uint8Array): Float32Array {
  const n = count(w.shape);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(n);
  const q = w.quantization;
  const stored = storedDtype(w);
  for (let i = 0; i < n; i++) {
    switch (stored) {
      case "float32": out[i] = view.getFloat32(i * 4, true); break;
      case "int32": out[i] = view.getInt32(i * 4, true); break;
      case "bool": out[i] = bytes[i]!; break;
      case "uint8": out[i] = bytes[i]! * (q?.scale ?? 1) + (q?.min ?? 0); break;
      case "uint16": out[i] = view.getUint16(i * 2, true) * (q?.scale ?? 1) + (q?.min ?? 0); break;
      case "float16": out[i] = float16ToFloat32(view.getUint16(i * 2, true)); break;
    }
  }
  return out;
}

/** Reads every weight of the manifest; `modelPath` is model.json (shard paths are relative to it). */
export function readWeights(modelPath: string, manifest: WeightsGroup[]): Map<string, LoadedWeight> {
  const dir = dirname(modelPath);
  const weights = new Map<string, LoadedWeight>();
  for (const group of manifest) {
    const files = group.paths.map((p) => join(dir, p));
    for (const w of group.weights) {
      if (STORED_BYTES[storedDtype(w)] === undefined) {
        weightsError(`weight '${w.name}' has dtype ${storedDtype(w)}, which tinyml cannot read`, modelPath,
          "Save the model with float32 weights (no --quantize_* option in tensorflowjs_converter).");
      }
    }
    const expected = group.weights.reduce((s, w) => s + count(w.shape) * STORED_BYTES[storedDtype(w)]!, 0);
    const parts: Uint8Array[] = [];
    for (const f of files) {
      let size: number;
      try {
        size = statSync(f).size;
      } catch {
        weightsError(`weight shard ${f} is missing (the weights group needs ${expected} bytes in ${files.length} shard(s))`, f,
          "Copy every weights file that model.json's weightsManifest names next to model.json.");
      }
      if (size > 0 || expected === 0) parts.push(new Uint8Array(readFileSync(f)));
    }
    const total = parts.reduce((s, p) => s + p.byteLength, 0);
    if (total !== expected) {
      weightsError(
        `weight shard${files.length > 1 ? "s" : ""} ${files.join(", ")} hold${files.length > 1 ? "" : "s"} ${total} bytes, ` +
          `but the manifest's weights need ${expected} bytes`,
        files[files.length - 1],
        "The weights file is truncated or belongs to another model; re-save the model.",
      );
    }
    const all = new Uint8Array(total);
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.byteLength;
    }
    let offset = 0;
    for (const w of group.weights) {
      const len = count(w.shape) * STORED_BYTES[storedDtype(w)]!;
      const values = decode(w, all.subarray(offset, offset + len));
      offset += len;
      const bad = values.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) {
        weightsError(`weight '${w.name}' holds ${values[bad]} at index ${bad}`, files[0],
          "The model diverged in training or was corrupted; tinyml needs finite weights.");
      }
      weights.set(w.name, { shape: [...w.shape], values });
    }
  }
  return weights;
}
