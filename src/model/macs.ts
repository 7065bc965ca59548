// Multiply-accumulate counts. Only the matrix-like ops count (convolutions and
// fully connected layers), the convention TFLM's benchmarks and most model
// cards use; pooling and elementwise ops report 0. Every shape access is
// defensive because inspect runs on models that only passed the verifier.

import type { Graph, Op } from "./ir.js";
import { numElements } from "./graph.js";

export function opMacs(g: Graph, op: Op): number {
  if (op.kind !== "builtin") return 0;
  const shapeOf = (i: number | undefined): readonly number[] =>
    i === undefined || i < 0 ? [] : (g.tensors[i]?.shape ?? []);
  const out = shapeOf(op.outputs[0]);
  const filter = shapeOf(op.inputs[1]);
  const dim = (s: readonly number[], i: number): number => s[i] ?? 0;
  switch (op.type) {
    case "CONV_2D":
      // filter OHWI: each output element sums kh × kw × (input channels per group)
      return numElements(out) * dim(filter, 1) * dim(filter, 2) * dim(filter, 3);
    case "DEPTHWISE_CONV_2D":
      // filter 1HW(C×M): each output channel sees one input channel
      return numElements(out) * dim(filter, 1) * dim(filter, 2);
    case "FULLY_CONNECTED":
      // weights [units, depth]: every output element is one dot product of length depth
      return numElements(out) * dim(filter, filter.length - 1);
    default:
      return 0;
  }
}
