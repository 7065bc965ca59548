// The signal-library reference kernels against TFLM: the audio frontend's
// golden single windows (each a fresh interpreter), and the streamed
// micro_speech pipeline (one interpreter across windows, so the noise
// estimate carries over) with the classifier on the last 49 frames.

import { describe, expect, test } from "vitest";
import "../../src/reference/kernels/signal/index.js";
import { loadModel } from "../../src/model/load.js";
import { prepareReference } from "../../src/reference/interpreter.js";
import { goldenInput, loadGolden, modelPath } from "../fixtures.js";
import { clipWindows, loadPipelineGolden } from "./pipeline.js";

describe.each(["audio_preprocessor_int8", "audio_preprocessor_float"] as const)("%s golden windows", (name) => {
  const golden = loadGolden(name);
  test.each(golden.cases.map((c) => [c.name, c] as const))("case %s matches TFLM", async (_n, c) => {
    const { model } = await loadModel(modelPath(name));
    const [out] = prepareReference(model).invoke(c.inputs.map(goldenInput));
    const got = Array.from(out!, Number);
    const want = c.outputs[0]!.values;
    if (c.outputs[0]!.type === "float32") {
      expect(got.length).toBe(want.length);
      got.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThanOrEqual(1e-5 * Math.abs(want[i]!)));
    } else {
      expect(got).toEqual(want);
    }
  });
});

describe("micro_speech streamed pipeline", () => {
  const golden = loadPipelineGolden();
  test.each(golden.clips.map((c) => [c.clip, c] as const))("%s: features, scores and label match TFLM", async (_n, clip) => {
    const frontend = prepareReference((await loadModel(modelPath("audio_preprocessor_int8"))).model);
    const windows = clipWindows(golden, clip);
    expect(windows.length).toBe(clip.frames.length);
    const frames = windows.map((w) => Array.from(frontend.invoke([w])[0]!, Number));
    frames.forEach((f, k) => expect({ frame: k, f }).toEqual({ frame: k, f: clip.frames[k] }));
    if (!clip.scores) return;
    const features = Int8Array.from(frames.slice(-49).flat());
    const classifier = prepareReference((await loadModel(modelPath("micro_speech_quantized"))).model);
    const scores = Array.from(classifier.invoke([features])[0]!, Number);
    expect(scores).toEqual(clip.scores);
    expect(golden.labels[scores.indexOf(Math.max(...scores))]).toBe(clip.label);
  });

  test("a new prepare starts from a zero noise estimate", async () => {
    const { model } = await loadModel(modelPath("audio_preprocessor_int8"));
    const clip = golden.clips.find((c) => c.frames.length > 1)!;
    const windows = clipWindows(golden, clip);
    const warm = prepareReference(model);
    for (const w of windows.slice(0, 10)) warm.invoke([w]);
    const fresh = prepareReference(model);
    expect(Array.from(fresh.invoke([windows[0]!])[0]!, Number)).toEqual(clip.frames[0]);
  });
});
