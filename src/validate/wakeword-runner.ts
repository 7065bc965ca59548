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
import type { RecognizeConfig } from "../wakeword/smoothing.js";
import { worst, type BoardRun, type CaseResult, type WakewordClipResult, type WakewordStageStats } from "./report.js";
import { compareFrames, deviceEvents } from "./wakeword-compare.js";

export interface WakewordMode {
  kind: "wakeword";
  frontend: LoadedModel;
  classifier: LoadedModel;
  set: LabelledSet;
  labels?: readonly string[];
  recognize?: Partial<RecognizeConfig>;
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
  const host: SetEvaluation = evaluateSet(mode.set, mode.frontend.model, mode.classifier.model, { labels, recognize: mode.recognize });
  const clips: WakewordClipResult[] = [];
  const frames: DeviceFrame[] = [];
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
      frames.push(...got);
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
  };
  run.status = worst(run.cases.map((c) => c.status));
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
