// What a model carries for tinyml beyond its graph: the class names of its
// output and the quantization its input must have. `tinyml finetune` writes
// them into model.json's userDefinedMetadata.tinyml (TF.js's own place for
// user data); the Layers loader turns that into a .tflite metadata entry
// named "tinyml" (JSON), which quantize and convert carry along, so an int8
// classifier knows its labels wherever it is copied to.
//
// inputQuantization pins the int8 input's scale and zero point instead of
// calibrating them: a wake-word classifier is fed the frontend's int8
// features byte for byte, so its input must be in exactly their scale.

import { TinymlError } from "../errors.js";
import type { Model } from "./ir.js";

export const TINYML_METADATA = "tinyml";

export interface InputQuantization {
  scale: number;
  zeroPoint: number;
}

export interface TinymlMetadata {
  labels?: string[];
  inputQuantization?: InputQuantization;
}

function invalid(message: string, file?: string): never {
  throw new TinymlError("TML_E_MODEL_INVALID", `tinyml metadata: ${message}`, {
    location: file ? { file, detail: "metadata 'tinyml'" } : { detail: "metadata 'tinyml'" },
    hint: "It is {\"labels\": [names…], \"inputQuantization\": {\"scale\": S, \"zeroPoint\": Z}}, both optional; re-run tinyml finetune or fix model.json's userDefinedMetadata.tinyml.",
  });
}

/** Checks an untrusted value (parsed JSON) and returns it typed. */
export function parseTinymlMetadata(value: unknown, file?: string): TinymlMetadata {
  if (typeof value !== "object" || value === null || Array.isArray(value)) invalid("must be a JSON object", file);
  const v = value as Record<string, unknown>;
  const out: TinymlMetadata = {};
  if (v.labels !== undefined) {
    if (!Array.isArray(v.labels) || v.labels.length === 0 || !v.labels.every((l) => typeof l === "string" && /^[\x21-\x7e]{1,64}$/.test(l))) {
      invalid("labels must be a non-empty list of printable names without spaces (at most 64 characters)", file);
    }
    out.labels = [...(v.labels as string[])];
  }
  if (v.inputQuantization !== undefined) {
    const q = v.inputQuantization as Record<string, unknown> | null;
    const scale = q?.scale, zp = q?.zeroPoint;
    if (typeof scale !== "number" || !(scale > 0) || !Number.isFinite(scale) || !Number.isInteger(zp) || (zp as number) < -128 || (zp as number) > 127) {
      invalid("inputQuantization needs a positive finite scale and an integer zeroPoint in [-128, 127]", file);
    }
    out.inputQuantization = { scale, zeroPoint: zp as number };
  }
  return out;
}

/** The model's tinyml metadata ({} when it has none). */
export function readTinymlMetadata(model: Model, file?: string): TinymlMetadata {
  const entry = model.metadata.find((m) => m.name === TINYML_METADATA);
  if (!entry) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(entry.data));
  } catch (e) {
    invalid(`not valid UTF-8 JSON (${(e as Error).message})`, file);
  }
  return parseTinymlMetadata(parsed, file);
}

/** The model with its tinyml metadata replaced (removed when `m` is empty). */
export function withTinymlMetadata(model: Model, m: TinymlMetadata): Model {
  const others = model.metadata.filter((e) => e.name !== TINYML_METADATA);
  if (m.labels === undefined && m.inputQuantization === undefined) return { ...model, metadata: others };
  const data = new TextEncoder().encode(JSON.stringify(m));
  return { ...model, metadata: [...others, { name: TINYML_METADATA, data }] };
}
