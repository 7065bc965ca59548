// Timeouts for things that wait on another process (a device answering, an
// emulator booting) stretch with how busy the machine is, so a loaded CI
// runner waits longer instead of failing: the factor is the run queue per
// core (the 1-minute load average over the cores), never below 1. It is read
// at each wait, so a run that starts idle and gets busy adapts as it goes.

import { availableParallelism, loadavg } from "node:os";

/** TINYML_TIME_SCALE=N multiplies every scaled timeout (a slow rig, a debugger). */
function userScale(): number {
  const v = Number(process.env.TINYML_TIME_SCALE);
  return Number.isFinite(v) && v > 0 ? v : 1;
}

/** How much slower than idle this machine runs now: ≥ 1. */
export function loadFactor(): number {
  const perCore = (loadavg()[0] ?? 0) / Math.max(1, availableParallelism());
  return Math.max(1, perCore);
}

/** `ms`, stretched by the machine's load and the user's scale. */
export function scaledTimeout(ms: number): number {
  return Math.ceil(ms * loadFactor() * userScale());
}
