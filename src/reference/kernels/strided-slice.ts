// STRIDED_SLICE: tensorflow/lite/micro/kernels/strided_slice.cc +
// strided_slice_common.cc with reference_ops::StridedSlice. TFLM ignores the
// ellipsis and new-axis masks and needs constant begin/end/strides, so the
// start/stop of every axis (strided_slice_logic.h StartForAxis/StopForAxis)
// are resolved at prepare time.

import type { BuiltinKernel } from "../kernel.js";
import { constantInt32, input, invalidOp, output } from "../tensors.js";

export interface StridedSliceParams {
  inputShape: number[];
  start: number[];
  stop: number[];
  strides: number[];
}

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

function clamp(v: number, lo: number, hi: number): number {
  return hi < v ? hi : v < lo ? lo : v;
}

export const stridedSlice: BuiltinKernel<"STRIDED_SLICE", StridedSliceParams> = {
  prepare(ctx) {
    const o = ctx.op.options;
    const x = input(ctx, 0);
    const y = output(ctx);
    if (x.dtype !== y.dtype) invalidOp(ctx, `input ${x.dtype} and output ${y.dtype} differ`);
    const rank = x.shape.length;
    if (rank > 5) invalidOp(ctx, "input must have at most 5 dims");
    const begin = constantInt32(ctx, 1);
    const end = constantInt32(ctx, 2);
    const strides = ctx.inputs[3] ? constantInt32(ctx, 3) : new Array<number>(rank).fill(1);
    const start: number[] = [];
    const stop: number[] = [];
    for (let a = 0; a < rank; a++) {
      const size = x.shape[a]!;
      const stride = strides[a]!;
      if (stride === 0) invalidOp(ctx, `stride of axis ${a} is 0`);
      if (size === 0) {
        start.push(0);
        stop.push(0);
        continue;
      }
      let s = o.beginMask & (1 << a) ? (stride > 0 ? INT_MIN : INT_MAX) : begin[a]!;
      if (s < 0) s += size;
      s = stride > 0 ? clamp(s, 0, size) : clamp(s, -1, size - 1);
      let e: number;
      if (o.shrinkAxisMask & (1 << a)) {
        e = s + 1;
      } else {
        e = o.endMask & (1 << a) ? (stride > 0 ? INT_MAX : INT_MIN) : end[a]!;
        if (e < 0) e += size;
        e = stride > 0 ? clamp(e, 0, size) : clamp(e, -1, size - 1);
      }
      start.push(s);
      stop.push(e);
    }
    let count = 1;
    for (let a = 0; a < rank; a++) count *= Math.max(0, Math.ceil((stop[a]! - start[a]!) / strides[a]!));
    const outCount = y.shape.reduce((p, n) => p * n, 1);
    if (count !== outCount) invalidOp(ctx, `slice has ${count} elements, output has ${outCount}`);
    return { inputShape: [...x.shape], start, stop, strides: strides.slice(0, rank) };
  },
  eval(p, io) {
    const x = io.inputs[0] as Int8Array;
    const out = io.outputs[0] as Int8Array;
    const rank = p.inputShape.length;
    const rowStride = new Array<number>(rank);
    let s = 1;
    for (let d = rank - 1; d >= 0; d--) {
      rowStride[d] = s;
      s *= p.inputShape[d]!;
    }
    let o = 0;
    const walk = (d: number, base: number): void => {
      if (d === rank) {
        out[o++] = x[base]!;
        return;
      }
      const st = p.strides[d]!;
      for (let i = p.start[d]!; st > 0 ? i < p.stop[d]! : i > p.stop[d]!; i += st) walk(d + 1, base + i * rowStride[d]!);
    };
    walk(0, 0);
  },
};
