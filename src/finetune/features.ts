// Clip → classifier input through the device's own frontend: TFLM's
// audio_preprocessor_int8 run by the bit-exact reference, 30 ms windows every
// 20 ms over a 1 s clip → 49 frames × 40 int8 features, then to float with the
// classifier input's scale and zero point (micro_speech's int8 input is
// q = f / 0.101716 - 128, so a float model trained on these values quantizes
// to exactly the int8 features the device feeds it).

import { readTflite } from "../model/tflite/reader.js";
import type { Model } from "../model/ir.js";
import { packagePath } from "../paths.js";
import { prepareReference } from "../reference/interpreter.js";
// Registers the Signal* custom kernels the frontend model is made of.
import "../reference/kernels/signal/index.js";
import { readInputFile } from "../util/files.js";
import { FEATURE_COUNT, FEATURE_SCALE, FEATURE_SIZE, FEATURE_ZERO_POINT, HOP_SAMPLES, SAMPLE_RATE, WINDOW_SAMPLES } from "../wakeword/settings.js";

/** One classifier window: 1 s of audio. */
export const CLIP_SAMPLES = SAMPLE_RATE;
export { FEATURE_SCALE, FEATURE_ZERO_POINT } from "../wakeword/settings.js";
export const FEATURE_SHAPE = [FEATURE_COUNT, FEATURE_SIZE, 1] as const;

export const DEFAULT_FRONTEND = packagePath("examples", "models", "audio_preprocessor_int8.tflite");

export function loadFrontend(path = DEFAULT_FRONTEND): Model {
  return readTflite(readInputFile(path, "frontend model"), path);
}

/** The int8 features of a 1 s clip; a fresh frontend per clip, as a fresh stream on the device. */
export function clipFeaturesInt8(frontend: Model, clip: Int16Array): Int8Array {
  const fe = prepareReference(frontend);
  const out = new Int8Array(FEATURE_COUNT * FEATURE_SIZE);
  for (let f = 0; f < FEATURE_COUNT; f++) {
    const window = clip.subarray(f * HOP_SAMPLES, f * HOP_SAMPLES + WINDOW_SAMPLES);
    out.set(fe.invoke([window])[0] as Int8Array, f * FEATURE_SIZE);
  }
  return out;
}

export function dequantizeFeatures(q: Int8Array): Float32Array {
  const f = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) f[i] = (q[i]! - FEATURE_ZERO_POINT) * FEATURE_SCALE;
  return f;
}

/** Float classifier input of a 1 s clip. */
export function clipFeatures(frontend: Model, clip: Int16Array): Float32Array {
  return dequantizeFeatures(clipFeaturesInt8(frontend, clip));
}
