// Synthetic cases for the elementwise ops: activations, SOFTMAX,
// QUANTIZE/DEQUANTIZE, and the broadcasting binary ops (ADD, SUB, MUL, DIV,
// MINIMUM, MAXIMUM) in int8, float32, int16 and int32.

import type { DType } from "../../../src/model/dtype.js";
import type { Activation } from "../../../src/model/ops.js";
import { GraphBuilder, quant, type InputSpec, type OpCase, type Rng } from "./builder.js";

const INT8: InputSpec = { lo: -128, hi: 127 };
const FLOAT: InputSpec = { lo: -4, hi: 4 };

function single(name: string, op: string, variant: string, b: GraphBuilder, ulps?: number): OpCase {
  return { name, op, variant, graph: b.graph(), inputSpecs: b.inputSpecs, ...(ulps !== undefined ? { ulps } : {}) };
}

function randomShape(rng: Rng): number[] {
  const rank = rng.int(1, 4);
  return Array.from({ length: rank }, () => rng.int(1, 5));
}

export function unaryCases(rng: Rng): OpCase[] {
  const cases: OpCase[] = [];
  const unary = (type: "RELU" | "RELU6" | "LOGISTIC" | "TANH" | "HARD_SWISH", dtype: "int8" | "float32", inQ?: ReturnType<typeof quant>, outQ?: ReturnType<typeof quant>, ulps?: number): void => {
    const b = new GraphBuilder();
    const shape = randomShape(rng);
    const x = b.input(dtype, shape, dtype === "int8" ? INT8 : { lo: -8, hi: 8 }, inQ);
    const y = b.tensor(dtype, shape, outQ);
    b.op(type, {}, [x], [y]);
    b.output(y);
    cases.push(single(`${type} ${dtype} [${shape.join(",")}]`, type, dtype, b, ulps));
  };
  for (let k = 0; k < 2; k++) {
    const s = rng.float(0.01, 0.1);
    unary("RELU", "int8", quant(s, rng.int(-30, 30)), quant(Math.fround(s * rng.float(0.5, 1.5)), rng.int(-128, -100)));
    const s6 = rng.float(0.03, 0.06);
    const q6 = quant(s6, rng.int(-30, 30));
    unary("RELU6", "int8", q6, q6);
    unary("LOGISTIC", "int8", quant(rng.float(0.02, 0.1), rng.int(-20, 20)), quant(1 / 256, -128));
    unary("TANH", "int8", quant(rng.float(0.01, 0.05), rng.int(-20, 20)), quant(1 / 128, 0));
    unary("HARD_SWISH", "int8", quant(rng.float(0.02, 0.08), rng.int(-20, 20)), quant(rng.float(0.02, 0.05), rng.int(-60, -30)));
    unary("RELU", "float32");
    unary("RELU6", "float32");
    unary("HARD_SWISH", "float32");
    // libm's expf/tanhf against JS Math.exp/Math.tanh rounded to float: an ulp apart at most.
    unary("LOGISTIC", "float32", undefined, undefined, 1);
    unary("TANH", "float32", undefined, undefined, 1);
  }
  for (let k = 0; k < 2; k++) {
    const rows = rng.int(1, 4);
    const depth = rng.int(2, 12);
    const beta = rng.pick([1, 0.5, 2]);
    for (const variant of ["int8", "int8->int16", "float32"] as const) {
      const b = new GraphBuilder();
      const inDtype: DType = variant === "float32" ? "float32" : "int8";
      const x = b.input(inDtype, [rows, depth], variant === "float32" ? FLOAT : INT8, variant === "float32" ? undefined : quant(rng.float(0.02, 0.2), rng.int(-20, 20)));
      const y = variant === "int8" ? b.tensor("int8", [rows, depth], quant(1 / 256, -128))
        : variant === "int8->int16" ? b.tensor("int16", [rows, depth], quant(1 / 65536, -32768))
        : b.tensor("float32", [rows, depth]);
      b.op("SOFTMAX", { beta }, [x], [y]);
      b.output(y);
      cases.push(single(`SOFTMAX ${variant} [${rows},${depth}] beta ${beta}`, "SOFTMAX", variant, b, variant === "float32" ? 1 : undefined));
    }
  }
  return cases;
}

