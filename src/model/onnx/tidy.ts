// Clean-ups after conversion: ops whose results nothing reads (a Q→DQ pair's
// QUANTIZE once the pair became the float value itself), and RESHAPE chains
// that the layout relabelling leaves (a RESHAPE of a RESHAPE is one RESHAPE).

import type { Graph, Op } from "../ir.js";
import { compactGraph } from "../layers/builder.js";

export function dropDeadOps(g: Graph): Graph {
  let ops = [...g.ops];
  for (;;) {
    const read = new Set<number>(g.outputs);
    for (const op of ops) for (const i of op.inputs) read.add(i);
    const live = ops.filter((op) => op.outputs.some((o) => read.has(o)));
    if (live.length === ops.length) break;
    ops = live;
  }
  return compactGraph({ ...g, ops });
}

export function mergeReshapes(g: Graph): Graph {
  const ops: Op[] = g.ops.map((op) => ({ ...op, inputs: [...op.inputs] }) as Op);
  const producer = new Map<number, Op>();
  for (const op of ops) for (const o of op.outputs) producer.set(o, op);
  const readers = (t: number): Op[] => ops.filter((op) => op.inputs.includes(t));
  for (const op of ops) {
    if (op.kind !== "builtin" || op.type !== "RESHAPE") continue;
    const mid = op.inputs[0]!;
    const before = producer.get(mid);
    if (!before || before.kind !== "builtin" || before.type !== "RESHAPE") continue;
    if (g.outputs.includes(mid) || readers(mid).length !== 1) continue;
    // Read the first RESHAPE's input directly; the first one is now dead.
    op.inputs[0] = before.inputs[0]!;
  }
  return dropDeadOps({ ...g, ops });
}
