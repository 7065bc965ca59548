// In-place execution in the memory plan. Some kernels read their input and
// write their output in one monotonic sweep (a convolution pixel by pixel,
// an elementwise op element by element), so the output may start *below*
// the input and overlap it, as long as every input byte is read before the
// sweep's writes reach it. The AOT generator states, per op, how far above
// the input's start the output may begin (`maxShift`, bytes, usually
// negative); the planner then lets the two buffers share bytes within that
// bound, and only when the input dies at that op and the output is born
// there. TFLM's planner knows nothing of this, so its runtime plans without
// rules.

import type { Graph, Op } from "../../model/ir.js";
import { ARENA_ALIGNMENT } from "./align.js";
import type { BufferRequest } from "./lifetimes.js";

/** Tensor `output` of op `opIndex` may start at most `maxShift` bytes above tensor `input`'s start. */
export interface OverlapRule {
  input: number;
  output: number;
  maxShift: number;
}

/** Which in-place overlaps op `i` allows (none by default). */
export type OverlapRules = (op: Op, opIndex: number) => readonly OverlapRule[];

/** An overlap the planner may use: between request indices, at op `opIndex`. */
export interface OverlapPair {
  opIndex: number;
  input: number;
  output: number;
  /** output.offset - input.offset must be <= this (a multiple of the alignment), or the two must be disjoint. */
  maxShift: number;
}

/** The rules that apply to these requests: the input dies at the op, the output is born there. */
export function overlapPairs(g: Graph, requests: readonly BufferRequest[], rules: OverlapRules | undefined): OverlapPair[] {
  if (!rules) return [];
  const byTensor = new Map<number, number>();
  requests.forEach((r, i) => {
    for (const t of r.tensors) byTensor.set(t, i);
  });
  const pairs: OverlapPair[] = [];
  g.ops.forEach((op, opIndex) => {
    for (const rule of rules(op, opIndex)) {
      const input = byTensor.get(rule.input);
      const output = byTensor.get(rule.output);
      if (input === undefined || output === undefined || input === output) continue;
      const a = requests[input]!, b = requests[output]!;
      // The input must be read last by this op and the output first written by it. A graph input
      // may be overwritten (every app copies its inputs in again before each invoke: the input
      // stage); a graph output or a variable must survive the invoke.
      if (a.lastUse !== opIndex || b.firstUse !== opIndex) continue;
      if (a.tensors.some((t) => g.outputs.includes(t))) continue;
      if (a.tensors.some((t) => g.tensors[t]?.isVariable) || b.tensors.some((t) => g.tensors[t]?.isVariable)) continue;
      const maxShift = Math.floor(rule.maxShift / ARENA_ALIGNMENT) * ARENA_ALIGNMENT;
      pairs.push({ opIndex, input, output, maxShift });
    }
  });
  return pairs;
}

/** Bytes two buffers of these sizes can share under the pair's bound at best. */
export function pairOverlapBytes(inputBytes: number, outputBytes: number, maxShift: number): number {
  const shift = Math.max(maxShift, -outputBytes);
  return Math.max(0, Math.min(inputBytes, shift + outputBytes) - Math.max(0, shift));
}