export function quantizeCases(rng: Rng): OpCase[] {
  const cases: OpCase[] = [];
  const pairs: Array<[DType, DType]> = [["float32", "int8"], ["float32", "int16"], ["int8", "int8"], ["int8", "int16"], ["int16", "int8"], ["int8", "int32"]];
  for (const [from, to] of pairs) {
    const b = new GraphBuilder();
    const shape = randomShape(rng);
    const inQ = from === "float32" ? undefined : quant(rng.float(0.01, 0.1), from === "int8" ? rng.int(-20, 20) : 0);
    const outQ = quant(rng.float(0.01, 0.1) * (to === "int16" ? 0.01 : 1), to === "int8" ? rng.int(-20, 20) : 0);
    const spec = from === "float32" ? FLOAT : from === "int8" ? INT8 : { lo: -3000, hi: 3000 };
    const x = b.input(from, shape, spec, inQ);
    const y = b.tensor(to, shape, outQ);
    b.op("QUANTIZE", {}, [x], [y]);
    b.output(y);
    cases.push(single(`QUANTIZE ${from}->${to} [${shape.join(",")}]`, "QUANTIZE", from === "float32" ? `float32->${to}` : `${from}->${to}`, b));
  }
  for (const from of ["int8", "int16"] as const) {
    const b = new GraphBuilder();
    const shape = randomShape(rng);
    const x = b.input(from, shape, from === "int8" ? INT8 : { lo: -32768, hi: 32767 }, quant(rng.float(0.001, 0.1), from === "int8" ? rng.int(-20, 20) : 0));
    const y = b.tensor("float32", shape);
    b.op("DEQUANTIZE", {}, [x], [y]);
    b.output(y);
    cases.push(single(`DEQUANTIZE ${from}->float32 [${shape.join(",")}]`, "DEQUANTIZE", `${from}->float32`, b));
  }
  return cases;
}

/** Shape pairs covering equal shapes, numpy broadcasting, and a scalar operand. */
function broadcastPair(rng: Rng, k: number): [number[], number[], number[]] {
  switch (k % 4) {
    case 0: { const s = randomShape(rng); return [s, s, s]; }
    case 1: return [[1, 3, 1, 4], [1, 1, 5, 4], [1, 3, 5, 4]];
    case 2: return [[2, 3, 4], [4], [2, 3, 4]];
    default: return [[], [2, 5], [2, 5]];
  }
}

type BinaryType = "ADD" | "SUB" | "MUL" | "DIV" | "MINIMUM" | "MAXIMUM";

interface BinarySetup {
  dtype: DType;
  q?: [ReturnType<typeof quant>, ReturnType<typeof quant>, ReturnType<typeof quant>];
  specs: [InputSpec, InputSpec];
  label?: string;
}

function binaryCase(rng: Rng, type: BinaryType, k: number, setup: BinarySetup): OpCase {
  const [sa, sb, sy] = broadcastPair(rng, k);
  const b = new GraphBuilder();
  const x1 = b.input(setup.dtype, sa, setup.specs[0], setup.q?.[0]);
  const x2 = b.input(setup.dtype, sb, setup.specs[1], setup.q?.[1]);
  const y = b.tensor(setup.dtype, sy, setup.q?.[2]);
  const activation: Activation = type === "MINIMUM" || type === "MAXIMUM" || setup.dtype === "int16" ? "NONE" : rng.pick(["NONE", "RELU", "RELU6", "RELU_N1_TO_1"] as const);
  if (type === "MINIMUM" || type === "MAXIMUM") b.op(type, {}, [x1, x2], [y]);
  else if (type === "ADD" || type === "SUB") b.op(type, { activation, potScaleInt16: true }, [x1, x2], [y]);
  else b.op(type, { activation }, [x1, x2], [y]);
  b.output(y);
  const variant = setup.dtype;
  return single(`${type} ${variant}${setup.label ? ` ${setup.label}` : ""} [${sa}]x[${sb}] ${activation}`, type, variant, b);
}

