// Synthetic cases for the windowed ops: CONV_2D, DEPTHWISE_CONV_2D,
// FULLY_CONNECTED and the pools, int8 (per-channel and per-tensor weights,
// fused activations) and float32, over SAME/VALID padding, strides and
// dilation. Output sizes follow TFLM's ComputeOutSize.

import type { Activation, Padding } from "../../../src/model/ops.js";
import { GraphBuilder, quant, type OpCase, type Rng } from "./builder.js";

const INT8 = { lo: -128, hi: 127 };
const FLOAT = { lo: -2, hi: 2 };

function outSize(padding: Padding, size: number, filter: number, stride: number, dilation: number): number {
  const effective = (filter - 1) * dilation + 1;
  return padding === "SAME" ? Math.floor((size + stride - 1) / stride) : Math.floor((size - effective + stride) / stride);
}

interface Window {
  h: number; w: number; c: number; kh: number; kw: number;
  strideH: number; strideW: number; dilationH: number; dilationW: number; padding: Padding;
  outH: number; outW: number;
}

function randomWindow(rng: Rng, dilated: boolean): Window {
  for (;;) {
    const win = {
      h: rng.int(4, 9), w: rng.int(4, 9), c: rng.int(1, 4), kh: rng.int(1, 3), kw: rng.int(1, 3),
      strideH: rng.int(1, 2), strideW: rng.int(1, 2),
      dilationH: dilated ? rng.int(1, 2) : 1, dilationW: dilated ? rng.int(1, 2) : 1,
      padding: rng.pick(["SAME", "VALID"] as const), outH: 0, outW: 0,
    };
    win.outH = outSize(win.padding, win.h, win.kh, win.strideH, win.dilationH);
    win.outW = outSize(win.padding, win.w, win.kw, win.strideW, win.dilationW);
    if (win.outH >= 1 && win.outW >= 1) return win;
  }
}

function describe(win: Window): string {
  return `${win.padding} ${win.h}x${win.w}x${win.c} k${win.kh}x${win.kw} s${win.strideH}${win.strideW} d${win.dilationH}${win.dilationW}`;
}

function randomInts(rng: Rng, n: number, lo: number, hi: number): number[] {
  return Array.from({ length: n }, () => rng.int(lo, hi));
}

function randomFloats(rng: Rng, n: number, lo: number, hi: number): number[] {
  return Array.from({ length: n }, () => rng.float(lo, hi));
}

/** Weights, bias and output quantization that keep int8 outputs mostly unsaturated. */
function int8Weights(rng: Rng, channels: number, perChannel: boolean, inScale: number, taps: number) {
  const wScales = perChannel ? Array.from({ length: channels }, () => rng.float(0.002, 0.02)) : [rng.float(0.002, 0.02)];
  const avg = wScales.reduce((a, b) => a + b, 0) / wScales.length;
  const outScale = 135 * Math.sqrt(taps) * inScale * avg;
  return { wScales, outScale, biasScales: Array.from({ length: channels }, (_, c) => inScale * wScales[perChannel ? c : 0]!) };
}

export function convCases(rng: Rng, count: number): OpCase[] {
  const cases: OpCase[] = [];
  for (let k = 0; k < count; k++) {
    const isInt8 = k % 2 === 0;
    const win = randomWindow(rng, true);
    const outC = rng.int(1, 4);
    const activation: Activation = rng.pick(["NONE", "RELU", "RELU6"] as const);
    const b = new GraphBuilder();
    const taps = win.kh * win.kw * win.c;
    const filterShape = [outC, win.kh, win.kw, win.c];
    const options = {
      padding: win.padding, strideW: win.strideW, strideH: win.strideH, activation,
      dilationW: win.dilationW, dilationH: win.dilationH, quantizedBiasType: "float32" as const,
    };
    let perChannel = false;
    if (isInt8) {
      perChannel = rng.next() < 0.7;
      const inScale = rng.float(0.01, 0.1);
      const x = b.input("int8", [1, win.h, win.w, win.c], INT8, quant(inScale, rng.int(-20, 20)));
      const q = int8Weights(rng, outC, perChannel, inScale, taps);
      const filter = b.constant("int8", filterShape, randomInts(rng, outC * taps, -127, 127), quant(q.wScales, 0, 0));
      const bias = b.constant("int32", [outC], randomInts(rng, outC, -3000, 3000), quant(q.biasScales, 0, 0));
      const y = b.tensor("int8", [1, win.outH, win.outW, outC], quant(q.outScale, rng.int(-10, 10)));
      b.op("CONV_2D", options, [x, filter, bias], [y]);
      b.output(y);
    } else {
      const x = b.input("float32", [1, win.h, win.w, win.c], FLOAT);
      const filter = b.constant("float32", filterShape, randomFloats(rng, outC * taps, -1, 1));
      const bias = b.constant("float32", [outC], randomFloats(rng, outC, -1, 1));
      const y = b.tensor("float32", [1, win.outH, win.outW, outC]);
      b.op("CONV_2D", options, [x, filter, bias], [y]);
      b.output(y);
    }
    const dtype = isInt8 ? "int8" : "float32";
    cases.push({
      name: `CONV_2D ${dtype} ${describe(win)} out${outC} ${perChannel ? "per-channel " : ""}${activation}`,
      op: "CONV_2D", variant: dtype, graph: b.graph(), inputSpecs: b.inputSpecs,
    });
  }
  return cases;
}

