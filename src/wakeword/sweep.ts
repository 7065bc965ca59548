// The detection threshold's trade-off, from one run: the per-frame classifier
// scores a stream produced do not depend on the threshold, only the smoothing
// after them does. So each threshold's detections come from re-running the
// real RecognizeCommands (smoothing.ts, through the same EventDetector the
// pipeline and the firmware's C port use) on the recorded scores, which is
// exactly what the pipeline would detect at that threshold, suppression and
// all; then the same metrics as the run itself. The recommended threshold is
// the one with the lowest false rejection rate whose false accepts per hour
// meet a target.

import { detectEvents, isNonKeywordLabel } from "./events.js";
import type { KeywordOccurrence } from "./labels.js";
import { wakewordMetrics, DEFAULT_TOLERANCE_MS } from "./metrics.js";
import type { RecognizeConfig } from "./smoothing.js";

/** A clip's recorded classifier outputs, in time order (frames before the first classification have none). */
export interface RecordedClip {
  name: string;
  durationS: number;
  occurrences: readonly KeywordOccurrence[];
  frames: ReadonlyArray<{ timeMs: number; scores?: ArrayLike<number> }>;
}

export interface SweepPoint {
  threshold: number;
  frr: number;
  /** null when the set has no non-keyword audio to count false accepts on. */
  faPerHour: number | null;
  detected: number;
  falseAccepts: number;
}

export interface Recommendation {
  threshold: number;
  frr: number;
  faPerHour: number;
  targetFaPerHour: number;
}

/** Every threshold the smoothed 0..255 score can be compared with (detection is score > threshold). */
export const ALL_THRESHOLDS: readonly number[] = Array.from({ length: 256 }, (_, t) => t);

export function thresholdSweep(
  clips: readonly RecordedClip[],
  labels: readonly string[],
  recognize: Partial<RecognizeConfig> = {},
  thresholds: readonly number[] = ALL_THRESHOLDS,
  toleranceMs = DEFAULT_TOLERANCE_MS,
): SweepPoint[] {
  const results = clips.map((c) => c.frames.flatMap((f) => (f.scores ? [{ timeMs: f.timeMs, scores: f.scores }] : [])));
  return thresholds.map((threshold) => {
    const config = { ...recognize, detectionThreshold: threshold };
    const m = wakewordMetrics(clips.map((c, i) => ({ ...c, events: detectEvents(labels, results[i]!, config) })), toleranceMs);
    return { threshold, frr: m.frr, faPerHour: m.faPerHour ?? null, detected: m.detected, falseAccepts: m.falseAccepts.length };
  });
}

/**
 * The lowest FRR among thresholds with at most `targetFaPerHour` false
 * accepts per hour; of equals, the fewest false accepts, then the highest
 * threshold (the most margin against unseen noise). Undefined when no
 * threshold that detects anything meets the target, or the set cannot
 * measure false accepts.
 */
export function recommendThreshold(sweep: readonly SweepPoint[], targetFaPerHour: number): Recommendation | undefined {
  let best: SweepPoint | undefined;
  for (const p of sweep) {
    // A threshold that rejects every keyword meets any target and is no answer.
    if (p.faPerHour === null || p.faPerHour > targetFaPerHour || p.frr >= 1) continue;
    if (!best || p.frr < best.frr || (p.frr === best.frr && (p.faPerHour < best.faPerHour! || (p.faPerHour === best.faPerHour && p.threshold > best.threshold)))) best = p;
  }
  return best ? { threshold: best.threshold, frr: best.frr, faPerHour: best.faPerHour!, targetFaPerHour } : undefined;
}

/**
 * Keyword clips that can never be detected: RecognizeCommands decides only
 * with `minimumCount` results spanning a quarter of its window, and a clip's
 * first result comes once 49 frames (~1 s) exist, so a bare 1 s keyword clip
 * gives one result at most. Names the clips with keywords and too few results.
 */
export function undetectableClips(clips: readonly RecordedClip[], labels: readonly string[], recognize: Partial<RecognizeConfig> & { minimumCount: number; averageWindowMs: number }): string[] {
  return clips.filter((c) => {
    if (!c.occurrences.some((o) => !isNonKeywordLabel(o.keyword) && labels.includes(o.keyword))) return false;
    const times = c.frames.flatMap((f) => (f.scores ? [f.timeMs] : []));
    return times.length < recognize.minimumCount || times[times.length - 1]! - times[0]! < Math.trunc(recognize.averageWindowMs / 4);
  }).map((c) => c.name);
}
