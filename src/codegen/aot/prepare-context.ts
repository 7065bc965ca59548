// The reference kernels' prepare context for one op of a graph, for the
// code that needs an op's prepare values before (or without) generating it:
// the scratch sizes and the in-place rules of the memory plan.

import type { BuiltinOp, Graph } from "../../model/ir.js";
import type { PrepareContext } from "../../reference/kernel.js";

export function prepareContext<T extends BuiltinOp>(g: Graph, op: T, opIndex: number): PrepareContext<T> {
  return {
    op, opIndex, graph: g,
    inputs: op.inputs.map((i) => (i < 0 ? undefined : g.tensors[i])),
    outputs: op.outputs.map((i) => g.tensors[i]!),
  };
}
