// Paths to the copied TFLM models and golden outputs (see fixtures/NOTICE.md).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const fixturesDir = fileURLToPath(new URL("./fixtures/", import.meta.url));

export const SHARED_MODELS = [
  "hello_world_int8",
  "hello_world_float",
  "micro_speech_quantized",
  "audio_preprocessor_int8",
  "audio_preprocessor_float",
  "person_detect",
] as const;
export type SharedModel = (typeof SHARED_MODELS)[number];

export function modelPath(name: SharedModel): string {
  return `${fixturesDir}models/${name}.tflite`;
}

export interface GoldenTensorSpec {
  tensor_index?: number;
  name?: string;
  type: string;
  shape: number[];
  scale: number | number[];
  zero_point: number | number[];
}

export interface GoldenCase {
  name: string;
  inputs: string[];
  outputs: Array<GoldenTensorSpec & { values: number[] }>;
}

export interface Golden {
  model: string;
  inputs: GoldenTensorSpec[];
  outputs: GoldenTensorSpec[];
  ops: string[];
  arena_used_bytes_host64: number;
  cases: GoldenCase[];
}

export function loadGolden(name: SharedModel): Golden {
  return JSON.parse(readFileSync(`${fixturesDir}golden/${name}.json`, "utf8")) as Golden;
}

/** Raw bytes of a golden case input (path as written in the golden JSON). */
export function goldenInput(relPath: string): Uint8Array {
  return new Uint8Array(readFileSync(`${fixturesDir}golden/${relPath}`));
}
