// The threshold sweep re-runs the smoothing on recorded scores; it must give
// exactly what the whole pipeline (frontend, classifier, smoothing) gives when
// run at that threshold from the audio. Checked on a seeded stream of TFLM's
// yes/no clips (examples/wakeword/build-testset.ts), then the recommendation
// rule on hand-made sweeps and the warning for clips that cannot be detected.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestset } from "../../examples/wakeword/build-testset.js";
import type { Model } from "../../src/model/ir.js";
import { loadModel } from "../../src/model/load.js";
import { evaluateSet, type SetEvaluation } from "../../src/wakeword/evaluate.js";
import { loadLabelledSet, type LabelledSet } from "../../src/wakeword/labels.js";
import { MICRO_SPEECH_LABELS } from "../../src/wakeword/settings.js";
import { RECOGNIZE_DEFAULTS } from "../../src/wakeword/smoothing.js";
import { recommendThreshold, thresholdSweep, undetectableClips, type SweepPoint } from "../../src/wakeword/sweep.js";
import { modelPath } from "../fixtures.js";

const root = mkdtempSync(join(tmpdir(), "tinyml-sweep-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let frontend: Model;
let classifier: Model;
let set: LabelledSet;
let run: SetEvaluation;
beforeAll(async () => {
  frontend = (await loadModel(modelPath("audio_preprocessor_int8"))).model;
  classifier = (await loadModel(modelPath("micro_speech_quantized"))).model;
  // 20 s keeps the direct runs short; the stream still holds several yes and no.
  const built = await buildTestset({ outDir: join(root, "set"), synth: false, seconds: 20 });
  set = loadLabelledSet(built.labelsFile, MICRO_SPEECH_LABELS);
  run = evaluateSet(set, frontend, classifier);
});

const recorded = () => set.clips.map((c, i) => ({ ...c, frames: run.clips[i]!.frames }));

describe("threshold sweep", () => {
  it("gives each threshold the detections the whole pipeline makes when run at it", () => {
    const thresholds = [0, 90, 150, 185, 200, 215, 240, 255];
    const sweep = thresholdSweep(recorded(), MICRO_SPEECH_LABELS, {}, thresholds);
    const seen = new Set<string>();
    for (const [k, t] of thresholds.entries()) {
      const direct = evaluateSet(set, frontend, classifier, { recognize: { detectionThreshold: t } }).metrics;
      expect(sweep[k]).toEqual({
        threshold: t, frr: direct.frr, faPerHour: direct.faPerHour ?? null,
        detected: direct.detected, falseAccepts: direct.falseAccepts.length,
      });
      seen.add(`${direct.detected}/${direct.falseAccepts.length}`);
    }
    // The thresholds chosen do change what is detected: the comparison is not of eight empty runs.
    expect(seen.size).toBeGreaterThanOrEqual(4);
    expect(sweep[0]!.falseAccepts).toBeGreaterThan(0);
    expect(sweep[sweep.length - 1]!.detected).toBe(0);
  });

  it("keeps the run's other smoothing settings (suppression) while it varies the threshold", () => {
    const recognize = { suppressionMs: 500, averageWindowMs: 800 };
    const [p] = thresholdSweep(recorded(), MICRO_SPEECH_LABELS, recognize, [120]);
    const direct = evaluateSet(set, frontend, classifier, { recognize: { ...recognize, detectionThreshold: 120 } }).metrics;
    expect(p).toMatchObject({ frr: direct.frr, detected: direct.detected, falseAccepts: direct.falseAccepts.length });
  });
});

describe("recommended threshold", () => {
  const pt = (threshold: number, frr: number, faPerHour: number | null): SweepPoint => ({ threshold, frr, faPerHour, detected: 0, falseAccepts: 0 });

  it("is the lowest FRR at or under the target; then the fewest false accepts; then the highest threshold", () => {
    const sweep = [pt(100, 0, 40), pt(150, 0.1, 2), pt(160, 0.2, 1), pt(170, 0.2, 0.5), pt(180, 0.2, 0.5), pt(200, 0.5, 0)];
    expect(recommendThreshold(sweep, 1)).toEqual({ threshold: 180, frr: 0.2, faPerHour: 0.5, targetFaPerHour: 1 });
    expect(recommendThreshold(sweep, 2)).toMatchObject({ threshold: 150 });
    expect(recommendThreshold(sweep, 100)).toMatchObject({ threshold: 100 });
    expect(recommendThreshold(sweep, 0)).toMatchObject({ threshold: 200 });
  });

  it("is none when no threshold meets the target or false accepts cannot be counted", () => {
    expect(recommendThreshold([pt(10, 0, 50), pt(20, 0.5, 5)], 1)).toBeUndefined();
    expect(recommendThreshold([pt(10, 0, null)], 1)).toBeUndefined();
    // Rejecting every keyword meets any target and is no answer.
    expect(recommendThreshold([pt(100, 0.2, 30), pt(255, 1, 0)], 1)).toBeUndefined();
  });
});

describe("clips that can never be detected", () => {
  it("are the keyword clips with fewer results than the smoothing needs: bare 1 s clips, not padded ones", () => {
    const bare = join(root, "bare");
    // The set's own padded clips plus TFLM's bare 1 s yes, labelled as a yes.
    const withBare = loadLabelledSet(join(root, "set"), MICRO_SPEECH_LABELS);
    const yes = withBare.clips.find((c) => c.name.startsWith("yes"))!;
    const bareYes = { ...yes, name: "yes/bare.wav", samples: yes.samples.subarray(16000, 32000), durationS: 1, occurrences: [{ keyword: "yes", start: 0, end: 1 }] };
    const clips = [...withBare.clips, bareYes];
    const ev = evaluateSet({ source: bare, clips }, frontend, classifier);
    const rec = clips.map((c, i) => ({ ...c, frames: ev.clips[i]!.frames }));
    expect(ev.clips.at(-1)!.frames.filter((f) => f.scores).length).toBe(1);
    expect(undetectableClips(rec, MICRO_SPEECH_LABELS, RECOGNIZE_DEFAULTS)).toEqual(["yes/bare.wav"]);
    // With a minimum count of 1 and no window, one result is enough to decide on.
    expect(undetectableClips(rec, MICRO_SPEECH_LABELS, { ...RECOGNIZE_DEFAULTS, minimumCount: 1, averageWindowMs: 0 })).toEqual([]);
  });
});
