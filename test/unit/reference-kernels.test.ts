// Reference kernels on single-op models with hand-derived expected values,
// and the interpreter's dispatch: unsupported ops, custom kernels, variables.

import { describe, expect, test } from "vitest";
import { bytesOf, type DType, type NumericArray } from "../../src/model/dtype.js";
import type { Model, Op, Quantization, Tensor } from "../../src/model/ir.js";
import { defaultOptions, type BuiltinOpType, type OptionsFor } from "../../src/model/ops.js";
import { isTinymlError } from "../../src/errors.js";
import { prepareReference, referenceSupports, registerCustomKernel, REFERENCE_OPS, runReference } from "../../src/reference/interpreter.js";

function tensor(name: string, dtype: DType, shape: number[], extra: Partial<Tensor> = {}): Tensor {
  return { name, dtype, shape, isVariable: false, ...extra };
}

function q(scale: number, zeroPoint: number): Quantization {
  return { scale: [scale], zeroPoint: [zeroPoint], axis: 0 };
}

function constant(name: string, values: Int32Array | Float32Array | Int8Array, shape: number[]): Tensor {
  const dtype: DType = values instanceof Int32Array ? "int32" : values instanceof Float32Array ? "float32" : "int8";
  return tensor(name, dtype, shape, { data: bytesOf(values).slice() });
}

/** A one-op model: tensors[0..n-1] are the op inputs (non-constant ones are graph inputs), the last is the output. */
function oneOp<T extends BuiltinOpType>(type: T, inputs: Tensor[], out: Tensor, options: Partial<OptionsFor<T>> = {}): Model {
  const tensors = [...inputs, out];
  const op = {
    kind: "builtin",
    type,
    options: { ...defaultOptions(type), ...options },
    inputs: inputs.map((_, i) => i),
    outputs: [inputs.length],
    version: 1,
  } as unknown as Op;
  return {
    version: 3,
    description: "",
    metadata: [],
    signatures: [],
    graphs: [{ name: "main", tensors, inputs: inputs.flatMap((t, i) => (t.data ? [] : [i])), outputs: [inputs.length], ops: [op] }],
  };
}

/** Stored values as plain numbers (no int64 tensors here). */
const nums = (a: NumericArray | undefined): number[] => Array.from(a as ArrayLike<number>);
const run = (m: Model, ...inputs: Array<Int8Array | Float32Array | Int32Array>): number[][] => runReference(m, inputs).map(nums);

