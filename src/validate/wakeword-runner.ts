// `tinyml test --wakeword DIR`'s engine: every clip of a labelled set is
// streamed to a board running `--app wakeword` (each from a restarted
// stream, as the host reference starts each clip with a fresh frontend),
// the identical pipeline runs on the host (src/wakeword/evaluate.ts), and
// every frame's features, scores, smoothing result and event must be equal.
// The metrics (FRR, false accepts per hour, latency) are scored on the
// device's events; the duty cycle on the device's per-frame ticks.

import type { Board } from "../boards/board.js";
import { openLine, type OpenDeviceOptions } from "../device/launch.js";
import { WakewordClient, type DeviceFrame } from "../device/wakeword-client.js";
import { TinymlError } from "../errors.js";
import type { LoadedModel } from "../model/load.js";
import type { WakewordEvent } from "../wakeword/events.js";
import { evaluateSet, type SetEvaluation } from "../wakeword/evaluate.js";
import type { LabelledSet } from "../wakeword/labels.js";
import { CORTEX_M4_64MHZ_FRAME_CYCLES, DEFAULT_TOLERANCE_MS, dutyCycle, summarize, wakewordMetrics, type DutyCycle, type Stats, type WakewordMetrics } from "../wakeword/metrics.js";
import { MICRO_SPEECH_LABELS, SAMPLE_RATE } from "../wakeword/settings.js";
import type { RecognizeConfig } from "../wakeword/smoothing.js";
import { compareFrames, deviceEvents } from "./wakeword-compare.js";

export interface WakewordTestOptions {
  board: Board;
  image: string;
  frontend: LoadedModel;
  classifier: LoadedModel;
  set: LabelledSet;
  labels?: readonly string[];
  recognize?: Partial<RecognizeConfig>;
  open?: OpenDeviceOptions;
  /** After each clip, with the device's frames (for callers that check them against more than the host). */
  onClip?: (clip: ClipResult, frames: readonly DeviceFrame[]) => void;
}

export interface ClipResult {
  name: string;
  durationS: number;
  frames: number;
  /** Empty when every frame equals the host's. */
  mismatches: string[];
  deviceEvents: WakewordEvent[];
  hostEvents: WakewordEvent[];
  /** Wall time to stream the clip: audio seconds per wall second. */
  realtimeFactor: number;
}

export interface StageStats {
  frontend: Stats | undefined;
  classifier: Stats | undefined;
  smoothing: Stats | undefined;
  /** frontend + classifier + smoothing per frame. */
  total: Stats | undefined;
}

export interface WakewordTestReport {
  board: string;
  where: string;
  status: "pass" | "fail";
  clips: ClipResult[];
  /** Scored on the device's events. */
  metrics: WakewordMetrics;
  timerHz: number;
  /** Per-frame ticks by stage. */
  ticks: StageStats;
  /** Per-frame instructions by stage (QEMU under -icount). */
  instructions?: StageStats;
  /** Per-frame compute against 20 ms: instructions as 64 MHz Cortex-M4 cycles under QEMU, else the timer's time. */
  dutyCycle: DutyCycle | undefined;
  /** The host reference's per-frame wall time against 20 ms (for comparison). */
  hostDutyCycle: DutyCycle | undefined;
  durationMs: number;
}

export async function runWakewordTest(opts: WakewordTestOptions): Promise<WakewordTestReport> {
  const started = Date.now();
  const labels = opts.labels ?? MICRO_SPEECH_LABELS;
  const host: SetEvaluation = evaluateSet(opts.set, opts.frontend.model, opts.classifier.model, { labels, recognize: opts.recognize });
  const line = await openLine(opts.board, opts.image, opts.open);
  const clips: ClipResult[] = [];
  const frames: DeviceFrame[] = [];
  let timerHz: number;
  try {
    const { client, info } = await WakewordClient.connect(line.transport, line.clientDefaults);
    try {
      if (info.modelSha256 !== opts.classifier.sha256) {
        throw new TinymlError("TML_E_TEST_FAILED", `the firmware on ${line.where} runs classifier ${info.modelSha256.slice(0, 12)}…, not ${opts.classifier.path} (${opts.classifier.sha256.slice(0, 12)}…)`, {
          hint: "rebuild it: tinyml build --app wakeword with the same models (or drop --no-build)",
        });
      }
      timerHz = info.timerHz;
      for (const [i, clip] of opts.set.clips.entries()) {
        await client.resetStream();
        const t0 = Date.now();
        const got = await client.stream(clip.samples);
        const wallS = Math.max(1e-3, (Date.now() - t0) / 1000);
        const ref = host.clips[i]!;
        const result: ClipResult = {
          name: clip.name, durationS: clip.durationS, frames: got.length,
          mismatches: compareFrames(ref.frames, got),
          deviceEvents: deviceEvents(got, labels), hostEvents: ref.events,
          realtimeFactor: clip.samples.length / SAMPLE_RATE / wallS,
        };
        clips.push(result);
        frames.push(...got);
        opts.onClip?.(result, got);
      }
    } finally {
      await client.close();
    }
  } finally {
    await line.close();
  }
  const metrics = wakewordMetrics(
    opts.set.clips.map((c, i) => ({ name: c.name, durationS: c.durationS, occurrences: c.occurrences, events: clips[i]!.deviceEvents })),
    DEFAULT_TOLERANCE_MS,
  );
  const ticks = stageStats(frames, 1);
  const ipt = line.instructionsPerTick;
  const perFrame = frames.map((f) => f.ticks.frontend + f.ticks.classifier + f.ticks.smoothing);
  return {
    board: opts.board.id, where: line.where,
    status: clips.every((c) => c.mismatches.length === 0) ? "pass" : "fail",
    clips, metrics, timerHz, ticks,
    ...(ipt !== undefined ? { instructions: stageStats(frames, ipt) } : {}),
    // Under -icount an instruction is the unit of work: read as cycles of a
    // 64 MHz Cortex-M4 (1.28 M per 20 ms frame), the budget the issue sets.
    dutyCycle: ipt !== undefined
      ? dutyCycle(perFrame.map((t) => t * ipt), CORTEX_M4_64MHZ_FRAME_CYCLES * 50)
      : dutyCycle(perFrame, timerHz, { countsAreCycles: false }),
    hostDutyCycle: host.hostDutyCycle,
    durationMs: Date.now() - started,
  };
}

function stageStats(frames: readonly DeviceFrame[], scale: number): StageStats {
  const scored = frames.filter((f) => f.scores);
  return {
    frontend: summarize(frames.map((f) => f.ticks.frontend * scale)),
    classifier: summarize(scored.map((f) => f.ticks.classifier * scale)),
    smoothing: summarize(scored.map((f) => f.ticks.smoothing * scale)),
    total: summarize(frames.map((f) => (f.ticks.frontend + f.ticks.classifier + f.ticks.smoothing) * scale)),
  };
}
