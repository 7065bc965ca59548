// Which arena buffers a graph needs and when each is live, in op steps.
// A buffer is live from the op that writes it (step 0 for graph inputs) to
// the last op that reads it (the last step for graph outputs), as TFLM's
// AllocationInfoBuilder counts. Constants stay in flash and need none.
// Pure views (RESHAPE) share their input's buffer, so a buffer may hold
// several tensors; scratch buffers live for their one op.

import { tensorBytes } from "../../model/graph.js";
import type { Graph, Op } from "../../model/ir.js";

/** Ops whose output is the input's bytes reinterpreted: they alias instead of copying. */
const VIEW_OPS: ReadonlySet<string> = new Set(["RESHAPE"]);

export interface BufferRequest {
  kind: "tensor" | "scratch";
  /** Tensors stored in this buffer (aliases share one); empty for scratch. */
  tensors: number[];
  /** For scratch: the op that owns it. */
  opIndex: number;
  bytes: number;
  firstUse: number;
  lastUse: number;
}

export interface LifetimeOptions {
  /** Scratch bytes op `i` needs (0 when none), sized like the kernel's *_scratch_size(). */
  scratchBytes?: (op: Op, opIndex: number) => number;
  /** Whether to alias view ops (default true). */
  aliasViews?: boolean;
}

/** Whether op `op`'s output may share its first input's buffer. */
export function isAliasableView(g: Graph, op: Op): boolean {
  if (op.kind !== "builtin" || !VIEW_OPS.has(op.type)) return false;
  const src = g.tensors[op.inputs[0] ?? -1];
  const dst = g.tensors[op.outputs[0] ?? -1];
  // A constant input lives in flash (the output needs its own bytes), and a
  // variable is written across invokes: neither may be shared.
  return src !== undefined && dst !== undefined && !src.data && !src.isVariable && !dst.isVariable && tensorBytes(src) === tensorBytes(dst);
}

export function bufferRequests(g: Graph, opts: LifetimeOptions = {}): BufferRequest[] {
  const last = Math.max(0, g.ops.length - 1);
  // Union-find over tensor indices: a view's output joins its input.
  const root = g.tensors.map((_, i) => i);
  const find = (i: number): number => (root[i] === i ? i : (root[i] = find(root[i]!)));
  if (opts.aliasViews !== false) {
    for (const op of g.ops) if (isAliasableView(g, op)) root[find(op.outputs[0]!)] = find(op.inputs[0]!);
  }
  const first = new Map<number, number>();
  const lastUse = new Map<number, number>();
  const touch = (t: number, step: number): void => {
    if (t < 0 || g.tensors[t]?.data) return;
    const r = find(t);
    first.set(r, Math.min(first.get(r) ?? step, step));
    lastUse.set(r, Math.max(lastUse.get(r) ?? step, step));
  };
  for (const t of g.inputs) touch(t, 0);
  g.ops.forEach((op, i) => {
    for (const t of op.outputs) touch(t, i);
    for (const t of op.inputs) touch(t, i);
  });
  for (const t of g.outputs) touch(t, last);
  g.tensors.forEach((t, i) => {
    if (t.isVariable && !t.data) {
      touch(i, 0);
      touch(i, last);
    }
  });
  const members = new Map<number, number[]>();
  g.tensors.forEach((_, i) => {
    const r = find(i);
    if (first.has(r)) members.set(r, [...(members.get(r) ?? []), i]);
  });
  const requests: BufferRequest[] = [...members.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([r, tensors]) => ({
      kind: "tensor" as const,
      tensors,
      opIndex: -1,
      bytes: Math.max(...tensors.map((t) => tensorBytes(g.tensors[t]!))),
      firstUse: first.get(r)!,
      lastUse: lastUse.get(r)!,
    }));
  if (opts.scratchBytes) {
    g.ops.forEach((op, i) => {
      const bytes = opts.scratchBytes!(op, i);
      if (bytes > 0) requests.push({ kind: "scratch", tensors: [], opIndex: i, bytes, firstUse: i, lastUse: i });
    });
  }
  return requests;
}