describe("elementwise and data movement", () => {
  test("float ADD broadcasts [2,1] + [3] and applies RELU", () => {
    const m = oneOp("ADD", [tensor("a", "float32", [2, 1]), tensor("b", "float32", [3])], tensor("y", "float32", [2, 3]), { activation: "RELU" });
    const [y] = run(m, new Float32Array([1, -10]), new Float32Array([0.5, 1, 2]));
    expect(Array.from(y!)).toEqual([1.5, 2, 3, 0, 0, 0]);
  });

  test("int8 ADD with equal scales adds the real values", () => {
    // scale 0.5, zp 0: 2.0 + 1.5 = 3.5 -> 7
    const t = (n: string) => tensor(n, "int8", [2], { quantization: q(0.5, 0) });
    const [y] = run(oneOp("ADD", [t("a"), t("b")], t("y")), new Int8Array([4, -100]), new Int8Array([3, -100]));
    expect(Array.from(y!)).toEqual([7, -128]);
  });

  test("int8 SUB and MUL requantize", () => {
    const t = (n: string, s: number, z: number) => tensor(n, "int8", [3], { quantization: q(s, z) });
    const [d] = run(oneOp("SUB", [t("a", 0.5, 0), t("b", 0.5, 0)], t("y", 0.5, 0)), new Int8Array([10, 0, -5]), new Int8Array([4, 6, 5]));
    expect(Array.from(d!)).toEqual([6, -6, -10]);
    // (2 * 0.5) * (4 * 0.25) / 0.125 = 8
    const [p] = run(oneOp("MUL", [t("a", 0.5, 0), t("b", 0.25, 0)], t("y", 0.125, 0)), new Int8Array([2, -2, 10]), new Int8Array([4, 4, 100]));
    expect(Array.from(p!)).toEqual([8, -8, 127]);
  });

  test("int32 MINIMUM / MAXIMUM and float DIV", () => {
    const i = (n: string) => tensor(n, "int32", [3]);
    expect((run(oneOp("MAXIMUM", [i("a"), i("b")], i("y")), new Int32Array([1, 5, -3]), new Int32Array([2, 4, -4]))[0]!)).toEqual([2, 5, -3]);
    expect((run(oneOp("MINIMUM", [i("a"), i("b")], i("y")), new Int32Array([1, 5, -3]), new Int32Array([2, 4, -4]))[0]!)).toEqual([1, 4, -4]);
    expect((run(oneOp("DIV", [i("a"), i("b")], i("y")), new Int32Array([7, -7, 9]), new Int32Array([2, 2, 3]))[0]!)).toEqual([3, -3, 3]);
    const f = (n: string) => tensor(n, "float32", [2]);
    expect((run(oneOp("DIV", [f("a"), f("b")], f("y")), new Float32Array([1, 3]), new Float32Array([4, 2]))[0]!)).toEqual([0.25, 1.5]);
  });

  test("PAD pads int8 with the output zero point", () => {
    const x = tensor("x", "int8", [1, 2], { quantization: q(1, -3) });
    const m = oneOp("PAD", [x, constant("p", new Int32Array([0, 0, 1, 2]), [2, 2])], tensor("y", "int8", [1, 5], { quantization: q(1, -3) }));
    expect((run(m, new Int8Array([7, 8]))[0]!)).toEqual([-3, 7, 8, -3, -3]);
  });

  test("TRANSPOSE, CONCATENATION, STRIDED_SLICE, RESHAPE", () => {
    const x = new Float32Array([0, 1, 2, 3, 4, 5]);
    const tr = oneOp("TRANSPOSE", [tensor("x", "float32", [2, 3]), constant("perm", new Int32Array([1, 0]), [2])], tensor("y", "float32", [3, 2]));
    expect((run(tr, x)[0]!)).toEqual([0, 3, 1, 4, 2, 5]);
    const cat = oneOp("CONCATENATION", [tensor("a", "float32", [2, 1]), tensor("b", "float32", [2, 2])], tensor("y", "float32", [2, 3]), { axis: -1 });
    expect((run(cat, new Float32Array([9, 8]), new Float32Array([1, 2, 3, 4]))[0]!)).toEqual([9, 1, 2, 8, 3, 4]);
    // x[:, ::-2] of [[0,1,2],[3,4,5]] = [[2,0],[5,3]]
    const ss = oneOp(
      "STRIDED_SLICE",
      [tensor("x", "float32", [2, 3]), constant("b", new Int32Array([0, -1]), [2]), constant("e", new Int32Array([2, 0]), [2]), constant("s", new Int32Array([1, -2]), [2])],
      tensor("y", "float32", [2, 2]),
      { endMask: 2 },
    );
    expect((run(ss, x)[0]!)).toEqual([2, 0, 5, 3]);
    const rs = oneOp("RESHAPE", [tensor("x", "float32", [2, 3]), constant("s", new Int32Array([3, 2]), [2])], tensor("y", "float32", [3, 2]));
    expect((run(rs, x)[0]!)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  test("MEAN int8 over axes 1,2 averages and requantizes", () => {
    const x = tensor("x", "int8", [1, 2, 2, 1], { quantization: q(0.5, 1) });
    const m = oneOp("MEAN", [x, constant("axis", new Int32Array([1, 2]), [2])], tensor("y", "int8", [1, 1, 1, 1], { quantization: q(0.5, 1) }), { keepDims: true });
    // values - zp = 0, 2, 4, 6 -> mean 3 -> +1 = 4
    expect((run(m, new Int8Array([1, 3, 5, 7]))[0]!)).toEqual([4]);
  });

  test("QUANTIZE / DEQUANTIZE round-trip", () => {
    const qt = oneOp("QUANTIZE", [tensor("x", "float32", [4])], tensor("y", "int8", [4], { quantization: q(0.5, -1) }));
    expect((run(qt, new Float32Array([0, 0.25, -0.75, 1000]))[0]!)).toEqual([-1, 0, -3, 127]);
    const dq = oneOp("DEQUANTIZE", [tensor("x", "int8", [2], { quantization: q(0.5, -1) })], tensor("y", "float32", [2]));
    expect((run(dq, new Int8Array([-1, 3]))[0]!)).toEqual([0, 2]);
  });

  test("RELU6 clamps int8 in the input's domain; float CAST truncates", () => {
    const t = (n: string) => tensor(n, "int8", [4], { quantization: q(0.1, -10) });
    expect((run(oneOp("RELU6", [t("x")], t("y")), new Int8Array([-128, -10, 40, 127]))[0]!)).toEqual([-10, -10, 40, 50]);
    const c = oneOp("CAST", [tensor("x", "float32", [3])], tensor("y", "int32", [3]));
    expect((run(c, new Float32Array([1.9, -1.9, 3]))[0]!)).toEqual([1, -1, 3]);
  });

  test("float pooling: average and max over a 2x2 window", () => {
    const x = new Float32Array([1, 2, 3, 4]);
    const opts = { padding: "VALID", strideW: 2, strideH: 2, filterWidth: 2, filterHeight: 2 } as const;
    const avg = oneOp("AVERAGE_POOL_2D", [tensor("x", "float32", [1, 2, 2, 1])], tensor("y", "float32", [1, 1, 1, 1]), opts);
    expect((run(avg, x)[0]!)).toEqual([2.5]);
    const max = oneOp("MAX_POOL_2D", [tensor("x", "float32", [1, 2, 2, 1])], tensor("y", "float32", [1, 1, 1, 1]), opts);
    expect((run(max, x)[0]!)).toEqual([4]);
  });

  test("float CONV_2D with SAME padding sums the 3x3 neighbourhood", () => {
    const m = oneOp(
      "CONV_2D",
      [tensor("x", "float32", [1, 2, 2, 1]), constant("w", new Float32Array(9).fill(1), [1, 3, 3, 1]), constant("b", new Float32Array([0.5]), [1])],
      tensor("y", "float32", [1, 2, 2, 1]),
      { padding: "SAME", strideW: 1, strideH: 1 },
    );
    expect((run(m, new Float32Array([1, 2, 3, 4]))[0]!)).toEqual([10.5, 10.5, 10.5, 10.5]);
  });
});

describe("interpreter", () => {
  test("REFERENCE_OPS lists the builtin ops with kernels", () => {
    for (const op of ["CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "SOFTMAX", "MEAN", "HARD_SWISH", "TRANSPOSE"] as const) {
      expect(REFERENCE_OPS.has(op)).toBe(true);
    }
    expect(referenceSupports("CONV_2D")).toBe(true);
    expect(referenceSupports("CUSTOM:NoSuchOp")).toBe(false);
  });

  test("an unsupported op fails with TML_E_OP_UNSUPPORTED naming the op and the supported list", () => {
    const m = oneOp("ADD", [tensor("a", "float32", [1]), tensor("b", "float32", [1])], tensor("y", "float32", [1]));
    m.graphs[0]!.ops[0] = { kind: "custom", name: "Mystery", customOptions: new Uint8Array(), inputs: [0, 1], outputs: [2], version: 1 };
    try {
      prepareReference(m);
      expect.unreachable();
    } catch (e) {
      expect(isTinymlError(e) && e.code).toBe("TML_E_OP_UNSUPPORTED");
      expect((e as Error).message).toContain("op 0 (CUSTOM:Mystery)");
      expect(isTinymlError(e) && e.hint).toContain("CONV_2D");
    }
  });

  test("custom kernels register by name and variable tensors keep state across invokes", () => {
    // Accumulate: state += x; y = state.
    registerCustomKernel<{ n: number }>("TestAccumulate", {
      prepare: (ctx) => ({ n: ctx.inputs[0]!.shape.reduce((a, b) => a * b, 1) }),
      eval: (p, io) => {
        const x = io.inputs[0] as Float32Array;
        const state = io.inputs[1] as Float32Array;
        const y = io.outputs[0] as Float32Array;
        for (let i = 0; i < p.n; i++) y[i] = state[i] = state[i]! + x[i]!;
      },
    });
    const m: Model = {
      version: 3, description: "", metadata: [], signatures: [],
      graphs: [{
        name: "main",
        tensors: [tensor("x", "float32", [2]), tensor("state", "float32", [2], { isVariable: true }), tensor("y", "float32", [2])],
        inputs: [0], outputs: [2],
        ops: [{ kind: "custom", name: "TestAccumulate", customOptions: new Uint8Array(), inputs: [0, 1], outputs: [2], version: 1 }],
      }],
    };
    expect(referenceSupports("CUSTOM:TestAccumulate")).toBe(true);
    const interp = prepareReference(m);
    interp.invoke([new Float32Array([1, 2])]);
    const [y] = interp.invoke([new Float32Array([1, 2])]);
    expect(nums(y)).toEqual([2, 4]);
    // A fresh interpreter starts from the initial state again.
    expect(nums(prepareReference(m).invoke([new Float32Array([1, 2])])[0])).toEqual([1, 2]);
  });

  test("inputs of the wrong size fail with TML_E_INPUT_MISMATCH", () => {
    const m = oneOp("RELU", [tensor("x", "float32", [4])], tensor("y", "float32", [4]));
    expect(() => runReference(m, [new Float32Array(3)])).toThrow(/expects float32 \[4\]/);
    expect(() => runReference(m, [])).toThrow(/1 input\(s\), 0 given/);
  });
});
