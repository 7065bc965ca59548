// NumPy-style broadcasting for binary elementwise ops, as TFLM's
// BroadcastBinaryOpSimple does it (up to 6 dims). Which reference entry
// point TFLM picks (elementwise or broadcast) does not change any element's
// value, only its indexing, so one walker serves every binary kernel.

import type { Tensor } from "../model/ir.js";
import type { PrepareContext } from "./kernel.js";
import type { Op } from "../model/ir.js";
import { flatSize, invalidOp } from "./tensors.js";

export const MAX_BROADCAST_DIMS = 6;

export interface BroadcastPlan {
  /** Output shape (the op's output tensor). */
  shape: number[];
  /** Element strides of each input along the output dims; 0 where broadcast. */
  strides1: number[];
  strides2: number[];
  size: number;
  /** Both inputs have the output's element count: walk them flat. */
  elementwise: boolean;
}

function stridesFor(shape: readonly number[], outShape: readonly number[]): number[] {
  const rank = outShape.length;
  const ext = [...new Array<number>(rank - shape.length).fill(1), ...shape];
  const strides = new Array<number>(rank).fill(0);
  let s = 1;
  for (let d = rank - 1; d >= 0; d--) {
    strides[d] = ext[d] === 1 && outShape[d] !== 1 ? 0 : s;
    s *= ext[d]!;
  }
  return strides;
}

export function planBroadcast(ctx: PrepareContext<Op>, a: Tensor, b: Tensor, out: Tensor): BroadcastPlan {
  const rank = Math.max(a.shape.length, b.shape.length, out.shape.length);
  if (rank > MAX_BROADCAST_DIMS) invalidOp(ctx, `broadcasting supports up to ${MAX_BROADCAST_DIMS} dims, got ${rank}`);
  const shape = [...new Array<number>(rank - out.shape.length).fill(1), ...out.shape];
  for (const t of [a, b]) {
    const ext = [...new Array<number>(rank - t.shape.length).fill(1), ...t.shape];
    ext.forEach((d, i) => {
      if (d !== 1 && d !== shape[i]) invalidOp(ctx, `shape [${t.shape.join(", ")}] does not broadcast to output [${out.shape.join(", ")}]`);
    });
  }
  const size = flatSize(shape);
  return {
    shape,
    strides1: stridesFor(a.shape, shape),
    strides2: stridesFor(b.shape, shape),
    size,
    elementwise: flatSize(a.shape) === size && flatSize(b.shape) === size,
  };
}

type Numbers = { readonly [i: number]: number };

/** out[i] = f(a[i1], b[i2]) over the broadcast output, in row-major order. */
export function broadcastBinary(
  plan: BroadcastPlan,
  a: Numbers,
  b: Numbers,
  out: { [i: number]: number },
  f: (x: number, y: number) => number,
): void {
  if (plan.elementwise) {
    for (let i = 0; i < plan.size; i++) out[i] = f(a[i]!, b[i]!);
    return;
  }
  const rank = plan.shape.length;
  const idx = new Array<number>(rank).fill(0);
  let i1 = 0;
  let i2 = 0;
  for (let o = 0; o < plan.size; o++) {
    out[o] = f(a[i1]!, b[i2]!);
    // Odometer increment, keeping both input offsets in step.
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]!++;
      i1 += plan.strides1[d]!;
      i2 += plan.strides2[d]!;
      if (idx[d]! < plan.shape[d]!) break;
      i1 -= plan.strides1[d]! * plan.shape[d]!;
      i2 -= plan.strides2[d]! * plan.shape[d]!;
      idx[d] = 0;
    }
  }
}
