// The host reference over a whole labelled set: each clip streamed through a
// fresh pipeline (a recording starts with a fresh frontend state, as a device
// booted for it would), then the metrics. `tinyml test --wakeword` compares a
// device's per-clip events with `clips[i].events` and reports these metrics.

import type { Model } from "../model/ir.js";
import type { WakewordEvent } from "./events.js";
import type { LabelledSet } from "./labels.js";
import { dutyCycleFromMs, wakewordMetrics, DEFAULT_TOLERANCE_MS, type DutyCycle, type WakewordMetrics } from "./metrics.js";
import { prepareWakewordModels, runWakeword, type PipelineFrame, type StageTimes } from "./pipeline.js";
import { MICRO_SPEECH_LABELS } from "./settings.js";
import type { RecognizeConfig } from "./smoothing.js";

export interface ClipRun {
  name: string;
  /** Every frame's features, scores and smoothing result: what a device run is compared with. */
  frames: PipelineFrame[];
  events: WakewordEvent[];
  times: StageTimes;
}

export interface SetEvaluation {
  clips: ClipRun[];
  metrics: WakewordMetrics;
  /** Host per-frame compute (frontend + classifier + smoothing) against 20 ms. */
  hostDutyCycle: DutyCycle | undefined;
}

export interface EvaluateOptions {
  labels?: readonly string[];
  recognize?: Partial<RecognizeConfig>;
  toleranceMs?: number;
  /** Classify every N-th frame (the firmware's TML_WW_CLASSIFY_EVERY). */
  classifyEvery?: number;
}

export function evaluateSet(set: LabelledSet, frontend: Model, classifier: Model, opts: EvaluateOptions = {}): SetEvaluation {
  const labels = opts.labels ?? MICRO_SPEECH_LABELS;
  const clips = set.clips.map((clip): ClipRun => {
    const r = runWakeword(prepareWakewordModels(frontend, classifier, labels), clip.samples, opts.recognize, undefined, opts.classifyEvery);
    return { name: clip.name, frames: r.frames, events: r.events, times: r.times };
  });
  const metrics = wakewordMetrics(
    set.clips.map((c, i) => ({ name: c.name, durationS: c.durationS, occurrences: c.occurrences, events: clips[i]!.events })),
    opts.toleranceMs ?? DEFAULT_TOLERANCE_MS,
  );
  return { clips, metrics, hostDutyCycle: dutyCycleFromMs(clips.flatMap((c) => perFrameMs(c.times, c.frames))) };
}

/** Per-frame total: every frame runs the frontend; classifier and smoothing start at frame 49 (every N-th frame from there). */
function perFrameMs(t: StageTimes, frames: readonly PipelineFrame[]): number[] {
  let k = 0;
  return t.frontendMs.map((f, i) => f + (frames[i]?.scores ? t.classifierMs[k]! + t.smoothingMs[k++]! : 0));
}
