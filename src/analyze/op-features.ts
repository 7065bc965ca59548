// What an op's run time is taken to depend on, for the per-op cost model:
// its multiply-accumulates (the matrix ops), the elements it writes and the
// elements it reads, and a fixed part (call, loops set-up, requantization
// set-up). The reference and AOT kernels are plain loops over these, so on a
// core without caches (QEMU counts instructions) a linear mix of them is
// close for every op of a type.

import { numElements } from "../model/graph.js";
import type { Graph, Op } from "../model/ir.js";
import { opTypeName } from "../model/ir.js";
import { opMacs } from "../model/macs.js";

/**
 * The cost table's key for an op: its type and the dtype of its first
 * activation input ("CONV_2D int8"), since an int8 and a float kernel of
 * the same op differ several times over.
 */
export function opCostKey(g: Graph, op: Op): string {
  const input = op.inputs.map((t) => (t >= 0 ? g.tensors[t] : undefined)).find((t) => t !== undefined && !t.data);
  return `${opTypeName(op)} ${input?.dtype ?? "const"}`;
}

export const FEATURES = ["macs", "outputElements", "inputElements", "fixed"] as const;
export type Feature = (typeof FEATURES)[number];
export type OpFeatures = Record<Feature, number>;

export function opFeatures(g: Graph, op: Op): OpFeatures {
  const elements = (ts: readonly number[]): number =>
    ts.reduce((n, t) => {
      const tensor = t >= 0 ? g.tensors[t] : undefined;
      // Constant inputs (weights, tables) are part of the work the MACs count.
      return tensor && !tensor.data ? n + numElements(tensor.shape) : n;
    }, 0);
  return { macs: opMacs(g, op), outputElements: elements(op.outputs), inputElements: elements(op.inputs), fixed: 1 };
}
