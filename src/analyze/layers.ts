// Per layer and per tensor figures of a memory plan: what each op computes
// (MACs), reads from flash (weight bytes) and keeps live in the arena while
// it runs, and where and when each arena buffer lives. Everything comes from
// the plan the build itself makes (codegen/plan), so the peak here is the
// arena the firmware reserves, not a second opinion.

import type { PlacedBuffer } from "../codegen/plan/greedy.js";
import type { MemoryPlan } from "../codegen/plan/index.js";
import { numElements } from "../model/graph.js";
import type { Graph } from "../model/ir.js";
import { opTypeName } from "../model/ir.js";
import { opMacs } from "../model/macs.js";
import { shortTensorName } from "../util/short-name.js";

export interface LayerRow {
  index: number;
  type: string;
  /** The op's first output tensor: what the layer is called in the model. */
  name: string;
  shortName: string;
  macs: number;
  /** Bytes of the op's constant inputs (weights, biases, tables): flash it reads. */
  weightBytes: number;
  /** Elements of the op's first output. */
  outputElements: number;
  /** Arena bytes (aligned) of every buffer live while this op runs: its inputs, outputs, scratch and whatever waits for a later op (bytes an in-place op shares counted once). */
  liveBytes: number;
  /** The highest arena byte in use while this op runs (offset + size of the topmost live buffer). */
  arenaExtentBytes: number;
  /** Indices into `buffers` of the buffers live during this op. */
  liveBuffers: number[];
  /** Bytes the op's output shares with its dying input when the plan runs it in place; 0 otherwise. */
  inPlaceBytes: number;
}

export type BufferRole = "input" | "output" | "activation" | "variable" | "scratch";

export interface BufferRow {
  /** Position in the plan's buffer list. */
  index: number;
  kind: "tensor" | "scratch";
  role: BufferRole;
  /** Tensors that share these bytes (a view aliases its input); empty for scratch. */
  tensors: number[];
  name: string;
  shortName: string;
  /** For scratch: the op that owns it. */
  opIndex: number;
  bytes: number;
  alignedBytes: number;
  offset: number;
  /** First and last op (inclusive) during which the buffer holds live data. */
  firstOp: number;
  lastOp: number;
}

export interface PlanAnalysis {
  layers: LayerRow[];
  buffers: BufferRow[];
  /** The largest extent over the layers (the plan's arena) and the first op that reaches it. */
  peak: { op: number; arenaBytes: number };
  /** The most bytes live at once (no placement needs less) and the op where that happens. */
  livePeak: { op: number; bytes: number };
  lowerBoundBytes: number;
}

function role(g: Graph, b: PlacedBuffer): BufferRole {
  if (b.kind === "scratch") return "scratch";
  if (b.tensors.some((t) => g.inputs.includes(t))) return "input";
  if (b.tensors.some((t) => g.outputs.includes(t))) return "output";
  if (b.tensors.some((t) => g.tensors[t]?.isVariable)) return "variable";
  return "activation";
}

function bufferName(g: Graph, b: PlacedBuffer): string {
  if (b.kind === "scratch") {
    const op = g.ops[b.opIndex];
    return `scratch of #${b.opIndex}${op ? ` ${opTypeName(op)}` : ""}`;
  }
  return g.tensors[b.tensors[0]!]?.name ?? `tensor ${b.tensors[0]}`;
}

/** Bytes covered by the buffers: an op run in place shares bytes between its input and output, counted once. */
function unionBytes(live: readonly BufferRow[]): number {
  const spans = live.map((b) => [b.offset, b.offset + b.alignedBytes] as const).sort((a, b) => a[0] - b[0]);
  let total = 0, end = -Infinity;
  for (const [lo, hi] of spans) {
    if (hi <= end) continue;
    total += hi - Math.max(lo, end);
    end = hi;
  }
  return total;
}

export function analyzePlan(g: Graph, plan: MemoryPlan): PlanAnalysis {
  const buffers: BufferRow[] = plan.buffers.map((b, index) => {
    const name = bufferName(g, b);
    return {
      index, kind: b.kind, role: role(g, b), tensors: [...b.tensors], name,
      shortName: b.kind === "scratch" ? name : shortTensorName(name), opIndex: b.opIndex,
      bytes: b.bytes, alignedBytes: b.alignedBytes, offset: b.offset, firstOp: b.firstUse, lastOp: b.lastUse,
    };
  });
  const layers: LayerRow[] = g.ops.map((op, index) => {
    const live = buffers.filter((b) => b.firstOp <= index && index <= b.lastOp);
    const out = g.tensors[op.outputs[0] ?? -1];
    const name = out?.name ?? `op ${index}`;
    return {
      index, type: opTypeName(op), name, shortName: shortTensorName(name), macs: opMacs(g, op),
      weightBytes: op.inputs.reduce((n, i) => n + (i >= 0 ? (g.tensors[i]?.data?.byteLength ?? 0) : 0), 0),
      outputElements: out ? numElements(out.shape) : 0,
      liveBytes: unionBytes(live),
      arenaExtentBytes: Math.max(0, ...live.map((b) => b.offset + b.alignedBytes)),
      liveBuffers: live.map((b) => b.index),
      inPlaceBytes: plan.inPlace.filter((q) => q.opIndex === index).reduce((n, q) => n + q.sharedBytes, 0),
    };
  });
  const argmax = (f: (l: LayerRow) => number): number => layers.reduce((best, l) => (f(l) > f(layers[best]!) ? l.index : best), 0);
  const peakOp = argmax((l) => l.arenaExtentBytes);
  const liveOp = argmax((l) => l.liveBytes);
  return {
    layers,
    buffers,
    // Read off the rows, not copied from the plan: a test holds the two equal.
    peak: { op: layers.length > 0 ? peakOp : -1, arenaBytes: layers[peakOp]?.arenaExtentBytes ?? 0 },
    livePeak: { op: layers.length > 0 ? liveOp : -1, bytes: layers[liveOp]?.liveBytes ?? 0 },
    lowerBoundBytes: plan.lowerBoundBytes,
  };
}
