// AVERAGE_POOL_2D and MAX_POOL_2D: tensorflow/lite/micro/kernels/pooling.cc +
// pooling_common.cc (prepare), reference_integer_ops::{AveragePool,MaxPool}
// (int8/int16) and reference_ops::{AveragePool,MaxPool} (float).

import { activationRangeFloat } from "../../fixedpoint/activation.js";
import type { BuiltinKernel, BuiltinPrepareContext } from "../kernel.js";
import { computePaddingHeightWidth } from "../padding.js";
import { outputActivationRange } from "../quant-params.js";
import { input, invalidOp, output, sameDType, scaleOf, unsupportedTypes, zeroPointOf } from "../tensors.js";

export interface PoolParams {
  dtype: "int8" | "int16" | "float32";
  inputShape: number[];
  outputShape: number[];
  filterH: number;
  filterW: number;
  strideH: number;
  strideW: number;
  padH: number;
  padW: number;
  activationMin: number;
  activationMax: number;
}

function preparePool(ctx: BuiltinPrepareContext<"AVERAGE_POOL_2D" | "MAX_POOL_2D">): PoolParams {
  const o = ctx.op.options;
  const x = input(ctx, 0);
  const y = output(ctx);
  const dtype = sameDType(ctx, [x, y]);
  if (dtype !== "int8" && dtype !== "int16" && dtype !== "float32") unsupportedTypes(ctx, dtype, "int8, int16, float32");
  if (x.shape.length !== 4) invalidOp(ctx, "input must be 4-D");
  if (dtype !== "float32" && (Math.abs(Math.fround(scaleOf(x) - scaleOf(y))) > 1e-6 || zeroPointOf(x) !== zeroPointOf(y))) {
    invalidOp(ctx, "input and output quantization must match");
  }
  const { padding } = computePaddingHeightWidth(o.strideH, o.strideW, 1, 1, x.shape[1]!, x.shape[2]!, o.filterHeight, o.filterWidth, o.padding);
  const range = dtype === "float32" ? activationRangeFloat(o.activation) : outputActivationRange(o.activation, y);
  return {
    dtype,
    inputShape: [...x.shape],
    outputShape: [...y.shape],
    filterH: o.filterHeight,
    filterW: o.filterWidth,
    strideH: o.strideH,
    strideW: o.strideW,
    padH: padding.height,
    padW: padding.width,
    activationMin: range.min,
    activationMax: range.max,
  };
}

type Reduce = (p: PoolParams, x: ArrayLike<number>, base: number, depth: number, inW: number, y0: number, y1: number, x0: number, x1: number) => number;

function pool(p: PoolParams, x: ArrayLike<number>, out: { [i: number]: number }, reduce: Reduce): void {
  const [batches, inH, inW, depth] = p.inputShape as [number, number, number, number];
  const [, outH, outW] = p.outputShape as [number, number, number, number];
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const inX0 = ox * p.strideW - p.padW;
        const inY0 = oy * p.strideH - p.padH;
        // The window clamped to the image, as the reference kernels do.
        const fx0 = Math.max(0, -inX0);
        const fx1 = Math.min(p.filterW, inW - inX0);
        const fy0 = Math.max(0, -inY0);
        const fy1 = Math.min(p.filterH, inH - inY0);
        for (let c = 0; c < depth; c++) {
          const base = ((b * inH + inY0) * inW + inX0) * depth + c;
          const v = reduce(p, x, base, depth, inW, fy0, fy1, fx0, fx1);
          out[((b * outH + oy) * outW + ox) * depth + c] = v < p.activationMin ? p.activationMin : v > p.activationMax ? p.activationMax : v;
        }
      }
    }
  }
}

const averageInt: Reduce = (_p, x, base, depth, inW, y0, y1, x0, x1) => {
  let acc = 0;
  let count = 0;
  for (let fy = y0; fy < y1; fy++) {
    for (let fx = x0; fx < x1; fx++) {
      acc += x[base + (fy * inW + fx) * depth]!;
      count++;
    }
  }
  // Round half away from zero with C's truncating integer division.
  const half = Math.trunc(count / 2);
  return acc > 0 ? Math.trunc((acc + half) / count) : Math.trunc((acc - half) / count);
};

const averageFloat: Reduce = (_p, x, base, depth, inW, y0, y1, x0, x1) => {
  let total = 0;
  let count = 0;
  for (let fy = y0; fy < y1; fy++) {
    for (let fx = x0; fx < x1; fx++) {
      total = Math.fround(total + x[base + (fy * inW + fx) * depth]!);
      count++;
    }
  }
  return Math.fround(total / count);
};

const maximum: Reduce = (p, x, base, depth, inW, y0, y1, x0, x1) => {
  let max = p.dtype === "float32" ? -3.4028234663852886e38 : p.dtype === "int8" ? -128 : -32768;
  for (let fy = y0; fy < y1; fy++) {
    for (let fx = x0; fx < x1; fx++) {
      const v = x[base + (fy * inW + fx) * depth]!;
      if (v > max) max = v;
    }
  }
  return max;
};

export const averagePool2d: BuiltinKernel<"AVERAGE_POOL_2D", PoolParams> = {
  prepare: preparePool,
  eval(p, io) {
    const x = io.inputs[0] as Int8Array | Int16Array | Float32Array;
    pool(p, x, io.outputs[0] as Int8Array | Int16Array | Float32Array, p.dtype === "float32" ? averageFloat : averageInt);
  },
};

export const maxPool2d: BuiltinKernel<"MAX_POOL_2D", PoolParams> = {
  prepare: preparePool,
  eval(p, io) {
    pool(p, io.inputs[0] as Int8Array | Int16Array | Float32Array, io.outputs[0] as Int8Array | Int16Array | Float32Array, maximum);
  },
};
