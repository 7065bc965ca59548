// The static memory plan: where in one arena every non-constant tensor and
// every kernel scratch buffer lives. The AOT generator sizes its static
// arena with it, the TFLM generator starts its arena size from it, and
// `tinyml inspect` prints it.

import type { Graph } from "../../model/ir.js";
import { alignUp, liveBytesLowerBound, placeGreedy, type PlacedBuffer } from "./greedy.js";
import { bufferRequests, isAliasableView, type LifetimeOptions } from "./lifetimes.js";

export { ARENA_ALIGNMENT, alignUp } from "./greedy.js";
export { isAliasableView, type LifetimeOptions } from "./lifetimes.js";

export interface MemoryPlan {
  /** Bytes of arena the plan needs (a multiple of the alignment). */
  arenaBytes: number;
  /** The most bytes simultaneously live: no plan of these buffers needs less. */
  lowerBoundBytes: number;
  buffers: PlacedBuffer[];
  /** Arena offset of each tensor, indexed like graph.tensors; -1 for constants and unused tensors. */
  tensorOffsets: number[];
  /** Arena offset of op i's scratch buffer, or -1 when it has none. */
  scratchOffsets: number[];
  /** Whether op i is a view sharing its input's bytes (no copy to generate). */
  aliased: boolean[];
}

/**
 * With `aliasViews` unset, plans both with and without view aliasing and
 * keeps the smaller arena: sharing a buffer merges two lifetimes into one
 * longer one, which can make the greedy placement worse (the audio
 * preprocessor's plan grows by 800 bytes with aliasing).
 */
export function planArena(g: Graph, opts: LifetimeOptions = {}): MemoryPlan {
  if (opts.aliasViews === undefined) {
    const shared = planWith(g, { ...opts, aliasViews: true });
    const copied = planWith(g, { ...opts, aliasViews: false });
    return copied.arenaBytes < shared.arenaBytes ? copied : shared;
  }
  return planWith(g, opts);
}

function planWith(g: Graph, opts: LifetimeOptions): MemoryPlan {
  const requests = bufferRequests(g, opts);
  const buffers = placeGreedy(requests);
  const tensorOffsets = g.tensors.map(() => -1);
  const scratchOffsets = g.ops.map(() => -1);
  for (const b of buffers) {
    if (b.kind === "scratch") scratchOffsets[b.opIndex] = b.offset;
    for (const t of b.tensors) tensorOffsets[t] = b.offset;
  }
  return {
    arenaBytes: alignUp(Math.max(0, ...buffers.map((b) => b.offset + b.alignedBytes))),
    lowerBoundBytes: liveBytesLowerBound(requests),
    buffers,
    tensorOffsets,
    scratchOffsets,
    // Without aliasing a view's input and output are live together, so equal offsets mean shared bytes.
    aliased: g.ops.map((op) => isAliasableView(g, op) && tensorOffsets[op.inputs[0]!] === tensorOffsets[op.outputs[0]!]),
  };
}
