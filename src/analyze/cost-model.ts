// The per-op cost model: instructions per op from its features, with the
// coefficients fitted on the QEMU boards (data/op-costs.json, written by
// scripts/calibrate-op-costs.ts from `tinyml test --profile` runs; QEMU under
// -icount counts instructions exactly, so the measurements repeat to the
// instruction). A board uses the table of the QEMU board with its core;
// time is instructions at the board's clock, one instruction per cycle (QEMU
// models no pipeline, caches or flash wait states: a real part is slower).

import { readFileSync } from "node:fs";
import type { Board, RuntimeKind } from "../boards/board.js";
import type { Graph } from "../model/ir.js";
import { opTypeName } from "../model/ir.js";
import { packagePath } from "../paths.js";
import { applyCost, type Coefficients, type TypeCost } from "./cost-fit.js";
import { opCostKey, opFeatures } from "./op-features.js";

export interface ModelCheck {
  model: string;
  sha256: string;
  measuredInstructions: number;
  /** With the table fitted on every model (this one included). */
  estimatedInstructions: number;
  relativeError: number;
  /** With the table fitted on the other models only: the error to expect on a model the table has not seen. */
  leaveOneOutInstructions?: number;
  leaveOneOutRelativeError?: number;
  /** Ops of this model whose type the other models also have (the left-out figures cover only those), of `ops`. */
  leaveOneOutCoveredOps?: number;
  ops?: number;
  /** Per layer: mean |estimate − measured| / measured over ops measured at 1,000 instructions or more. */
  meanLayerRelativeError: number;
}

export interface BoardCosts {
  board: string;
  core: string;
  runtime: RuntimeKind;
  /** Instructions per timer tick in the calibration runs (the profile's resolution). */
  instructionsPerTick: number;
  ops: Record<string, TypeCost>;
  models: ModelCheck[];
}

export interface CostTable {
  about: string;
  produced: { command: string; date: string; tinyml: string; compiler: string; emulator: string };
  boards: BoardCosts[];
}

export function readCostTable(file = packagePath("data", "op-costs.json")): CostTable {
  return JSON.parse(readFileSync(file, "utf8")) as CostTable;
}

export interface LayerEstimate {
  instructions: number;
  us: number;
  /**
   * "fitted": this op type and dtype were measured; "other-dtype": the type
   * was measured with another input dtype; "fallback": neither, and the
   * median cost of the measured types stands in.
   */
  basis: "fitted" | "other-dtype" | "fallback";
}

export interface TimeEstimate {
  /** The QEMU board whose measurements the table holds. */
  calibration: string;
  core: string;
  runtime: RuntimeKind;
  /** µs per instruction on the target: QEMU's virtual time under -icount, else one instruction per CPU cycle. */
  usPerInstruction: number;
  clock: string;
  layers: LayerEstimate[];
  totalInstructions: number;
  totalUs: number;
  /** How the table did on the models it was fitted on (measured vs estimated). */
  checks: ModelCheck[];
  /** This model, when it is one of the calibration models. */
  check?: ModelCheck;
  /** Op types (with input dtype) the table has no measurement of. */
  unmeasured: string[];
}

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** A stand-in for an op type with no measurement: the median of each coefficient over the measured types that use it. */
function fallbackCoefficients(ops: Record<string, TypeCost>): Coefficients {
  const per = (k: keyof Coefficients): number[] => Object.values(ops).flatMap((c) => (c.coefficients[k] !== undefined ? [c.coefficients[k]!] : []));
  return { macs: median(per("macs")), windowTaps: median(per("windowTaps")), outputElements: median(per("outputElements")), fixed: median(per("fixed")) };
}

/**
 * Why a board has no estimate, or undefined when it has one. The AOT
 * runtime runs tinyml's own kernels on every board (a board's `kernels`
 * names what its TFLM uses), so a board with a measured core takes that
 * core's table.
 */
export function noEstimateReason(table: CostTable, board: Board, runtime: RuntimeKind): string | undefined {
  if (board.cpu.arch !== "arm") return `no cost table for ${board.cpu.arch === "native" ? "the host's CPU" : `${board.cpu.core} (${board.cpu.arch})`}: the tables are measured on QEMU's Cortex-M boards`;
  if (!table.boards.some((b) => b.core === board.cpu.core)) return `no cost table for ${board.cpu.core}`;
  if (!table.boards.some((b) => b.core === board.cpu.core && b.runtime === runtime)) return `no cost table for the ${runtime} runtime on ${board.cpu.core} (measured: ${table.boards.filter((b) => b.core === board.cpu.core).map((b) => b.runtime).join(", ")})`;
  return undefined;
}

export function estimateTime(table: CostTable, board: Board, runtime: RuntimeKind, g: Graph, modelSha256: string): TimeEstimate | undefined {
  if (noEstimateReason(table, board, runtime) !== undefined) return undefined;
  // The board's own table when it is a calibration board, else the one with its core.
  const costs = table.boards.find((b) => b.board === board.id && b.runtime === runtime) ?? table.boards.find((b) => b.core === board.cpu.core && b.runtime === runtime)!;
  const q = board.emulator?.qemu;
  const usPerInstruction = q ? 2 ** (q.icountShift ?? 0) / 1000 : 1e6 / board.cpu.clockHz;
  const fallback = fallbackCoefficients(costs.ops);
  const unmeasured = new Set<string>();
  const layers = g.ops.map((op): LayerEstimate => {
    const key = opCostKey(g, op);
    const type = opTypeName(op);
    const fitted = costs.ops[key];
    const sibling = fitted ? undefined : Object.entries(costs.ops).find(([k]) => k.startsWith(`${type} `))?.[1];
    if (!fitted) unmeasured.add(key);
    const instructions = Math.round(applyCost((fitted ?? sibling)?.coefficients ?? fallback, opFeatures(g, op)));
    return { instructions, us: instructions * usPerInstruction, basis: fitted ? "fitted" : sibling ? "other-dtype" : "fallback" };
  });
  const totalInstructions = layers.reduce((n, l) => n + l.instructions, 0);
  const check = costs.models.find((m) => m.sha256 === modelSha256);
  return {
    calibration: costs.board, core: costs.core, runtime, usPerInstruction,
    clock: q ? `QEMU -icount shift=${q.icountShift ?? 0}: ${2 ** (q.icountShift ?? 0)} ns per instruction` : `${board.cpu.clockHz / 1e6} MHz, taken as one instruction per cycle`,
    layers, totalInstructions, totalUs: totalInstructions * usPerInstruction, checks: costs.models,
    ...(check ? { check } : {}), unmeasured: [...unmeasured].sort(),
  };
}
