// The host streaming pipeline against TFLM's own outputs
// (golden/micro_speech_pipeline.json): for every clip, every 20 ms frame of
// features equals TFLM's frame, and the classifier's scores and label on the
// 49 frames equal TFLM's. This runs the real frontend model on the Signal*
// reference kernels, with one frontend interpreter per clip.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { readWav } from "../../src/audio/wav.js";
import type { Model } from "../../src/model/ir.js";
import { loadModel } from "../../src/model/load.js";
import { prepareWakewordModels, runWakeword, WakewordPipeline } from "../../src/wakeword/pipeline.js";
import { FEATURE_COUNT, frameTimeMs, MICRO_SPEECH_LABELS } from "../../src/wakeword/settings.js";
import { fixturesDir, modelPath } from "../fixtures.js";

interface PipelineGolden {
  window: number;
  stride: number;
  labels: string[];
  clips: { clip: string; frames: number[][]; scores?: number[]; label?: string }[];
}
const golden = JSON.parse(readFileSync(`${fixturesDir}golden/micro_speech_pipeline.json`, "utf8")) as PipelineGolden;

let frontend: Model;
let classifier: Model;
beforeAll(async () => {
  frontend = (await loadModel(modelPath("audio_preprocessor_int8"))).model;
  classifier = (await loadModel(modelPath("micro_speech_quantized"))).model;
});

it("uses the golden's framing and labels", () => {
  expect([golden.window, golden.stride]).toEqual([480, 320]);
  expect(golden.labels).toEqual(MICRO_SPEECH_LABELS);
});

describe.each(golden.clips.map((c) => [c.clip, c] as const))("%s", (_name, clip) => {
  it("streams features equal to TFLM's, frame by frame, and TFLM's scores and label", () => {
    const { samples } = readWav(`${fixturesDir}${clip.clip}`);
    const r = runWakeword(prepareWakewordModels(frontend, classifier), samples);
    expect(r.frames.map((f) => Array.from(f.features))).toEqual(clip.frames);
    const scored = r.frames.filter((f) => f.scores);
    if (clip.scores === undefined) {
      expect(scored).toEqual([]);
      return;
    }
    // A 1 s clip holds exactly 49 windows: one classification, on the last frame.
    expect(scored.map((f) => f.index)).toEqual([FEATURE_COUNT - 1]);
    const scores = Array.from(scored[0]!.scores!);
    expect(scores).toEqual(clip.scores);
    expect(MICRO_SPEECH_LABELS[scores.indexOf(Math.max(...scores))]).toBe(clip.label);
  });
});

it("gives the same frames whatever the block size (1 sample, 320, 4096)", () => {
  const { samples } = readWav(`${fixturesDir}models/micro_speech_no_1000ms.wav`);
  const head = samples.subarray(0, 5000);
  const run = (block: number): number[][] => runWakeword(prepareWakewordModels(frontend, classifier), head, {}, block).frames.map((f) => Array.from(f.features));
  const want = run(4096);
  expect(want).toHaveLength(Math.floor((5000 - 480) / 320) + 1);
  expect(run(1)).toEqual(want);
  expect(run(320)).toEqual(want);
});

it("times frames at the end of their window and classifies from the 49th frame on", () => {
  const p = new WakewordPipeline(prepareWakewordModels(frontend, classifier));
  const frames = p.push(new Int16Array(480 + 320 * 60));
  expect(frames.map((f) => f.timeMs).slice(0, 3)).toEqual([30, 50, 70]);
  expect(frames.findIndex((f) => f.scores)).toBe(48);
  expect(frames[48]!.timeMs).toBe(frameTimeMs(48));
  expect(frameTimeMs(48)).toBe(990);
  expect(p.times.frontendMs).toHaveLength(61);
  expect(p.times.classifierMs).toHaveLength(13);
  expect(p.times.smoothingMs).toHaveLength(13);
});

it("classifies the last 49 frames, oldest first, after every frame of a longer stream", () => {
  const { samples } = readWav(`${fixturesDir}models/micro_speech_yes_1000ms.wav`);
  const long = new Int16Array(samples.length + 8000);
  long.set(samples, 4000); // the word moves through the classifier's 1 s view
  const models = prepareWakewordModels(frontend, classifier);
  const frames = runWakeword(models, long).frames;
  expect(frames).toHaveLength(74); // (24000 - 480) / 320 + 1
  const check = prepareWakewordModels(frontend, classifier).classifier;
  for (const at of [48, 49, 60, 70, frames.length - 1]) {
    const input = new Int8Array(49 * 40);
    frames.slice(at - 48, at + 1).forEach((f, k) => input.set(f.features, k * 40));
    expect(Array.from(frames[at]!.scores!), `frame ${at}`).toEqual(Array.from(check.invoke([input])[0] as Int8Array));
  }
});

it("refuses a classifier whose input is not 49x40, and a frontend that is not 480 samples in", () => {
  expect(() => prepareWakewordModels(frontend, frontend)).toThrow(
    /the wake-word classifier must take int8 49×40 features in, int8 \[4\] scores out \(one per label\); this model takes int16 \[1×480\]/,
  );
  expect(() => prepareWakewordModels(classifier, classifier)).toThrow(expect.objectContaining({ code: "TML_E_MODEL_UNSUPPORTED" }));
  expect(() => prepareWakewordModels(frontend, classifier, ["yes", "no"])).toThrow(/int8 \[2\] scores out/);
});
