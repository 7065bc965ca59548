// Wake-word metrics over a labelled set, as pure functions of the labels and
// the detection events (so the same code scores host and device runs):
// - false rejection rate: keyword occurrences with no event of that keyword
//   in [start, end + tolerance];
// - false accepts per hour: events matching no occurrence, per hour of
//   non-keyword audio (total audio minus the labelled keyword spans);
// - detection latency: event time - keyword end, for detected occurrences;
// - duty cycle: per-frame compute time against the 20 ms hop budget.

import type { WakewordEvent } from "./events.js";
import type { KeywordOccurrence } from "./labels.js";

/** How long after a keyword ends its event may still arrive (smoothing averages over 1 s). */
export const DEFAULT_TOLERANCE_MS = 1500;
/** Audio hop: one feature frame, one classifier run every 20 ms. */
export const FRAME_MS = 20;
/** A 64 MHz Cortex-M4's cycles in one 20 ms frame. */
export const CORTEX_M4_64MHZ_FRAME_CYCLES = 1_280_000;

export interface ScoredClip {
  name: string;
  durationS: number;
  occurrences: readonly KeywordOccurrence[];
  /** Events with times relative to the start of this clip. */
  events: readonly WakewordEvent[];
}

export interface Stats {
  count: number;
  mean: number;
  median: number;
  /** Nearest-rank 90th percentile. */
  p90: number;
  min: number;
  max: number;
}

export interface Miss {
  clip: string;
  occurrence: KeywordOccurrence;
}

export interface FalseAccept {
  clip: string;
  event: WakewordEvent;
}

export interface WakewordMetrics {
  occurrences: number;
  detected: number;
  frr: number;
  misses: Miss[];
  falseAccepts: FalseAccept[];
  nonKeywordHours: number;
  /** Undefined when the set has no non-keyword audio to measure it on. */
  faPerHour: number | undefined;
  /** Undefined when nothing was detected. */
  latencyMs: Stats | undefined;
  perKeyword: Record<string, { occurrences: number; detected: number; frr: number }>;
}

export function summarize(values: readonly number[]): Stats | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  const median = n % 2 === 1 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
  return {
    count: n,
    mean: s.reduce((a, b) => a + b, 0) / n,
    median,
    p90: s[Math.max(0, Math.ceil(0.9 * n) - 1)]!,
    min: s[0]!,
    max: s[n - 1]!,
  };
}

/**
 * Matches each occurrence, in time order, with the earliest unused event of
 * its keyword inside [start, end + tolerance]. Every event left over is a
 * false accept, including a second event for one occurrence.
 */
export function wakewordMetrics(clips: readonly ScoredClip[], toleranceMs = DEFAULT_TOLERANCE_MS): WakewordMetrics {
  const misses: Miss[] = [];
  const falseAccepts: FalseAccept[] = [];
  const latencies: number[] = [];
  const perKeyword: WakewordMetrics["perKeyword"] = {};
  let occurrences = 0;
  let keywordSeconds = 0;
  let totalSeconds = 0;

  for (const clip of clips) {
    totalSeconds += clip.durationS;
    const used = new Set<number>();
    const events = [...clip.events].sort((a, b) => a.timeMs - b.timeMs);
    for (const occ of [...clip.occurrences].sort((a, b) => a.start - b.start)) {
      occurrences++;
      keywordSeconds += occ.end - occ.start;
      const k = (perKeyword[occ.keyword] ??= { occurrences: 0, detected: 0, frr: 0 });
      k.occurrences++;
      const from = occ.start * 1000;
      const to = occ.end * 1000 + toleranceMs;
      const i = events.findIndex((e, j) => !used.has(j) && e.keyword === occ.keyword && e.timeMs >= from && e.timeMs <= to);
      if (i < 0) {
        misses.push({ clip: clip.name, occurrence: occ });
        continue;
      }
      used.add(i);
      k.detected++;
      latencies.push(events[i]!.timeMs - occ.end * 1000);
    }
    events.forEach((event, j) => {
      if (!used.has(j)) falseAccepts.push({ clip: clip.name, event });
    });
  }

  for (const k of Object.values(perKeyword)) k.frr = (k.occurrences - k.detected) / k.occurrences;
  const nonKeywordHours = Math.max(0, totalSeconds - keywordSeconds) / 3600;
  return {
    occurrences,
    detected: occurrences - misses.length,
    frr: occurrences === 0 ? 0 : misses.length / occurrences,
    misses,
    falseAccepts,
    nonKeywordHours,
    faPerHour: nonKeywordHours > 0 ? falseAccepts.length / nonKeywordHours : undefined,
    latencyMs: summarize(latencies),
    perKeyword,
  };
}

export interface DutyCycle {
  frames: number;
  /** Per-frame counts (cycles, instructions or timer ticks) as given. */
  count: Stats;
  /** Per-frame compute time in ms at `clockHz`. */
  ms: Stats;
  /** Compute time / 20 ms: mean, p90 and max (1 = exactly real time). */
  duty: { mean: number; p90: number; max: number };
  /** Counts as a fraction of a 64 MHz Cortex-M4's 1.28 M cycles per frame (counts of cycles or instructions only). */
  cortexM4At64MHz: { mean: number; p90: number; max: number } | undefined;
}

/**
 * Duty cycle from per-frame counts measured at `clockHz` (a cycle counter's
 * frequency; for QEMU's instruction count pass the emulated core's clock and
 * read the result as one instruction per cycle).
 */
export function dutyCycle(
  perFrameCounts: readonly number[],
  clockHz: number,
  { frameMs = FRAME_MS, countsAreCycles = true }: { frameMs?: number; countsAreCycles?: boolean } = {},
): DutyCycle | undefined {
  const count = summarize(perFrameCounts);
  if (!count || !(clockHz > 0)) return undefined;
  const toMs = (c: number): number => (c / clockHz) * 1000;
  const ms = summarize(perFrameCounts.map(toMs))!;
  return {
    frames: count.count,
    count,
    ms,
    duty: { mean: ms.mean / frameMs, p90: ms.p90 / frameMs, max: ms.max / frameMs },
    cortexM4At64MHz: countsAreCycles
      ? {
          mean: count.mean / CORTEX_M4_64MHZ_FRAME_CYCLES,
          p90: count.p90 / CORTEX_M4_64MHZ_FRAME_CYCLES,
          max: count.max / CORTEX_M4_64MHZ_FRAME_CYCLES,
        }
      : undefined,
  };
}

/** Duty cycle from per-frame wall times in ms (the host reference's own timing). */
export function dutyCycleFromMs(perFrameMs: readonly number[], frameMs = FRAME_MS): DutyCycle | undefined {
  return dutyCycle(perFrameMs.map((m) => m * 1000), 1_000_000, { frameMs, countsAreCycles: false });
}
