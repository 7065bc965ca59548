// Real-time honesty: a wake word must finish each 20 ms frame's work within
// the 20 ms, at the clock of the board it is meant for, with room left for
// the rest of the firmware (the microphone's DMA, the serial line, the
// application). The duty cycle is the per-frame compute against the frame
// stride at the board's clock from boards/*.json: measured instructions (QEMU
// under -icount) read as cycles at that clock, or timer ticks at the timer's
// rate on hardware. Above 80% is a warning that says what to do.

import { FRAME_MS, summarize } from "./metrics.js";

/** Above this share of each frame, the board has too little left for anything else. */
export const DUTY_WARN_FRACTION = 0.8;

export interface BoardDutyCycle {
  board: string;
  clockHz: number;
  /** "instructions": counted by QEMU, taken as one cycle each at clockHz; "timer": the firmware's own tick counts. */
  basis: "instructions" | "timer";
  classifyEvery: number;
  /** Per-frame compute / 20 ms. */
  duty: { mean: number; p90: number; max: number };
  /** Mean instructions (or ticks) per frame by stage. */
  perFrame: { frontend: number; classifier: number; total: number };
}

export interface FrameCost {
  frontend: number;
  classifier: number;
  smoothing: number;
}

/** `counts` per frame in instructions (basis "instructions", at clockHz) or timer ticks (at unitHz). */
export function boardDutyCycle(
  counts: readonly FrameCost[], board: { id: string; clockHz: number }, basis: BoardDutyCycle["basis"], unitHz: number, classifyEvery: number,
): BoardDutyCycle | undefined {
  const totals = counts.map((c) => c.frontend + c.classifier + c.smoothing);
  const s = summarize(totals);
  if (!s || !(unitHz > 0)) return undefined;
  const share = (n: number): number => n / unitHz / (FRAME_MS / 1000);
  const mean = (f: (c: FrameCost) => number): number => counts.reduce((n, c) => n + f(c), 0) / counts.length;
  return {
    board: board.id, clockHz: board.clockHz, basis, classifyEvery,
    duty: { mean: share(s.mean), p90: share(s.p90), max: share(s.max) },
    perFrame: { frontend: mean((c) => c.frontend), classifier: mean((c) => c.classifier), total: s.mean },
  };
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

/**
 * The warnings for a duty cycle above 80% (with the options that bring it
 * down), and for a frame that takes longer than 20 ms even though the mean
 * fits (classifying every N-th frame: that frame's audio must wait in the
 * microphone's buffer).
 */
export function dutyCycleWarnings(d: BoardDutyCycle): string[] {
  if (d.duty.mean <= DUTY_WARN_FRACTION) {
    return d.duty.max <= 1 ? [] : [
      `the slowest frame takes ${pct(d.duty.max)} of 20 ms on ${d.board} at ${(d.clockHz / 1e6).toFixed(0)} MHz (mean ${pct(d.duty.mean)}): ` +
      `the audio that arrives meanwhile waits in the microphone's buffer, which must hold ${Math.ceil(d.duty.max)} hops (${Math.ceil(d.duty.max) * 20} ms).`,
    ];
  }
  const mhz = `${(d.clockHz / 1e6).toFixed(0)} MHz`;
  const next = d.classifyEvery + 1;
  // Classifying every N-th frame divides the classifier's share by about N.
  const projected = (d.perFrame.total - d.perFrame.classifier + (d.perFrame.classifier * d.classifyEvery) / next) / d.perFrame.total * d.duty.mean;
  return [`the wake word uses ${pct(d.duty.mean)} of each 20 ms frame on ${d.board} at ${mhz} (peak ${pct(d.duty.max)}, ${d.basis === "instructions" ? "instructions taken as cycles" : "timer ticks"}), above ${pct(DUTY_WARN_FRACTION)}: ` +
    `it leaves no time for the rest of the firmware, and a real part (flash wait states, interrupts) is slower still. ` +
    `Classify less often (--classify-every ${next}: about ${pct(projected)}), use a smaller classifier, or a faster board.`];
}
