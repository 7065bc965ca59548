// Shared by the wake-word device tests: builds `--app wakeword` firmware for a
// board (in-process, like `tinyml build`), streams TFLM's micro_speech clips
// to it, and checks the device against the golden file and the host pipeline.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { readWav } from "../../src/audio/wav.js";
import { loadBoard } from "../../src/boards/load.js";
import { buildFirmware } from "../../src/firmware-project/build.js";
import { wakewordBuild } from "../../src/firmware-project/wakeword.js";
import { findFirmware } from "../../src/session/firmware.js";
import { loadModel } from "../../src/model/load.js";
import type { DeviceFrame } from "../../src/device/wakeword-client.js";
import { runBoard } from "../../src/validate/runner.js";
import { wakewordView, type WakewordView } from "./report-view.js";
import type { LabelledSet } from "../../src/wakeword/labels.js";
import { MICRO_SPEECH_LABELS } from "../../src/wakeword/settings.js";
import { fixturesDir, modelPath } from "../fixtures.js";

interface PipelineGolden {
  clips: { clip: string; frames: number[][]; scores?: number[]; label?: string }[];
}
export const golden = JSON.parse(readFileSync(`${fixturesDir}golden/micro_speech_pipeline.json`, "utf8")) as PipelineGolden;

/** The golden's clips as a labelled set (no keyword spans: these runs check equality, not detection). */
export function goldenSet(): LabelledSet {
  return {
    source: "micro_speech_pipeline.json",
    clips: golden.clips.map((c) => {
      const { samples } = readWav(`${fixturesDir}${c.clip}`);
      return { path: c.clip, name: c.clip, samples, durationS: samples.length / 16000, occurrences: [] };
    }),
  };
}

/** Builds the wake-word firmware for `boardId` and streams the golden clips through it. */
export interface GoldenRun {
  report: WakewordView;
  /** Per clip, the device's frames. */
  frames: DeviceFrame[][];
}

export async function runGoldenClips(boardId: string): Promise<GoldenRun> {
  const board = loadBoard(boardId);
  // The frontend as MODEL and the classifier named, the original form of the command.
  const frontend = await loadModel(modelPath("audio_preprocessor_int8"));
  const ww = await wakewordBuild({ family: board.family, runtime: "aot", model: frontend, classifierPath: modelPath("micro_speech_quantized") });
  expect(ww.labels).toEqual(MICRO_SPEECH_LABELS);
  const dir = mkdtempSync(join(tmpdir(), `tinyml-ww-${boardId}-`));
  await buildFirmware({ board, runtime: "aot", app: "wakeword", dir, dryRun: false, verbose: false, progress: () => undefined, ...ww.parts });
  const frames: DeviceFrame[][] = [];
  const run = await runBoard({ id: board.id, board, firmware: findFirmware(board, dir, { app: "wakeword", rebuild: "n/a" }) }, {
    kind: "wakeword", frontend, classifier: ww.classifier, set: goldenSet(), labels: ww.labels,
    onClip: (_c, f) => frames.push([...f]),
  }, { session: {} });
  return { report: wakewordView(run), frames };
}

/**
 * Holds the device against TFLM's golden: every clip's features frame by
 * frame, the 1 s clips' scores and label; and against the host pipeline
 * (compared frame by frame inside the runner): equal frames, equal events.
 */
export function expectGolden({ report, frames }: GoldenRun): void {
  expect(report.clips.map((c) => [c.name, c.mismatches])).toEqual(golden.clips.map((c) => [c.clip, []]));
  expect(report.status).toBe("pass");
  golden.clips.forEach((g, i) => {
    const got = frames[i]!;
    expect(got.map((f) => Array.from(f.features))).toEqual(g.frames);
    const scored = got.filter((f) => f.scores);
    if (g.scores === undefined) {
      expect(scored).toEqual([]);
    } else {
      expect(scored.map((f) => Array.from(f.scores!))).toEqual([g.scores]);
      const scores = g.scores;
      expect(MICRO_SPEECH_LABELS[scores.indexOf(Math.max(...scores))]).toBe(g.label);
    }
    expect(report.clips[i]!.deviceEvents).toEqual(report.clips[i]!.hostEvents);
  });
}
