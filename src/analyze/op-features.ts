// What an op's run time is taken to depend on, for the per-op cost model:
// its multiply-accumulates (the matrix ops), the window a windowed op walks
// per output element (filter taps and filter rows: the inner loops' own
// overhead and bounds checks, which a 3×3 depthwise filter pays far more
// often per MAC than a 10×8 one), the elements it writes and reads, and a
// fixed part (call, loop and requantization set-up). The reference and AOT kernels are plain loops over these, so on a
// core without caches (QEMU counts instructions) a linear mix of them is
// close for every op of a type.

import { numElements } from "../model/graph.js";
import type { Graph, Op } from "../model/ir.js";
import { opTypeName } from "../model/ir.js";
import { opMacs } from "../model/macs.js";

/**
 * The cost table's key for an op: its type and the dtype of its first
 * activation input ("CONV_2D int8"), since an int8 and a float kernel of
 * the same op differ several times over; a depthwise convolution with a
 * depth multiplier above 1 runs another loop nest than multiplier 1 (whose
 * kernel accumulates four channels at a time) and is keyed apart.
 */
export function opCostKey(g: Graph, op: Op): string {
  const input = op.inputs.map((t) => (t >= 0 ? g.tensors[t] : undefined)).find((t) => t !== undefined && !t.data);
  const multiplied = op.kind === "builtin" && op.type === "DEPTHWISE_CONV_2D" && (op.options as { depthMultiplier: number }).depthMultiplier > 1;
  return `${opTypeName(op)} ${input?.dtype ?? "const"}${multiplied ? " multiplier>1" : ""}`;
}

export const FEATURES = ["macs", "windowTaps", "windowRows", "outputElements", "inputElements", "fixed"] as const;
export type Feature = (typeof FEATURES)[number];
export type OpFeatures = Record<Feature, number>;

/** Filter height and width of a windowed op (convolutions, pools), else undefined. */
function window(g: Graph, op: Op): [number, number] | undefined {
  if (op.kind !== "builtin") return undefined;
  if (op.type === "CONV_2D" || op.type === "DEPTHWISE_CONV_2D") {
    const f = g.tensors[op.inputs[1] ?? -1]?.shape;
    return f && f.length === 4 ? [f[1]!, f[2]!] : undefined;
  }
  if (op.type === "AVERAGE_POOL_2D" || op.type === "MAX_POOL_2D") {
    const o = op.options as { filterHeight: number; filterWidth: number };
    return [o.filterHeight, o.filterWidth];
  }
  return undefined;
}

export function opFeatures(g: Graph, op: Op): OpFeatures {
  const elements = (ts: readonly number[]): number =>
    ts.reduce((n, t) => {
      const tensor = t >= 0 ? g.tensors[t] : undefined;
      // Constant inputs (weights, tables) are part of the work the MACs count.
      return tensor && !tensor.data ? n + numElements(tensor.shape) : n;
    }, 0);
  const outputElements = elements(op.outputs);
  const w = window(g, op);
  return {
    macs: opMacs(g, op), windowTaps: w ? outputElements * w[0] * w[1] : 0, windowRows: w ? outputElements * w[0] : 0,
    outputElements, inputElements: elements(op.inputs), fixed: 1,
  };
}
