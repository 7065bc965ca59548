// Latency from the device's own timer: ticks per run, converted with the
// timer frequency the firmware reports, and, on QEMU under -icount, to
// instruction counts (each tick is a fixed number of instructions there).
import { stats } from "./report.js";
import type { BoardRun, CaseResult, OpProfile } from "./report.js";

export function latencySummary(
  cases: readonly CaseResult[], warmup: number, clockHz: number, instructionsPerTick?: number,
): BoardRun["latency"] | undefined {
  const ticks = cases.flatMap((c) => c.ticks);
  if (ticks.length === 0 || clockHz <= 0) return undefined;
  const us = ticks.map((t) => (t * 1e6) / clockHz);
  return {
    runs: ticks.length, warmup, ticks: stats(ticks), us: stats(us), clockHz,
    ...(instructionsPerTick !== undefined ? { instructions: stats(ticks.map((t) => t * instructionsPerTick)) } : {}),
  };
}

/**
 * Per-op ticks of one invoke, named by the model's op types, with each op's
 * share; with the ops' MACs and (QEMU) instructions per tick, the figures
 * for instructions per MAC.
 */
export function opProfile(
  ticks: readonly number[], opTypes: readonly string[], clockHz: number, extra: { macs?: readonly number[]; instructionsPerTick?: number } = {},
): OpProfile[] {
  const total = ticks.reduce((a, b) => a + b, 0);
  return ticks.map((t, index) => ({
    index,
    type: opTypes[index] ?? "?",
    ticks: t,
    us: clockHz > 0 ? (t * 1e6) / clockHz : 0,
    share: total > 0 ? t / total : 0,
    ...(extra.macs?.[index] !== undefined ? { macs: extra.macs[index] } : {}),
    ...(extra.instructionsPerTick !== undefined ? { instructions: t * extra.instructionsPerTick } : {}),
  }));
}
