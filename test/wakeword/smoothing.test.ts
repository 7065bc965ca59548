// RecognizeCommands in TypeScript against hand-derived expectations from
// TFLM's recognize_commands.cc (defaults 1000 ms / 200 / 1500 ms / 3).
import { describe, expect, it } from "vitest";
import { TinymlError } from "../../src/errors.js";
import { detectEvents, EventDetector } from "../../src/wakeword/events.js";
import { RecognizeCommands } from "../../src/wakeword/smoothing.js";

const LABELS = ["silence", "unknown", "yes", "no"];
const YES = [-128, -128, 127, -128];
const NO = [-128, -128, -128, 127];
const SILENCE = [127, -128, -128, -128];
/** A result every 20 ms, timed like the pipeline's frames (20 i + 30 ms). */
const steady = (scores: number[], from: number, count: number): { timeMs: number; scores: number[] }[] =>
  Array.from({ length: count }, (_, i) => ({ timeMs: from + 20 * i, scores }));

describe("RecognizeCommands", () => {
  it("waits for 3 results spanning >= 250 ms, then detects, then suppresses for > 1500 ms", () => {
    // First result at 30 ms; the span first reaches 250 ms at 290 ms (30 + 13 * 20).
    // The same label again needs > 1500 ms since that detection: 290 + 1520 = 1810.
    const events = detectEvents(LABELS, steady(YES, 30, 100));
    expect(events).toEqual([
      { keyword: "yes", index: 2, score: 255, timeMs: 290 },
      { keyword: "yes", index: 2, score: 255, timeMs: 1810 },
    ]);
  });

  it("reports the previous top label with score 0 while it has too few results", () => {
    const r = new RecognizeCommands(4);
    expect(r.process(YES, 0)).toEqual({ index: 0, score: 0, isNewCommand: false });
    expect(r.process(YES, 300)).toEqual({ index: 0, score: 0, isNewCommand: false }); // 2 results < 3
    expect(r.process(YES, 301)).toEqual({ index: 2, score: 255, isNewCommand: true });
    // yes: (3 * 255 + 0) / 4 = 191, below the threshold; no: 255 / 4 = 63.
    expect(r.process(NO, 302)).toEqual({ index: 2, score: 191, isNewCommand: false });
  });

  it("averages shifted scores with truncating integer division", () => {
    const r = new RecognizeCommands(2, { minimumCount: 1, averageWindowMs: 0 });
    expect(r.process([1, 0], 0)).toEqual({ index: 0, score: 129, isNewCommand: false });
    const r2 = new RecognizeCommands(2, { minimumCount: 2, averageWindowMs: 1000, detectionThreshold: 0 });
    r2.process([0, -128], 0);
    // (128 + 129) / 2 = 128.5 -> 128; (0 + 0) / 2 = 0
    // A previous top of silence counts as "no previous command", so silence is new every time.
    expect(r2.process([1, -128], 250)).toEqual({ index: 0, score: 128, isNewCommand: true });
    expect(r2.process([1, -128], 260)).toEqual({ index: 0, score: 128, isNewCommand: true });
  });

  it("uses a strict threshold: average 200 does not detect, 201 does", () => {
    const at = (score: number): boolean => detectEvents(LABELS, steady([-128, -128, score, -128], 0, 20)).length > 0;
    expect(at(200 - 128)).toBe(false);
    expect(at(201 - 128)).toBe(true);
  });

  it("re-detects a keyword within the suppression time once silence was detected in between", () => {
    // A 300 ms window so the averages can swing inside 1500 ms.
    const config = { averageWindowMs: 300 };
    const yesAgain = [...steady(YES, 0, 11), ...steady(SILENCE, 220, 16), ...steady(YES, 540, 30)];
    const d = new EventDetector(LABELS, config);
    const raw = yesAgain.map((s) => d.push(s.scores, s.timeMs));
    const news = raw.filter((r) => r.result.isNewCommand).map((r) => LABELS[r.result.index]);
    expect(news[0]).toBe("yes");
    expect(news.at(-1)).toBe("yes");
    expect(new Set(news.slice(1, -1))).toEqual(new Set(["silence"])); // silence is "new" every time
    const events = raw.flatMap((r) => (r.event ? [r.event] : []));
    expect(events.map((e) => e.keyword)).toEqual(["yes", "yes"]); // silence is never an event
    expect(events[1]!.timeMs - events[0]!.timeMs).toBeLessThan(1500);
    // Without the silence in between, the second yes is suppressed.
    expect(detectEvents(LABELS, steady(YES, 0, 60), config)).toHaveLength(1);
  });

  it("detects a different keyword inside the suppression time", () => {
    const events = detectEvents(LABELS, [...steady(YES, 0, 30), ...steady(NO, 600, 60)]);
    expect(events.map((e) => e.keyword)).toEqual(["yes", "no"]);
    expect(events[1]!.timeMs - events[0]!.timeMs).toBeLessThan(1500);
  });

  it("keeps TFLM's 50-result queue: the newest result is dropped when it is full", () => {
    // 50 results 10 ms apart fill the queue within the window; the 51st (a
    // 'no') is dropped, so the average stays pure 'yes'.
    const r = new RecognizeCommands(4, { detectionThreshold: 255 });
    for (let i = 0; i < 50; i++) r.process(YES, 10 * i);
    expect(r.process(NO, 500)).toEqual({ index: 2, score: 255, isNewCommand: false });
  });

  it("refuses results out of time order and scores of the wrong length", () => {
    const r = new RecognizeCommands(4);
    r.process(YES, 100);
    expect(() => r.process(YES, 99)).toThrow(/increasing time order/);
    expect(() => r.process([1, 2], 200)).toThrow(TinymlError);
    expect(() => new RecognizeCommands(4, { minimumCount: 0 })).toThrow(/minimum count 0/);
    expect(() => new RecognizeCommands(4, { detectionThreshold: 256 })).toThrow(/threshold 256/);
  });
});
