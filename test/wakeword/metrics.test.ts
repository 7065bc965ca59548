// Metrics on hand-made labels and events, every number derived by hand.
import { describe, expect, it } from "vitest";
import type { WakewordEvent } from "../../src/wakeword/events.js";
import { dutyCycle, dutyCycleFromMs, summarize, wakewordMetrics, type ScoredClip } from "../../src/wakeword/metrics.js";

const ev = (keyword: string, timeMs: number): WakewordEvent => ({ keyword, index: keyword === "yes" ? 2 : 3, score: 210, timeMs });

describe("wakewordMetrics", () => {
  // 120 s stream, 4 keywords of 0.5 s each -> 118 s = 118/3600 h of non-keyword audio.
  const stream: ScoredClip = {
    name: "stream.wav",
    durationS: 120,
    occurrences: [
      { keyword: "yes", start: 10, end: 10.5 },
      { keyword: "no", start: 30, end: 30.5 },
      { keyword: "yes", start: 60, end: 60.5 },
      { keyword: "no", start: 90, end: 90.5 },
    ],
    events: [
      ev("yes", 10_800), // yes@10: latency 300
      ev("no", 30_200), // no@30: latency -300 (before the end)
      ev("yes", 62_100), // 1600 after yes@60's end: outside the 1500 ms tolerance -> FA, yes@60 missed
      ev("no", 90_500), // no@90: latency 0
      ev("yes", 91_000), // wrong keyword inside no@90's window -> FA
      ev("no", 90_900), // a second event for no@90 -> FA
    ],
  };

  it("computes FRR, FA/hour and latency over a stream", () => {
    const m = wakewordMetrics([stream]);
    expect(m.occurrences).toBe(4);
    expect(m.detected).toBe(3);
    expect(m.frr).toBe(0.25);
    expect(m.misses).toEqual([{ clip: "stream.wav", occurrence: { keyword: "yes", start: 60, end: 60.5 } }]);
    expect(m.falseAccepts.map((f) => f.event.timeMs)).toEqual([62_100, 90_900, 91_000]);
    expect(m.nonKeywordHours).toBeCloseTo(118 / 3600, 12);
    expect(m.faPerHour).toBeCloseTo(3 / (118 / 3600), 9);
    expect(m.latencyMs).toEqual({ count: 3, mean: 0, median: 0, p90: 300, min: -300, max: 300 });
    expect(m.perKeyword).toEqual({ yes: { occurrences: 2, detected: 1, frr: 0.5 }, no: { occurrences: 2, detected: 2, frr: 0 } });
  });

  it("a wider tolerance turns the late event into a detection", () => {
    const m = wakewordMetrics([stream], 2000);
    expect(m.frr).toBe(0);
    expect(m.latencyMs!.max).toBe(1600);
    expect(m.falseAccepts).toHaveLength(2);
  });

  it("sums over clips; an event before a keyword starts does not count for it", () => {
    const clips: ScoredClip[] = [
      { name: "a.wav", durationS: 1, occurrences: [{ keyword: "yes", start: 0.4, end: 0.7 }], events: [ev("yes", 300)] },
      { name: "noise.wav", durationS: 3599.3, occurrences: [], events: [ev("no", 1000)] },
    ];
    const m = wakewordMetrics(clips);
    expect(m.frr).toBe(1);
    expect(m.nonKeywordHours).toBeCloseTo(1, 12); // 3600.3 s - 0.3 s of keyword
    expect(m.faPerHour).toBeCloseTo(2, 9);
    expect(m.latencyMs).toBeUndefined();
  });

  it("leaves FA/hour undefined when there is no non-keyword audio", () => {
    const m = wakewordMetrics([{ name: "k.wav", durationS: 1, occurrences: [{ keyword: "yes", start: 0, end: 1 }], events: [] }]);
    expect(m.faPerHour).toBeUndefined();
    expect(m.frr).toBe(1);
  });
});

describe("summarize", () => {
  it("mean, median (even and odd), nearest-rank p90", () => {
    expect(summarize([])).toBeUndefined();
    expect(summarize([5])).toEqual({ count: 1, mean: 5, median: 5, p90: 5, min: 5, max: 5 });
    const ten = summarize([10, 1, 9, 2, 8, 3, 7, 4, 6, 5])!;
    expect([ten.mean, ten.median, ten.p90]).toEqual([5.5, 5.5, 9]);
    expect(summarize([1, 2, 100])!.median).toBe(2);
  });
});

describe("dutyCycle", () => {
  it("per-frame cycles at 64 MHz against the 20 ms budget and the Cortex-M4's 1.28 M cycles", () => {
    const d = dutyCycle([640_000, 320_000, 1_280_000, 320_000], 64_000_000)!;
    expect(d.frames).toBe(4);
    expect(d.ms.mean).toBeCloseTo(10, 12); // 640k cycles mean = 10 ms
    expect(d.duty.mean).toBeCloseTo(0.5, 12);
    expect(d.duty.max).toBeCloseTo(1, 12);
    expect(d.cortexM4At64MHz).toEqual({ mean: 0.5, p90: 1, max: 1 });
  });

  it("instruction counts on a faster core: time at its clock, fraction of the M4 budget by count", () => {
    const d = dutyCycle([2_000_000], 200_000_000)!;
    expect(d.ms.mean).toBeCloseTo(10, 12);
    expect(d.cortexM4At64MHz!.mean).toBeCloseTo(2_000_000 / 1_280_000, 12);
  });

  it("host milliseconds give a duty cycle but no Cortex-M4 fraction", () => {
    const d = dutyCycleFromMs([1, 3])!;
    expect(d.duty.mean).toBeCloseTo(0.1, 12);
    expect(d.cortexM4At64MHz).toBeUndefined();
    expect(dutyCycle([], 1)).toBeUndefined();
  });
});
