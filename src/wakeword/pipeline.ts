// The host side of streaming keyword spotting, the reference the device's
// `--app wakeword` is compared with. It mirrors TFLM's micro_speech
// (micro_speech_test.cc GenerateFeatures / LoadMicroSpeechModelAndPerformInference):
//   PCM in any block size -> every 320 samples (20 ms) the last 480 samples
//   (30 ms) go through the frontend model -> 40 int8 features into a ring of
//   49 frames -> once 49 frames exist, the classifier on all of them after
//   every new frame (or every N-th: classifyEvery, the firmware's
//   TML_WW_CLASSIFY_EVERY) -> RecognizeCommands smoothing -> events.
// The frontend is ONE prepared interpreter for the whole stream: its PCAN and
// noise-reduction state lives in variable tensors and must carry across
// windows, as on the device. A fresh stream needs a freshly prepared frontend.

import { performance } from "node:perf_hooks";
import { TinymlError } from "../errors.js";
import { mainGraph, numElements } from "../model/graph.js";
import type { Model } from "../model/ir.js";
import { prepareReference, type ReferenceInterpreter } from "../reference/interpreter.js";
// Registers the Signal* custom kernels the frontend model is made of.
import "../reference/kernels/signal/index.js";
import { EventDetector, type WakewordEvent } from "./events.js";
import { FEATURE_COUNT, FEATURE_SIZE, frameTimeMs, HOP_SAMPLES, MICRO_SPEECH_LABELS, WINDOW_SAMPLES } from "./settings.js";
import type { RecognizeConfig, RecognizeResult } from "./smoothing.js";


export interface WakewordModels {
  /** audio_preprocessor_int8: int16[480] -> int8[40]. */
  frontend: ReferenceInterpreter;
  /** micro_speech_quantized: int8[49*40] -> int8[labels]. */
  classifier: ReferenceInterpreter;
  labels: readonly string[];
}

/** One 20 ms hop's output. */
export interface PipelineFrame {
  index: number;
  /** Audio time at the end of this frame's window: 20 * index + 30 ms. */
  timeMs: number;
  features: Int8Array;
  /** Present once FEATURE_COUNT frames exist. */
  scores?: Int8Array;
  smoothed?: RecognizeResult;
  event?: WakewordEvent;
}

export interface StageTimes {
  frontendMs: number[];
  classifierMs: number[];
  smoothingMs: number[];
}

/** Prepares both models (checking their shapes) for one stream. */
export function prepareWakewordModels(frontend: Model, classifier: Model, labels = MICRO_SPEECH_LABELS): WakewordModels {
  checkIo(frontend, "frontend", "int16", WINDOW_SAMPLES, "int8", FEATURE_SIZE);
  checkIo(classifier, "classifier", "int8", FEATURE_COUNT * FEATURE_SIZE, "int8", labels.length);
  return { frontend: prepareReference(frontend), classifier: prepareReference(classifier), labels };
}

export class WakewordPipeline {
  readonly models: WakewordModels;
  readonly times: StageTimes = { frontendMs: [], classifierMs: [], smoothingMs: [] };
  private readonly detector: EventDetector;
  private readonly window = new Int16Array(WINDOW_SAMPLES);
  private filled = 0; // samples in `window`
  private readonly ring = new Int8Array(FEATURE_COUNT * FEATURE_SIZE);
  private frames = 0;
  private readonly classifierInput = new Int8Array(FEATURE_COUNT * FEATURE_SIZE);

  /** Classify on every N-th frame from the 49th on (the firmware's TML_WW_CLASSIFY_EVERY). */
  readonly classifyEvery: number;

  constructor(models: WakewordModels, recognize: Partial<RecognizeConfig> = {}, classifyEvery = 1) {
    this.models = models;
    this.classifyEvery = checkClassifyEvery(classifyEvery);
    this.detector = new EventDetector(models.labels, recognize);
  }

  /** Streams samples in; returns the frames completed by them. */
  push(samples: Int16Array): PipelineFrame[] {
    const out: PipelineFrame[] = [];
    for (let at = 0; at < samples.length; ) {
      const take = Math.min(WINDOW_SAMPLES - this.filled, samples.length - at);
      this.window.set(samples.subarray(at, at + take), this.filled);
      this.filled += take;
      at += take;
      if (this.filled === WINDOW_SAMPLES) {
        out.push(this.step());
        // Keep the last 160 samples: the next window overlaps this one by 10 ms.
        this.window.copyWithin(0, HOP_SAMPLES);
        this.filled = WINDOW_SAMPLES - HOP_SAMPLES;
      }
    }
    return out;
  }

