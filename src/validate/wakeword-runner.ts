// `tinyml test --wakeword DIR` on one board: every clip of a labelled set is
// streamed to a board running `--app wakeword` (each from a restarted
// stream, as the host reference starts each clip with a fresh frontend),
// the identical pipeline runs on the host (src/wakeword/evaluate.ts), and
// every frame's features, scores, smoothing result and event must be equal.
// The metrics (FRR, false accepts per hour, latency) are scored on the
// device's events; the duty cycle on the device's per-frame ticks.

import { noAnswer } from "../device/launch.js";
import { PROTOCOL_VERSION } from "../device/protocol.js";
import { WakewordClient, type DeviceFrame } from "../device/wakeword-client.js";
import type { LoadedModel } from "../model/load.js";
import type { DeviceSession } from "../session/session.js";
import { evaluateSet, type SetEvaluation } from "../wakeword/evaluate.js";
import type { LabelledSet } from "../wakeword/labels.js";
import { CORTEX_M4_64MHZ_FRAME_CYCLES, DEFAULT_TOLERANCE_MS, dutyCycle, summarize, wakewordMetrics } from "../wakeword/metrics.js";
import { MICRO_SPEECH_LABELS, SAMPLE_RATE } from "../wakeword/settings.js";
import { RECOGNIZE_DEFAULTS, type RecognizeConfig } from "../wakeword/smoothing.js";
import { boardDutyCycle, dutyCycleWarnings } from "../wakeword/realtime.js";
import { recommendThreshold, thresholdSweep, undetectableClips, type RecordedClip } from "../wakeword/sweep.js";
import { worst, type BoardRun, type CaseResult, type WakewordClipResult, type WakewordStageStats, type WakewordTrace } from "./report.js";
import { compareFrames, deviceEvents } from "./wakeword-compare.js";

export interface WakewordMode {
  kind: "wakeword";
  frontend: LoadedModel;
  classifier: LoadedModel;
  set: LabelledSet;
  labels?: readonly string[];
  recognize?: Partial<RecognizeConfig>;
  /** Classify every N-th frame: what the firmware was built with (TML_WW_CLASSIFY_EVERY). */
  classifyEvery?: number;
  /** False accepts per hour the recommended threshold must meet (default 1). */
  targetFaPerHour?: number;
  /** Keep every clip's per-frame scores in the summary (for --scores and the HTML report's traces). */
  traces?: boolean;
  /** After each clip, with the device's frames (for callers that check them against more than the host). */
  onClip?: (clip: WakewordClipResult, frames: readonly DeviceFrame[]) => void;
}

/**
 * Streams every clip to the device and compares each frame with the host
 * pipeline's. Each clip becomes one case of the board's run (pass when every
 * frame is equal); the detection metrics and per-frame compute go into the
 * run's wake-word summary.
 */
export async function runWakewordStream(s: DeviceSession, mode: WakewordMode, run: BoardRun, onCase: (c: CaseResult) => void): Promise<void> {
  const labels = mode.labels ?? MICRO_SPEECH_LABELS;
  const host: SetEvaluation = evaluateSet(mode.set, mode.frontend.model, mode.classifier.model, { labels, recognize: mode.recognize, classifyEvery: mode.classifyEvery });
  const clips: WakewordClipResult[] = [];
  const clipFrames: DeviceFrame[][] = [];
  const { client, info } = await WakewordClient.connect(s.line.transport, s.client).catch((e: unknown) => {
    throw noAnswer(e, s.target.board, s.line.where);
  });
  try {
    run.firmware = {
      board: info.boardId, runtime: info.runtime, tinymlVersion: info.tinymlVersion, modelSha256: info.modelSha256,
      arenaBytes: info.arenaBytes, timerHz: info.timerHz, protocolVersion: PROTOCOL_VERSION,
    };
    const hashOk = info.modelSha256 === mode.classifier.sha256;
    run.checks.push({
      name: "classifier hash", status: hashOk ? "pass" : "fail",
      ...(hashOk ? {} : {
        message: `the firmware on ${s.line.where} runs classifier ${info.modelSha256.slice(0, 12)}…, not ${mode.classifier.path} (${mode.classifier.sha256.slice(0, 12)}…). Rebuild it: ${s.firmware.rebuild}`,
      }),
    });
    if (!hashOk) {
      run.status = "fail";
      return;
    }
    for (const [i, clip] of mode.set.clips.entries()) {
      const started = Date.now();
      await client.resetStream();
      const got = await client.stream(clip.samples);
      const wallS = Math.max(1e-3, (Date.now() - started) / 1000);
      const ref = host.clips[i]!;
      const result: WakewordClipResult = {
        name: clip.name, durationS: clip.durationS, frames: got.length,
        mismatches: compareFrames(ref.frames, got),
        deviceEvents: deviceEvents(got, labels), hostEvents: ref.events,
        realtimeFactor: clip.samples.length / SAMPLE_RATE / wallS,
      };
      clips.push(result);
      clipFrames.push(got);
      mode.onClip?.(result, got);
      const c: CaseResult = {
        name: clip.name, inputs: [clip.name], status: result.mismatches.length === 0 ? "pass" : "fail", retried: false, outputs: [], ticks: [],
        durationMs: Date.now() - started,
        ...(result.mismatches.length > 0 ? { error: { code: "TML_E_TEST_FAILED", message: result.mismatches.join("; ") } } : {}),
      };
      run.cases.push(c);
      onCase(c);
    }
  } finally {
    await client.close().catch(() => undefined);
  }
  const metrics = wakewordMetrics(
    mode.set.clips.map((c, i) => ({ name: c.name, durationS: c.durationS, occurrences: c.occurrences, events: clips[i]!.deviceEvents })),
    DEFAULT_TOLERANCE_MS,
  );
  const frames = clipFrames.flat();
  const ipt = s.line.instructionsPerTick;
  const perFrame = frames.map((f) => f.ticks.frontend + f.ticks.classifier + f.ticks.smoothing);
  run.wakeword = {
    labels: [...labels], clips, metrics, timerHz: info.timerHz, ticks: stageStats(frames, 1),
    ...(ipt !== undefined ? { instructions: stageStats(frames, ipt) } : {}),
    // Under -icount an instruction is the unit of work: read as cycles of a
    // 64 MHz Cortex-M4 (1.28 M per 20 ms frame), the budget the issue sets.
    dutyCycle: ipt !== undefined
      ? dutyCycle(perFrame.map((t) => t * ipt), CORTEX_M4_64MHZ_FRAME_CYCLES * 50)
      : dutyCycle(perFrame, info.timerHz, { countsAreCycles: false }),
    hostDutyCycle: host.hostDutyCycle,
    ...thresholdSummary(mode, labels, clipFrames),
  };
  const cpu = s.target.board.cpu;
  const board = boardDutyCycle(
    frames.map((f) => ({ frontend: f.ticks.frontend * (ipt ?? 1), classifier: f.ticks.classifier * (ipt ?? 1), smoothing: f.ticks.smoothing * (ipt ?? 1) })),
    { id: s.target.board.id, clockHz: cpu.clockHz }, ipt !== undefined ? "instructions" : "timer", ipt !== undefined ? cpu.clockHz : info.timerHz, mode.classifyEvery ?? 1,
  );
  if (board) {
    run.wakeword.boardDutyCycle = board;
    run.wakeword.warnings.push(...dutyCycleWarnings(board));
  }
  for (const w of run.wakeword.warnings) (run.notes ??= []).push(w);
  run.status = worst(run.cases.map((c) => c.status));
}