export function binaryCases(rng: Rng): OpCase[] {
  const cases: OpCase[] = [];
  const q8 = (): ReturnType<typeof quant> => quant(rng.float(0.02, 0.1), rng.int(-20, 20));
  for (let k = 0; k < 4; k++) {
    for (const type of ["ADD", "SUB", "MUL"] as const) {
      cases.push(binaryCase(rng, type, k, { dtype: "int8", q: [q8(), q8(), type === "MUL" ? quant(rng.float(0.05, 0.3), rng.int(-20, 20)) : q8()], specs: [INT8, INT8] }));
      cases.push(binaryCase(rng, type, k, { dtype: "float32", specs: [FLOAT, FLOAT] }));
      cases.push(binaryCase(rng, type, k, { dtype: "int32", specs: [{ lo: -30000, hi: 30000 }, { lo: -30000, hi: 30000 }] }));
    }
    // DIV int8: any scales (TFLM's rounding shift can exceed 31 here: see div.ts),
    // and a quotient scale over 128 where TFLM's arithmetic is fully defined.
    const zp2 = rng.int(-20, 20);
    cases.push(binaryCase(rng, "DIV", k, { dtype: "int8", q: [q8(), quant(rng.float(0.02, 0.1), zp2), q8()], specs: [INT8, { ...INT8, exclude: [zp2] }] }));
    const zp1 = rng.int(-5, 5);
    cases.push(binaryCase(rng, "DIV", k, {
      dtype: "int8", label: "defined-in-tflm", q: [quant(0.5, zp1), quant(0.05, zp2), quant(0.025, rng.int(-10, 10))],
      specs: [{ ...INT8, exclude: [zp1] }, { ...INT8, exclude: [zp2] }],
    }));
    // Every numerator at its zero point: TFLM's undefined shift, here the zero point (div.ts).
    cases.push(binaryCase(rng, "DIV", k, { dtype: "int8", label: "zero-numerator", q: [quant(0.05, zp1), quant(0.05, zp2), q8()], specs: [{ lo: zp1, hi: zp1 }, { ...INT8, exclude: [zp2] }] }));
    cases.push(binaryCase(rng, "DIV", k, { dtype: "float32", specs: [FLOAT, { lo: 0.25, hi: 4 }] }));
    cases.push(binaryCase(rng, "DIV", k, { dtype: "int32", specs: [{ lo: -100000, hi: 100000 }, { lo: -300, hi: 300, exclude: [0] }] }));
    for (const type of ["MINIMUM", "MAXIMUM"] as const) {
      const q = q8();
      cases.push(binaryCase(rng, type, k, { dtype: "int8", q: [q, q, q], specs: [INT8, INT8] }));
      cases.push(binaryCase(rng, type, k, { dtype: "float32", specs: [FLOAT, FLOAT] }));
      cases.push(binaryCase(rng, type, k, { dtype: "int32", specs: [{ lo: -1e6, hi: 1e6 }, { lo: -1e6, hi: 1e6 }] }));
      cases.push(binaryCase(rng, type, k, { dtype: "int16", specs: [{ lo: -32768, hi: 32767 }, { lo: -32768, hi: 32767 }] }));
    }
    const q16 = (): ReturnType<typeof quant> => quant(rng.float(0.0005, 0.002), 0);
    cases.push(binaryCase(rng, "MUL", k, { dtype: "int16", q: [q16(), q16(), q16()], specs: [{ lo: -32768, hi: 32767 }, { lo: -32768, hi: 32767 }] }));
  }
  return cases;
}