  private step(): PipelineFrame {
    const index = this.frames++;
    const timeMs = frameTimeMs(index);
    let t0 = performance.now();
    const features = this.models.frontend.invoke([this.window])[0] as Int8Array;
    this.times.frontendMs.push(performance.now() - t0);
    this.ring.set(features, (index % FEATURE_COUNT) * FEATURE_SIZE);
    const frame: PipelineFrame = { index, timeMs, features };
    if (this.frames < FEATURE_COUNT || (this.frames - FEATURE_COUNT) % this.classifyEvery !== 0) return frame;

    // Oldest frame first, as micro_speech's feature buffer is laid out.
    const oldest = this.frames % FEATURE_COUNT;
    this.classifierInput.set(this.ring.subarray(oldest * FEATURE_SIZE));
    this.classifierInput.set(this.ring.subarray(0, oldest * FEATURE_SIZE), (FEATURE_COUNT - oldest) * FEATURE_SIZE);
    t0 = performance.now();
    const scores = this.models.classifier.invoke([this.classifierInput])[0] as Int8Array;
    this.times.classifierMs.push(performance.now() - t0);

    t0 = performance.now();
    const { result, event } = this.detector.push(scores, timeMs);
    this.times.smoothingMs.push(performance.now() - t0);
    return { ...frame, scores, smoothed: result, ...(event ? { event } : {}) };
  }
}

export interface StreamResult {
  frames: PipelineFrame[];
  events: WakewordEvent[];
  times: StageTimes;
}

/** Runs a whole recording through a pipeline, fed in `blockSize` pieces like a microphone DMA. */
export function runWakeword(models: WakewordModels, samples: Int16Array, recognize: Partial<RecognizeConfig> = {}, blockSize = 512, classifyEvery = 1): StreamResult {
  const p = new WakewordPipeline(models, recognize, classifyEvery);
  const frames: PipelineFrame[] = [];
  for (let at = 0; at < samples.length; at += blockSize) frames.push(...p.push(samples.subarray(at, at + blockSize)));
  return { frames, events: frames.flatMap((f) => (f.event ? [f.event] : [])), times: p.times };
}

/** The most frames one classification may stand for: beyond 1 s the smoothing window holds under 3 results. */
export const MAX_CLASSIFY_EVERY = 16;

export function checkClassifyEvery(n: number): number {
  if (Number.isInteger(n) && n >= 1 && n <= MAX_CLASSIFY_EVERY) return n;
  throw new TinymlError("TML_E_USAGE", `--classify-every ${n} must be a whole number from 1 to ${MAX_CLASSIFY_EVERY}`, {
    hint: "1 classifies every 20 ms frame (TFLM's micro_speech); 2 or 3 halve or third the classifier's share of a slow board's time.",
  });
}

function checkIo(model: Model, role: string, inType: string, inCount: number, outType: string, outCount: number): void {
  const g = mainGraph(model);
  const describe = (i: number): string => `${g.tensors[i]!.dtype} [${g.tensors[i]!.shape.join("×")}]`;
  const ok = (ids: number[], dtype: string, count: number): boolean =>
    ids.length === 1 && g.tensors[ids[0]!]!.dtype === dtype && numElements(g.tensors[ids[0]!]!.shape) === count;
  if (!ok(g.inputs, inType, inCount) || !ok(g.outputs, outType, outCount)) {
    const want = role === "classifier" ? `${inType} ${FEATURE_COUNT}×${FEATURE_SIZE} features in, ${outType} [${outCount}] scores out (one per label)` : `${inType} [${inCount}] audio in, ${outType} [${outCount}] features out`;
    throw new TinymlError(
      "TML_E_MODEL_UNSUPPORTED",
      `the wake-word ${role} must take ${want}; this model takes ${g.inputs.map(describe).join(", ")} and gives ${g.outputs.map(describe).join(", ")}`,
      { hint: role === "classifier" ? "Use a micro_speech-style classifier (49 frames of 40 features) whose outputs match the label list." : "Use TFLM's audio_preprocessor_int8.tflite (30 ms windows at 16 kHz, 40 int8 features)." },
    );
  }
}
