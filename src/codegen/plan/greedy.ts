// Offsets for buffers with known lifetimes, the way TFLM's
// GreedyMemoryPlanner assigns them: largest buffer first, each at the lowest
// offset where it overlaps no already-placed buffer that is live at the same
// time. Not optimal (the problem is NP-hard) but close in practice; the
// lower bound below says how close.

import type { BufferRequest } from "./lifetimes.js";

export const ARENA_ALIGNMENT = 16;

export function alignUp(n: number, a = ARENA_ALIGNMENT): number {
  return Math.ceil(n / a) * a;
}

export interface PlacedBuffer extends BufferRequest {
  offset: number;
  /** bytes rounded up to the arena alignment. */
  alignedBytes: number;
}

function overlapsInTime(a: BufferRequest, b: BufferRequest): boolean {
  return !(a.lastUse < b.firstUse || b.lastUse < a.firstUse);
}

export function placeGreedy(requests: readonly BufferRequest[]): PlacedBuffer[] {
  // Stable sort: equal sizes keep request order, so plans are deterministic.
  const order = requests.map((r, i) => ({ r, i })).sort((a, b) => b.r.bytes - a.r.bytes || a.i - b.i);
  const placed: PlacedBuffer[] = [];
  const result = new Array<PlacedBuffer>(requests.length);
  for (const { r, i } of order) {
    const alignedBytes = alignUp(r.bytes);
    const live = placed.filter((p) => overlapsInTime(p, r)).sort((a, b) => a.offset - b.offset);
    let offset = 0;
    for (const p of live) {
      if (p.offset >= offset + alignedBytes) break;
      offset = Math.max(offset, p.offset + p.alignedBytes);
    }
    const pb: PlacedBuffer = { ...r, offset, alignedBytes };
    placed.push(pb);
    result[i] = pb;
  }
  return result;
}

/** The most bytes (aligned) live at any one step: no plan of these buffers can be smaller. */
export function liveBytesLowerBound(requests: readonly BufferRequest[]): number {
  const steps = Math.max(0, ...requests.map((r) => r.lastUse + 1));
  let best = 0;
  for (let t = 0; t < steps; t++) {
    let sum = 0;
    for (const r of requests) if (r.firstUse <= t && t <= r.lastUse) sum += alignUp(r.bytes);
    best = Math.max(best, sum);
  }
  return best;
}
