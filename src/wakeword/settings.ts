// TFLM micro_speech's micro_model_settings.h, the shape of the whole
// streaming pipeline: 16 kHz audio, a 30 ms window every 20 ms, 40 features
// per window, 49 windows (~1 s) per classification.

export const SAMPLE_RATE = 16000;
/** kFeatureDurationMs (30) at 16 kHz. */
export const WINDOW_SAMPLES = 480;
/** kFeatureStrideMs (20) at 16 kHz. */
export const HOP_SAMPLES = 320;
/** kFeatureSize. */
export const FEATURE_SIZE = 40;
/** kFeatureCount. */
export const FEATURE_COUNT = 49;
/** kCategoryLabels. */
export const MICRO_SPEECH_LABELS: readonly string[] = ["silence", "unknown", "yes", "no"];

/** Audio time at the end of frame `index`'s window, in ms (20 * index + 30). */
export function frameTimeMs(index: number): number {
  return ((index * HOP_SAMPLES + WINDOW_SAMPLES) * 1000) / SAMPLE_RATE;
}

/**
 * The quantization of the frontend's int8 features (audio_preprocessor_int8
 * writes them; micro_speech's int8 input reads them as f = (q + 128) * s, with
 * s the float32 nearest 0.101716 that micro_speech_quantized.tflite stores).
 * A classifier's int8 input must be in this scale to be fed them.
 */
export const FEATURE_SCALE = 0.10171568393707275;
export const FEATURE_ZERO_POINT = -128;
