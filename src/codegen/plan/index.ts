// The static memory plan: where in one arena every non-constant tensor and
// every kernel scratch buffer lives. The AOT generator sizes its static
// arena with it (letting ops run in place where its kernels allow), the
// TFLM generator starts its arena size from it (no in-place: TFLM's own
// planner does not overlap live tensors), and `tinyml inspect` prints it.

import type { Graph } from "../../model/ir.js";
import { alignUp, liveBytesLowerBound, placeGreedy, type PlacedBuffer } from "./greedy.js";
import { bufferRequests, isAliasableView, type LifetimeOptions } from "./lifetimes.js";
import { overlapPairs, type OverlapPair, type OverlapRules } from "./overlap.js";
import { arenaOf, searchPlacement } from "./search.js";

export { ARENA_ALIGNMENT, alignUp } from "./greedy.js";
export { isAliasableView, type LifetimeOptions } from "./lifetimes.js";
export type { OverlapPair, OverlapRule, OverlapRules } from "./overlap.js";

export interface PlanOptions extends LifetimeOptions {
  /** Which ops may write their output over their dying input, and how far (AOT kernels only). */
  overlaps?: OverlapRules;
}

export interface MemoryPlan {
  /** Bytes of arena the plan needs (a multiple of the alignment). */
  arenaBytes: number;
  /** The most bytes simultaneously live (shared in-place bytes counted once at best): no plan needs less. */
  lowerBoundBytes: number;
  buffers: PlacedBuffer[];
  /** Arena offset of each tensor, indexed like graph.tensors; -1 for constants and unused tensors. */
  tensorOffsets: number[];
  /** Arena offset of op i's scratch buffer, or -1 when it has none. */
  scratchOffsets: number[];
  /** Whether op i is a view sharing its input's bytes (no copy to generate). */
  aliased: boolean[];
  /** Ops whose output the plan put over part of their dying input (indices into buffers), and by how much. */
  inPlace: InPlaceOp[];
}

export interface InPlaceOp {
  opIndex: number;
  input: number;
  output: number;
  /** Bytes the two buffers share. */
  sharedBytes: number;
}

/**
 * With `aliasViews` unset, plans both with and without view aliasing and
 * keeps the smaller arena: sharing a buffer merges two lifetimes into one
 * longer one, which can make the greedy placement worse (the audio
 * preprocessor's plan grows by 800 bytes with aliasing).
 */
export function planArena(g: Graph, opts: PlanOptions = {}): MemoryPlan {
  if (opts.aliasViews === undefined) {
    const shared = planWith(g, { ...opts, aliasViews: true });
    const copied = planWith(g, { ...opts, aliasViews: false });
    return copied.arenaBytes < shared.arenaBytes ? copied : shared;
  }
  return planWith(g, opts);
}

function sharedBytes(a: PlacedBuffer, b: PlacedBuffer): number {
  return Math.max(0, Math.min(a.offset + a.alignedBytes, b.offset + b.alignedBytes) - Math.max(a.offset, b.offset));
}

function planWith(g: Graph, opts: PlanOptions): MemoryPlan {
  const requests = bufferRequests(g, opts);
  const pairs: OverlapPair[] = overlapPairs(g, requests, opts.overlaps);
  const lowerBoundBytes = liveBytesLowerBound(requests, pairs);
  // TFLM sizes its arena from the largest-first plan its own planner makes; only AOT plans search.
  const buffers = opts.overlaps ? searchPlacement(requests, pairs, lowerBoundBytes) : placeGreedy(requests);
  const tensorOffsets = g.tensors.map(() => -1);
  const scratchOffsets = g.ops.map(() => -1);
  for (const b of buffers) {
    if (b.kind === "scratch") scratchOffsets[b.opIndex] = b.offset;
    for (const t of b.tensors) tensorOffsets[t] = b.offset;
  }
  const inPlace = pairs
    .map((p) => ({ opIndex: p.opIndex, input: p.input, output: p.output, sharedBytes: sharedBytes(buffers[p.input]!, buffers[p.output]!) }))
    .filter((p) => p.sharedBytes > 0);
  return {
    arenaBytes: alignUp(arenaOf(buffers)),
    lowerBoundBytes,
    buffers,
    tensorOffsets,
    scratchOffsets,
    // Without aliasing a view's input and output are live together, so equal offsets mean shared bytes.
    aliased: g.ops.map((op) => isAliasableView(g, op) && tensorOffsets[op.inputs[0]!] === tensorOffsets[op.outputs[0]!]),
    inPlace,
  };
}
