// --classify-every N on the host pipeline: the classifier runs on frames 49,
// 49 + N, … only, and what it gives there is what it gives on those frames
// when it runs on every one (its input is the ring of the last 49 frames'
// features, which every frame still updates). The smoothing then sees a
// result every N × 20 ms. Then the duty-cycle figures and their warning.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { readWav } from "../../src/audio/wav.js";
import type { Model } from "../../src/model/ir.js";
import { loadModel } from "../../src/model/load.js";
import { prepareWakewordModels, runWakeword } from "../../src/wakeword/pipeline.js";
import { boardDutyCycle, dutyCycleWarnings } from "../../src/wakeword/realtime.js";
import { fixturesDir, modelPath } from "../fixtures.js";

let frontend: Model;
let classifier: Model;
let samples: Int16Array;
beforeAll(async () => {
  frontend = (await loadModel(modelPath("audio_preprocessor_int8"))).model;
  classifier = (await loadModel(modelPath("micro_speech_quantized"))).model;
  // TFLM's yes clip three times over: 3 s, 148 frames.
  const yes = readWav(`${fixturesDir}models/micro_speech_yes_1000ms.wav`).samples;
  samples = new Int16Array(3 * yes.length);
  for (let k = 0; k < 3; k++) samples.set(yes, k * yes.length);
});

describe("classify every N-th frame", () => {
  it.for([2, 3, 5])("N = %i: scores on frames 48, 48 + N, … equal to the every-frame run's there, features on every frame", (n) => {
    const every = runWakeword(prepareWakewordModels(frontend, classifier), samples);
    const some = runWakeword(prepareWakewordModels(frontend, classifier), samples, {}, 512, n);
    expect(some.frames.length).toBe(every.frames.length);
    const scored = some.frames.filter((f) => f.scores).map((f) => f.index);
    expect(scored).toEqual(every.frames.filter((f) => f.index >= 48 && (f.index - 48) % n === 0).map((f) => f.index));
    for (const f of some.frames) {
      expect(Array.from(f.features)).toEqual(Array.from(every.frames[f.index]!.features));
      if (f.scores) expect(Array.from(f.scores)).toEqual(Array.from(every.frames[f.index]!.scores!));
    }
    expect(some.times.classifierMs.length).toBe(scored.length);
  });

  it("refuses N outside 1..16", () => {
    for (const n of [0, 1.5, 17]) {
      expect(() => runWakeword(prepareWakewordModels(frontend, classifier), samples, {}, 512, n)).toThrow(/--classify-every .* must be a whole number from 1 to 16/);
    }
  });
});

describe("duty cycle at the board's clock", () => {
  const frame = (frontend: number, classifier: number) => ({ frontend, classifier, smoothing: 0 });

  it("reads instructions as cycles at the board's clock: 1.2 M per frame is 93.75% of a 64 MHz frame", () => {
    const d = boardDutyCycle([frame(100_000, 1_100_000), frame(100_000, 1_100_000)], { id: "nano33ble", clockHz: 64e6 }, "instructions", 64e6, 1)!;
    expect(d.duty.mean).toBeCloseTo(1_200_000 / 1_280_000, 12);
    expect(d.perFrame).toEqual({ frontend: 100_000, classifier: 1_100_000, total: 1_200_000 });
    const [w] = dutyCycleWarnings(d);
    expect(w).toMatch(/uses 93\.8% of each 20 ms frame on nano33ble at 64 MHz .* above 80\.0%/);
    // Every 2nd frame: 100 k + 550 k of 1.28 M.
    expect(w).toMatch(/--classify-every 2: about 50\.8%/);
  });

  it("under 80% on average but one frame over 20 ms: a note on the microphone's buffer", () => {
    const d = boardDutyCycle([frame(100_000, 1_400_000), frame(100_000, 0), frame(100_000, 0)], { id: "nano33ble", clockHz: 64e6 }, "instructions", 64e6, 3)!;
    expect(d.duty.mean).toBeCloseTo(1_700_000 / 3 / 1_280_000, 12);
    expect(dutyCycleWarnings(d)).toEqual([expect.stringMatching(/slowest frame takes 117\.2% of 20 ms .* must hold 2 hops \(40 ms\)/)]);
    expect(dutyCycleWarnings(boardDutyCycle([frame(100_000, 100_000)], { id: "host", clockHz: 1e9 }, "timer", 1e9, 1)!)).toEqual([]);
  });
});