const DEFAULT_TARGET_FA_PER_HOUR = 1;

/** The threshold sweep, its recommendation and the set's warnings, all from the device's own scores. */
function thresholdSummary(mode: WakewordMode, labels: readonly string[], clipFrames: readonly DeviceFrame[][]) {
  const recorded = clipFrames.map((frames, i) => ({ ...mode.set.clips[i]!, frames }));
  const sweep = thresholdSweep(recorded, labels, mode.recognize);
  const targetFaPerHour = mode.targetFaPerHour ?? DEFAULT_TARGET_FA_PER_HOUR;
  const config = { ...RECOGNIZE_DEFAULTS, ...mode.recognize };
  const bare = undetectableClips(recorded, labels, config);
  const warnings = bare.length === 0 ? [] : [
    `${bare.length} keyword clip${bare.length === 1 ? "" : "s"} can never be detected (${bare.slice(0, 3).join(", ")}${bare.length > 3 ? ", …" : ""}): ` +
    `the smoothing decides only on ${config.minimumCount} or more classifier results spanning ${Math.trunc(config.averageWindowMs / 4)} ms, and a clip's first result comes after 1 s of audio, so a bare 1 s clip gives one. ` +
    "Pad each keyword clip with 1-1.5 s of silence or noise on both sides, or splice them into one stream with labelled spans (as examples/wakeword/build-testset.ts does).",
  ];
  return {
    threshold: config.detectionThreshold, sweep, targetFaPerHour, recommended: recommendThreshold(sweep, targetFaPerHour) ?? null, warnings,
    ...(mode.traces ? { traces: recorded.map((c) => trace(c)) } : {}),
  };
}

/** Only names and numbers: the clip's samples stay out of the report. */
function trace(c: Pick<RecordedClip, "name" | "occurrences"> & { frames: readonly DeviceFrame[] }): WakewordTrace {
  const scored = c.frames.filter((f) => f.scores);
  return {
    clip: c.name, frames: c.frames.length, occurrences: [...c.occurrences],
    scoredFrames: scored.map((f) => f.index),
    scores: scored.map((f) => Array.from(f.scores!)),
    smoothedIndex: scored.map((f) => f.smoothed?.index ?? 0),
    smoothedScore: scored.map((f) => f.smoothed?.score ?? 0),
    eventFrames: c.frames.filter((f) => f.event).map((f) => f.index),
  };
}

function stageStats(frames: readonly DeviceFrame[], scale: number): WakewordStageStats {
  const scored = frames.filter((f) => f.scores);
  return {
    frontend: summarize(frames.map((f) => f.ticks.frontend * scale)),
    classifier: summarize(scored.map((f) => f.ticks.classifier * scale)),
    smoothing: summarize(scored.map((f) => f.ticks.smoothing * scale)),
    total: summarize(frames.map((f) => (f.ticks.frontend + f.ticks.classifier + f.ticks.smoothing) * scale)),
  };
}
