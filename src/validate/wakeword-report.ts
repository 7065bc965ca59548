// The terminal rendering of a `tinyml test --wakeword` run: per clip whether
// the device's frames equal the host's, then the detection metrics scored on
// the device's events and the per-frame compute against the 20 ms budget.

import type { DutyCycle, Stats } from "../wakeword/metrics.js";
import type { BoardDutyCycle } from "../wakeword/realtime.js";
import type { BoardRun, WakewordBoardSummary } from "./report.js";

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const num = (x: number): string => Math.round(x).toLocaleString("en-US");
const stat = (s: Stats | undefined): string => (s ? `mean ${num(s.mean)}, p90 ${num(s.p90)}, max ${num(s.max)}` : "n/a");

/** The wake-word part of a board's terminal section (its header comes from terminal.ts). */
export function renderWakewordSummary(b: BoardRun, r: WakewordBoardSummary): string {
  const lines = [`  wake word: features, scores and events ${b.status === "pass" ? "equal the host's on every frame" : "differ"} (categories: ${r.labels.join(", ")})`];
  for (const c of r.clips) {
    const events = c.deviceEvents.map((e) => `${e.keyword}@${e.timeMs}ms`).join(" ") || "no events";
    lines.push(`  ${c.mismatches.length === 0 ? "ok  " : "FAIL"} ${c.name}: ${c.frames} frames, ${events}, streamed at ${c.realtimeFactor.toFixed(1)}× real time`);
    for (const m of c.mismatches) lines.push(`         ${m}`);
  }
  const m = r.metrics;
  lines.push(
    `  FRR ${pct(m.frr)} (${m.occurrences - m.detected} of ${m.occurrences} missed); false accepts ${m.falseAccepts.length}` +
      (m.faPerHour !== undefined ? ` = ${m.faPerHour.toFixed(1)}/hour over ${(m.nonKeywordHours * 60).toFixed(1)} min of non-keyword audio` : ""),
    `  detection latency (keyword end to event): ${m.latencyMs ? `mean ${num(m.latencyMs.mean)} ms, p90 ${num(m.latencyMs.p90)} ms` : "n/a"}`,
  );
  lines.push(`  ${sweepLine(r)}`);
  const unit = r.instructions ? "instructions" : "ticks";
  const s = r.instructions ?? r.ticks;
  lines.push(
    `  per frame (${unit}): frontend ${stat(s.frontend)}; classifier ${stat(s.classifier)}; smoothing ${stat(s.smoothing)}`,
    `  duty cycle: ${duty(r.dutyCycle, r.instructions !== undefined)}`,
  );
  if (r.boardDutyCycle) lines.push(`  ${boardDuty(r.boardDutyCycle)}`);
  if (r.hostDutyCycle) lines.push(`  host reference (TypeScript): ${duty(r.hostDutyCycle, false)}`);
  return lines.join("\n");
}

/** The run's own threshold beside the recommended one, both from the sweep. */
function sweepLine(r: WakewordBoardSummary): string {
  const fa = (x: number | null): string => (x === null ? "n/a" : x.toFixed(1));
  const rec = r.recommended;
  const own = r.sweep.find((p) => p.threshold === r.threshold);
  const ownText = own ? `this run's threshold ${r.threshold}: FRR ${pct(own.frr)}, ${fa(own.faPerHour)} false accepts/hour; ` : "";
  const target = `<= ${r.targetFaPerHour} false accepts/hour`;
  if (!rec) {
    const measurable = r.sweep.some((p) => p.faPerHour !== null);
    return `${ownText}${measurable ? `no threshold 0-255 that detects any keyword meets ${target} on this set` : "no non-keyword audio in the set to count false accepts on, so no threshold is recommended"}`;
  }
  return `${ownText}recommended for ${target}: ${rec.threshold} (FRR ${pct(rec.frr)}, ${fa(rec.faPerHour)} false accepts/hour; --threshold ${rec.threshold})`;
}

/** The duty cycle at the board's own clock, the figure the 80% warning is about. */
export function boardDuty(d: BoardDutyCycle): string {
  const every = d.classifyEvery === 1 ? "classifier on every frame" : `classifier on one frame in ${d.classifyEvery}`;
  return `at ${d.board}'s ${(d.clockHz / 1e6).toFixed(0)} MHz: mean ${pct(d.duty.mean)}, p90 ${pct(d.duty.p90)}, max ${pct(d.duty.max)} of 20 ms (${every}; ${d.basis === "instructions" ? "instructions taken as cycles" : "timer ticks"})`;
}

function duty(d: DutyCycle | undefined, asM4: boolean): string {
  if (!d) return "n/a";
  const base = `mean ${pct(d.duty.mean)}, p90 ${pct(d.duty.p90)}, max ${pct(d.duty.max)} of 20 ms`;
  return asM4 && d.cortexM4At64MHz ? `${base} on a 64 MHz Cortex-M4 (1.28 M cycles per frame, one instruction taken as one cycle)` : base;
}
