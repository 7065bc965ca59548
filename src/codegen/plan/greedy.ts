// Offsets for buffers with known lifetimes, the way TFLM's
// GreedyMemoryPlanner assigns them: in a given order (largest first by
// default), each buffer at the lowest offset where it collides with no
// already-placed buffer live at the same time. Two buffers joined by an
// in-place pair (overlap.ts) may share bytes within the pair's bound.
// Not optimal (the problem is NP-hard) but close in practice; the lower
// bound below says how close.

import { alignUp } from "./align.js";
import type { BufferRequest } from "./lifetimes.js";
import { pairOverlapBytes, type OverlapPair } from "./overlap.js";

export { ARENA_ALIGNMENT, alignUp } from "./align.js";

export interface PlacedBuffer extends BufferRequest {
  offset: number;
  /** bytes rounded up to the arena alignment. */
  alignedBytes: number;
}

function overlapsInTime(a: BufferRequest, b: BufferRequest): boolean {
  return !(a.lastUse < b.firstUse || b.lastUse < a.firstUse);
}

/** Index pairs → the pair joining them, for both directions. */
function pairIndex(pairs: readonly OverlapPair[]): Map<string, OverlapPair> {
  const m = new Map<string, OverlapPair>();
  for (const p of pairs) {
    m.set(`${p.input},${p.output}`, p);
    m.set(`${p.output},${p.input}`, p);
  }
  return m;
}

/**
 * The open interval of offsets buffer `r` may not take given placed buffer
 * `p`: normally (p.offset - r.size, p.offset + p.size); with a pair, the
 * output may also start anywhere up to maxShift above the input's start.
 */
function forbidden(ri: number, r: number, p: PlacedBuffer, pi: number, pairs: Map<string, OverlapPair>): [number, number] {
  const pair = pairs.get(`${ri},${pi}`);
  const lo = p.offset - r, hi = p.offset + p.alignedBytes;
  if (!pair) return [lo, hi];
  if (pair.output === ri) return [p.offset + Math.max(pair.maxShift, -r), hi];
  // r is the input and p the output: p.offset - r.offset <= maxShift.
  return [lo, p.offset - Math.max(pair.maxShift, -p.alignedBytes)];
}

/** Places the requests one by one in `order` (indices into `requests`). */
export function placeInOrder(requests: readonly BufferRequest[], pairs: readonly OverlapPair[], order: readonly number[]): PlacedBuffer[] {
  const byPair = pairIndex(pairs);
  const result = new Array<PlacedBuffer>(requests.length);
  const placed: number[] = [];
  for (const i of order) {
    const r = requests[i]!;
    const alignedBytes = alignUp(r.bytes);
    const bans = placed.filter((j) => overlapsInTime(result[j]!, r)).map((j) => forbidden(i, alignedBytes, result[j]!, j, byPair));
    // The lowest free offset is 0 or the end of some banned interval.
    const candidates = [0, ...bans.map((b) => b[1])].filter((c) => c >= 0).sort((a, b) => a - b);
    const offset = candidates.find((c) => bans.every(([lo, hi]) => c <= lo || c >= hi))!;
    result[i] = { ...r, offset, alignedBytes };
    placed.push(i);
  }
  return result;
}

/** Largest first; equal sizes keep request order, so plans are deterministic. */
export function sizeOrder(requests: readonly BufferRequest[]): number[] {
  return requests.map((_, i) => i).sort((a, b) => requests[b]!.bytes - requests[a]!.bytes || a - b);
}

export function placeGreedy(requests: readonly BufferRequest[], pairs: readonly OverlapPair[] = []): PlacedBuffer[] {
  return placeInOrder(requests, pairs, sizeOrder(requests));
}

/** Arena bytes live at each step: the buffers' aligned sizes, less the most bytes one in-place pair there can share. */
export function liveBytesPerStep(requests: readonly BufferRequest[], pairs: readonly OverlapPair[] = []): number[] {
  const steps = Math.max(0, ...requests.map((r) => r.lastUse + 1));
  const live = new Array<number>(steps).fill(0);
  for (const r of requests) for (let t = r.firstUse; t <= r.lastUse; t++) live[t]! += alignUp(r.bytes);
  const shared = new Array<number>(steps).fill(0);
  for (const p of pairs) {
    const bytes = pairOverlapBytes(alignUp(requests[p.input]!.bytes), alignUp(requests[p.output]!.bytes), p.maxShift);
    shared[p.opIndex] = Math.max(shared[p.opIndex]!, bytes);
  }
  return live.map((n, t) => n - shared[t]!);
}

/** The most bytes live at any one step: no plan of these buffers can be smaller. */
export function liveBytesLowerBound(requests: readonly BufferRequest[], pairs: readonly OverlapPair[] = []): number {
  return Math.max(0, ...liveBytesPerStep(requests, pairs));
}
