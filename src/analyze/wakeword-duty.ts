// The wake word's duty cycle before it runs: each 20 ms frame's instructions
// estimated by the per-op cost model (the frontend on every frame, the
// classifier on one in N), at the board's clock, one instruction per cycle.
// `tinyml build --app wakeword` prints it and warns above 80%, so a model
// too slow for its board is caught at build time; `tinyml test --wakeword`
// then measures the same figure on the device.

import type { Board, RuntimeKind } from "../boards/board.js";
import { mainGraph } from "../model/graph.js";
import type { LoadedModel } from "../model/load.js";
import { boardDutyCycle, type BoardDutyCycle } from "../wakeword/realtime.js";
import { estimateTime, noEstimateReason, readCostTable } from "./cost-model.js";

export interface WakewordDutyEstimate {
  /** Estimated instructions of one run of each model. */
  frontendInstructions: number;
  classifierInstructions: number;
  /** The QEMU board whose measurements the estimate comes from. */
  calibration: string;
  /** "measured": the model is one the cost table was calibrated on, and its measured count is used; else the per-op estimate. */
  basis: { frontend: "measured" | "estimated"; classifier: "measured" | "estimated" };
  duty: BoardDutyCycle;
}

export function estimateWakewordDuty(
  board: Board, runtime: RuntimeKind, frontend: LoadedModel, classifier: LoadedModel, classifyEvery: number,
): WakewordDutyEstimate | { reason: string } {
  const table = readCostTable();
  const reason = noEstimateReason(table, board, runtime);
  if (reason !== undefined) return { reason };
  const fe = estimateTime(table, board, runtime, mainGraph(frontend.model), frontend.sha256)!;
  const cl = estimateTime(table, board, runtime, mainGraph(classifier.model), classifier.sha256)!;
  // A calibration model's own measured count beats the fitted estimate (micro_speech's is 25% over).
  const count = (e: typeof fe): number => e.check?.measuredInstructions ?? e.totalInstructions;
  const basis = (e: typeof fe) => (e.check ? "measured" as const : "estimated" as const);
  // One cycle of N frames: the classifier on the first, the frontend on all.
  const frames = Array.from({ length: classifyEvery }, (_, k) => ({ frontend: count(fe), classifier: k === 0 ? count(cl) : 0, smoothing: 0 }));
  return {
    frontendInstructions: count(fe), classifierInstructions: count(cl), calibration: cl.calibration,
    basis: { frontend: basis(fe), classifier: basis(cl) },
    duty: boardDutyCycle(frames, { id: board.id, clockHz: board.cpu.clockHz }, "instructions", board.cpu.clockHz, classifyEvery)!,
  };
}
