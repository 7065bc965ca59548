// Assembles a float32 IR graph op by op: the TF.js layer converters call
// these instead of pushing tensors and ops by hand, so every op gets its
// options filled from the op table's defaults and its version set.

import { bytesOf } from "../dtype.js";
import type { BuiltinOp, Graph, Tensor } from "../ir.js";
import { defaultOptions, type BuiltinOpType, type OptionsFor } from "../ops.js";

export class GraphBuilder {
  readonly tensors: Tensor[] = [];
  readonly ops: BuiltinOp[] = [];

  /** A float32 activation tensor; dim 0 is the batch (1, dynamic in the signature). */
  activation(name: string, shape: number[]): number {
    this.tensors.push({ name, dtype: "float32", shape: [...shape], shapeSignature: [-1, ...shape.slice(1)], isVariable: false });
    return this.tensors.length - 1;
  }

  constFloat(name: string, shape: number[], values: Float32Array): number {
    this.tensors.push({ name, dtype: "float32", shape: [...shape], data: bytesOf(values.slice()), isVariable: false });
    return this.tensors.length - 1;
  }

  constInt32(name: string, shape: number[], values: number[]): number {
    this.tensors.push({ name, dtype: "int32", shape: [...shape], data: bytesOf(Int32Array.from(values)), isVariable: false });
    return this.tensors.length - 1;
  }

  /** Any tensor (int8 activations, int32 biases, …), as given. */
  tensor(t: Tensor): number {
    this.tensors.push(t);
    return this.tensors.length - 1;
  }

  op<T extends BuiltinOpType>(type: T, inputs: number[], outputs: number[], options: Partial<OptionsFor<T>> = {}): void {
    const op = { kind: "builtin", type, inputs, outputs, version: 1, options: { ...defaultOptions(type), ...options } };
    this.ops.push(op as BuiltinOp);
  }

  shapeOf(t: number): number[] {
    return this.tensors[t]!.shape;
  }

  graph(name: string, inputs: number[], outputs: number[]): Graph {
    return { name, tensors: this.tensors, inputs, outputs, ops: this.ops };
  }
}

/** Drops tensors no op, input or output refers to, renumbering the rest in order. */
export function compactGraph(g: Graph): Graph {
  const used = new Set<number>([...g.inputs, ...g.outputs]);
  for (const op of g.ops) for (const i of [...op.inputs, ...op.outputs]) if (i >= 0) used.add(i);
  const remap = new Map<number, number>();
  const tensors: Tensor[] = [];
  g.tensors.forEach((t, i) => {
    if (used.has(i)) {
      remap.set(i, tensors.length);
      tensors.push(t);
    }
  });
  const m = (i: number): number => (i < 0 ? i : remap.get(i)!);
  return {
    ...g,
    tensors,
    inputs: g.inputs.map(m),
    outputs: g.outputs.map(m),
    ops: g.ops.map((op) => ({ ...op, inputs: op.inputs.map(m), outputs: op.outputs.map(m) })),
  };
}
