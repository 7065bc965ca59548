// The placement order decides a greedy plan. Largest-first is TFLM's and
// is good when buffers only ever sit side by side; with in-place pairs a
// chain of ops that each write below their input packs best in time
// order. So the planner tries a few orders and, while the best plan is
// above the lower bound, a short seeded local search over the order
// (moving one buffer earlier). Deterministic: the same graph gives the same
// plan on every machine.

import { placeInOrder, sizeOrder, type PlacedBuffer } from "./greedy.js";
import type { BufferRequest } from "./lifetimes.js";
import type { OverlapPair } from "./overlap.js";
import { rng } from "../../util/rng.js";

const SEARCH_STEPS = 200;

export function arenaOf(buffers: readonly PlacedBuffer[]): number {
  return Math.max(0, ...buffers.map((b) => b.offset + b.alignedBytes));
}

function startOrders(requests: readonly BufferRequest[]): number[][] {
  const idx = requests.map((_, i) => i);
  const bytes = (i: number): number => requests[i]!.bytes;
  return [
    sizeOrder(requests),
    [...idx].sort((a, b) => requests[a]!.firstUse - requests[b]!.firstUse || bytes(b) - bytes(a) || a - b),
    [...idx].sort((a, b) => requests[b]!.lastUse - requests[a]!.lastUse || bytes(b) - bytes(a) || a - b),
    // Longest-lived first, then largest: long buffers pinned low leave the rest a clean region above.
    [...idx].sort((a, b) => {
      const la = requests[a]!.lastUse - requests[a]!.firstUse, lb = requests[b]!.lastUse - requests[b]!.firstUse;
      return lb - la || bytes(b) - bytes(a) || a - b;
    }),
  ];
}


/** The best placement found, never above the largest-first one. */
export function searchPlacement(requests: readonly BufferRequest[], pairs: readonly OverlapPair[], lowerBound: number): PlacedBuffer[] {
  let bestOrder: number[] = [];
  let best: PlacedBuffer[] = [];
  let bestArena = Infinity;
  const tryOrder = (order: number[]): boolean => {
    const placed = placeInOrder(requests, pairs, order);
    const arena = arenaOf(placed);
    if (arena >= bestArena) return false;
    [bestOrder, best, bestArena] = [order, placed, arena];
    return true;
  };
  for (const order of startOrders(requests)) tryOrder(order);
  if (requests.length < 3) return best;
  const next = rng(requests.length * 7919 + pairs.length);
  for (let step = 0; step < SEARCH_STEPS && bestArena > lowerBound; step++) {
    const order = [...bestOrder];
    const from = Math.floor(next() * order.length);
    const to = Math.floor(next() * (from + 1));
    const [moved] = order.splice(from, 1);
    order.splice(to, 0, moved!);
    tryOrder(order);
  }
  return best;
}