export function depthwiseCases(rng: Rng, count: number): OpCase[] {
  const cases: OpCase[] = [];
  for (let k = 0; k < count; k++) {
    const isInt8 = k % 2 === 0;
    const win = randomWindow(rng, true);
    const m = rng.int(1, 2);
    const outC = win.c * m;
    const activation: Activation = rng.pick(["NONE", "RELU", "RELU6"] as const);
    const options = {
      padding: win.padding, strideW: win.strideW, strideH: win.strideH, depthMultiplier: m, activation,
      dilationW: win.dilationW, dilationH: win.dilationH,
    };
    const b = new GraphBuilder();
    const filterShape = [1, win.kh, win.kw, outC];
    const n = win.kh * win.kw * outC;
    if (isInt8) {
      const inScale = rng.float(0.01, 0.1);
      const x = b.input("int8", [1, win.h, win.w, win.c], INT8, quant(inScale, rng.int(-20, 20)));
      const q = int8Weights(rng, outC, true, inScale, win.kh * win.kw);
      const filter = b.constant("int8", filterShape, randomInts(rng, n, -127, 127), quant(q.wScales, 0, 3));
      const bias = b.constant("int32", [outC], randomInts(rng, outC, -3000, 3000), quant(q.biasScales, 0, 0));
      const y = b.tensor("int8", [1, win.outH, win.outW, outC], quant(q.outScale, rng.int(-10, 10)));
      b.op("DEPTHWISE_CONV_2D", options, [x, filter, bias], [y]);
      b.output(y);
    } else {
      const x = b.input("float32", [1, win.h, win.w, win.c], FLOAT);
      const filter = b.constant("float32", filterShape, randomFloats(rng, n, -1, 1));
      const bias = b.constant("float32", [outC], randomFloats(rng, outC, -1, 1));
      const y = b.tensor("float32", [1, win.outH, win.outW, outC]);
      b.op("DEPTHWISE_CONV_2D", options, [x, filter, bias], [y]);
      b.output(y);
    }
    const dtype = isInt8 ? "int8" : "float32";
    cases.push({
      name: `DEPTHWISE_CONV_2D ${dtype} ${describe(win)} x${m} ${activation}`,
      op: "DEPTHWISE_CONV_2D", variant: dtype, graph: b.graph(), inputSpecs: b.inputSpecs,
    });
  }
  return cases;
}

export function fullyConnectedCases(rng: Rng, count: number): OpCase[] {
  const cases: OpCase[] = [];
  for (let k = 0; k < count; k++) {
    const isInt8 = k % 2 === 0;
    const batches = rng.int(1, 3);
    const depth = rng.int(2, 16);
    const outD = rng.int(1, 8);
    const activation: Activation = rng.pick(["NONE", "RELU", "RELU6"] as const);
    const withBias = rng.next() < 0.8;
    const options = {
      activation, weightsFormat: "DEFAULT" as const, keepNumDims: false, asymmetricQuantizeInputs: false,
      quantizedBiasType: "float32" as const,
    };
    const b = new GraphBuilder();
    let perChannel = false;
    if (isInt8) {
      perChannel = rng.next() < 0.5;
      const inScale = rng.float(0.01, 0.1);
      const x = b.input("int8", [batches, depth], INT8, quant(inScale, rng.int(-20, 20)));
      const q = int8Weights(rng, outD, perChannel, inScale, depth);
      const w = b.constant("int8", [outD, depth], randomInts(rng, outD * depth, -127, 127), quant(q.wScales, 0, 0));
      const bias = withBias ? b.constant("int32", [outD], randomInts(rng, outD, -3000, 3000), quant(q.biasScales, 0, 0)) : -1;
      const y = b.tensor("int8", [batches, outD], quant(q.outScale, rng.int(-10, 10)));
      b.op("FULLY_CONNECTED", options, [x, w, bias], [y]);
      b.output(y);
    } else {
      const x = b.input("float32", [batches, depth], FLOAT);
      const w = b.constant("float32", [outD, depth], randomFloats(rng, outD * depth, -1, 1));
      const bias = withBias ? b.constant("float32", [outD], randomFloats(rng, outD, -1, 1)) : -1;
      const y = b.tensor("float32", [batches, outD]);
      b.op("FULLY_CONNECTED", options, [x, w, bias], [y]);
      b.output(y);
    }
    const dtype = isInt8 ? "int8" : "float32";
    cases.push({
      name: `FULLY_CONNECTED ${dtype} ${batches}x${depth}->${outD} ${perChannel ? "per-channel " : ""}${withBias ? "" : "no-bias "}${activation}`,
      op: "FULLY_CONNECTED", variant: dtype, graph: b.graph(), inputSpecs: b.inputSpecs,
    });
  }
  return cases;
}

export function poolCases(rng: Rng, count: number): OpCase[] {
  const cases: OpCase[] = [];
  for (let k = 0; k < count; k++) {
    const type = k % 4 < 2 ? "AVERAGE_POOL_2D" : "MAX_POOL_2D";
    const isInt8 = k % 2 === 0;
    const win = randomWindow(rng, false);
    const activation: Activation = rng.pick(["NONE", "RELU", "RELU6"] as const);
    const options = { padding: win.padding, strideW: win.strideW, strideH: win.strideH, filterWidth: win.kw, filterHeight: win.kh, activation };
    const b = new GraphBuilder();
    const q = isInt8 ? quant(rng.float(0.01, 0.1), rng.int(-20, 20)) : undefined;
    const dtype = isInt8 ? "int8" : "float32";
    const x = b.input(dtype, [1, win.h, win.w, win.c], isInt8 ? INT8 : FLOAT, q);
    const y = b.tensor(dtype, [1, win.outH, win.outW, win.c], q);
    b.op(type, options, [x], [y]);
    b.output(y);
    cases.push({ name: `${type} ${dtype} ${describe(win)} ${activation}`, op: type, variant: dtype, graph: b.graph(), inputSpecs: b.inputSpecs });
  }
  return cases;
}
