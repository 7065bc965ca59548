// The wakeword example end to end on the host: build-testset.ts makes a
// >= 60 s stream with known keyword offsets (deterministically), the labels
// load, the reference pipeline streams it and the report has every metric;
// the device's C smoothing, fed the same classifier outputs, gives the same events.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestset, type Testset } from "../../examples/wakeword/build-testset.js";
import type { Model } from "../../src/model/ir.js";
import { loadModel } from "../../src/model/load.js";
import { evaluateSet, type SetEvaluation } from "../../src/wakeword/evaluate.js";
import { loadLabelledSet, type LabelledSet } from "../../src/wakeword/labels.js";
import { MICRO_SPEECH_LABELS } from "../../src/wakeword/settings.js";
import { requireTool } from "../cli.js";
import { modelPath } from "../fixtures.js";
import { buildDriver, DEFAULTS, runC, runTs } from "./recognize-c.js";

const root = mkdtempSync(join(tmpdir(), "tinyml-testset-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let frontend: Model;
let classifier: Model;
let built: Testset;
let set: LabelledSet;
let evaluation: SetEvaluation;
beforeAll(async () => {
  frontend = (await loadModel(modelPath("audio_preprocessor_int8"))).model;
  classifier = (await loadModel(modelPath("micro_speech_quantized"))).model;
  built = await buildTestset({ outDir: join(root, "a"), synth: false });
  set = loadLabelledSet(built.labelsFile, MICRO_SPEECH_LABELS);
  evaluation = evaluateSet(set, frontend, classifier);
  const m = evaluation.metrics;
  console.log(
    `wakeword testset (host reference): ${m.occurrences} keywords, FRR ${(m.frr * 100).toFixed(1)}%, ` +
      `FA/h ${m.faPerHour?.toFixed(1)} over ${(m.nonKeywordHours * 60).toFixed(2)} min, latency mean ${m.latencyMs?.mean.toFixed(0)} ms ` +
      `p90 ${m.latencyMs?.p90} ms, host duty cycle mean ${(evaluation.hostDutyCycle!.duty.mean * 100).toFixed(1)}%`,
  );
});

describe("build-testset.ts", () => {
  it("writes a >= 60 s stream and labels for it and the four clips (keywords padded)", () => {
    expect(built.streamSeconds).toBeGreaterThanOrEqual(60);
    expect(set.clips.map((c) => c.name).slice(0, 5)).toEqual(["silence_1000ms.wav", "noise_1000ms.wav", "yes_1000ms_padded.wav", "no_1000ms_padded.wav", "stream_60s.wav"]);
    const stream = set.clips.find((c) => c.name === "stream_60s.wav")!;
    expect(stream.occurrences.length).toBeGreaterThanOrEqual(15);
    expect(new Set(stream.occurrences.map((o) => o.keyword))).toEqual(new Set(["yes", "no"]));
    expect(built.synthSkipped).toBe("disabled (--no-synth)");
  });

  it("is deterministic: the same seed gives the same bytes, another seed other offsets", async () => {
    const again = await buildTestset({ outDir: join(root, "b"), synth: false });
    expect(readFileSync(again.streamFile).equals(readFileSync(built.streamFile))).toBe(true);
    expect(readFileSync(again.labelsFile, "utf8")).toBe(readFileSync(built.labelsFile, "utf8"));
    const other = await buildTestset({ outDir: join(root, "c"), synth: false, seed: 8 });
    expect(readFileSync(other.labelsFile, "utf8")).not.toBe(readFileSync(built.labelsFile, "utf8"));
  });

  it("adds espeak-ng voices when espeak-ng and sox are installed", async () => {
    if (!(await requireTool("espeak-ng", "apt-get install espeak-ng")) || !(await requireTool("sox", "apt-get install sox"))) return;
    const withSynth = await buildTestset({ outDir: join(root, "d"), synth: true, seconds: 1 });
    expect(withSynth.synthSkipped).toBeUndefined();
    const synth = loadLabelledSet(withSynth.labelsFile, MICRO_SPEECH_LABELS).clips.filter((c) => c.name.startsWith("synth/"));
    expect(synth.map((c) => c.name)).toEqual([
      "synth/yes_en-us.wav", "synth/no_en-us.wav", "synth/yes_en-gb.wav", "synth/no_en-gb.wav", "synth/yes_en-gb-scotland.wav", "synth/no_en-gb-scotland.wav",
    ]);
    expect(synth.every((c) => c.occurrences.length === 1 && c.durationS > 2.5)).toBe(true);
  });
});

describe("the host report on the test set", () => {
  it("gives FRR, FA/hour, latency and duty cycle", () => {
    const m = evaluation.metrics;
    expect(m.occurrences).toBe(set.clips.reduce((n, c) => n + c.occurrences.length, 0));
    expect(m.detected).toBeGreaterThan(0);
    expect(m.frr).toBeLessThan(1);
    expect(m.faPerHour).toBeDefined();
    expect(m.latencyMs!.count).toBe(m.detected);
    expect(evaluation.hostDutyCycle!.frames).toBe(evaluation.clips.reduce((n, c) => n + c.frames.length, 0));
    // Every event is a keyword, after the first classification (990 ms).
    for (const c of evaluation.clips) for (const e of c.events) expect(["yes", "no"]).toContain(e.keyword), expect(e.timeMs).toBeGreaterThanOrEqual(990);
  });

  it("the C smoothing (tml_recognize.c) gives the same results on the stream's classifier outputs", async () => {
    if (!(await requireTool("gcc", "apt-get install gcc"))) return;
    const run = evaluation.clips.find((c) => c.name === "stream_60s.wav")!;
    const frames = run.frames.filter((f) => f.scores);
    const seq = frames.map((f) => ({ timeMs: f.timeMs, scores: f.scores! }));
    const ts = runTs(DEFAULTS, 4, seq);
    expect(await runC(await buildDriver(), DEFAULTS, 4, seq)).toEqual(ts);
    // ... and the pipeline's own events are those new commands that are keywords.
    const news = frames.filter((f, i) => ts[i]!.endsWith(" 1") && ["yes", "no"].includes(MICRO_SPEECH_LABELS[f.smoothed!.index]!));
    expect(news.map((f) => f.timeMs)).toEqual(run.events.map((e) => e.timeMs));
  });
});
