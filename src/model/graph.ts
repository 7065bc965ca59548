// Facts derived from the IR that several stages need.

import { dtypeBytes, typedView, type DType, type TypedArrayFor } from "./dtype.js";
import type { Graph, Model, Op, Tensor } from "./ir.js";

export function mainGraph(model: Model): Graph {
  const g = model.graphs[0];
  if (!g) throw new Error("model has no graphs (the loader guarantees one)");
  return g;
}

export function numElements(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function tensorBytes(t: Tensor): number {
  return numElements(t.shape) * dtypeBytes(t.dtype);
}

export function isConstant(t: Tensor): boolean {
  return t.data !== undefined;
}

/** The constant contents of a tensor as a typed array. */
export function constantValues<D extends DType>(t: Tensor & { dtype: D }): TypedArrayFor<D> {
  if (!t.data) throw new Error(`tensor '${t.name}' is not constant`);
  return typedView(t.dtype, t.data);
}

/**
 * The dimension a per-channel tensor is quantized along. Rank-1 tensors
 * (biases) are read along their only axis whatever the file says.
 */
export function quantizedAxis(t: Tensor): number {
  return t.shape.length === 1 ? 0 : (t.quantization?.axis ?? 0);
}

export function isPerChannel(t: Tensor): boolean {
  return (t.quantization?.scale.length ?? 0) > 1;
}

/** The op's tensor at input position `i`, or undefined when omitted (-1) or absent. */
export function opInput(g: Graph, op: Op, i: number): Tensor | undefined {
  const idx = op.inputs[i];
  return idx === undefined || idx < 0 ? undefined : g.tensors[idx];
}

export function opOutput(g: Graph, op: Op, i: number): Tensor | undefined {
  const idx = op.outputs[i];
  return idx === undefined || idx < 0 ? undefined : g.tensors[idx];
}
