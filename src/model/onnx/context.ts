// The state of one ONNX → IR conversion: every ONNX value by name, either a
// constant known on the host (initializers, Constant nodes, folded shape
// arithmetic) or an IR activation tensor held under a layout permutation.
// Op converters (ops/*.ts) read inputs and define outputs through it.

import { TinymlError, type ErrorCode } from "../../errors.js";
import { bytesOf, type DType } from "../dtype.js";
import { numElements } from "../graph.js";
import type { Quantization, Tensor } from "../ir.js";
import { GraphBuilder } from "../layers/builder.js";
import { defaultOptions, type BuiltinOpType, type OptionsFor } from "../ops.js";
import { Attrs, nodeLabel } from "./attrs.js";
import { identity, inverse, isPureReshape, permute, samePerm, transposeValues, type Perm } from "./layout.js";
import type { HostTensor, HostType, NodeProto } from "./proto.js";

/** Affine int8 parameters of a quantized activation (QDQ models). */
export interface QParams {
  scale: number;
  zeroPoint: number;
}

export interface Value {
  name: string;
  dtype: HostType;
  /** The ONNX shape (static). */
  shape: number[];
  /** A constant, in ONNX order. */
  host?: HostTensor;
  /** The IR tensor of an activation, holding the value under `perm`. */
  ir?: number;
  perm: number[];
  /** An int8 activation made by QuantizeLinear: its parameters, and the float value it quantizes. */
  q?: QParams;
  qFrom?: string;
  /**
   * A [rows, cols] value flattened from a tensor held in another layout, left
   * in that layout's element order: IR column j holds ONNX column colOrder[j].
   * A Gemm/MatMul folds the order into its weights; anything else reads
   * `unflat` in ONNX order (see irIn).
   */
  colOrder?: Int32Array;
  unflat?: Value;
}

/** What QuantizeLinear/DequantizeLinear said about IR tensors, for the QDQ pass (qdq-model.ts). */
export interface QdqRecord {
  /** int8 parameters of float activation tensors (uint8 ones shifted to int8). */
  activations: Map<Tensor, QParams>;
  /** The int8 form of float constant tensors, in the tensor's own (IR) order. */
  constants: Map<Tensor, { values: Int8Array; scale: number[]; zeroPoint: number[]; axis: number }>;
}

export function irDtype(t: HostType): DType {
  return t === "int64" ? "int32" : t;
}

export class Converter {
  readonly b = new GraphBuilder();
  readonly values = new Map<string, Value>();
  private readonly layoutCache = new Map<string, number>();
  node!: NodeProto;
  attrs!: Attrs;
  readonly qdq: QdqRecord = { activations: new Map(), constants: new Map() };

  constructor(readonly opset: number, readonly modelPath?: string) {}

  at(node: NodeProto): void {
    this.node = node;
    this.attrs = new Attrs(node);
  }

  get label(): string {
    return nodeLabel(this.node);
  }

  fail(code: ErrorCode, message: string, hint: string): never {
    throw new TinymlError(code, `${this.label}: ${message}`, { location: { detail: this.label }, hint });
  }

  unsupported(message: string, hint: string): never {
    this.fail("TML_E_OP_UNSUPPORTED", message, hint);
  }

  value(name: string): Value {
    const v = this.values.get(name);
    if (!v) this.fail("TML_E_MODEL_INVALID", `reads '${name}', which no earlier node, input or initializer defines`, "The graph is not in topological order or is incomplete; export it again.");
    return v;
  }

  /** Input `i`, or undefined when absent or named "" (an omitted optional input). */
  in(i: number): Value | undefined {
    const name = this.node.input[i];
    return name ? this.value(name) : undefined;
  }

  req(i: number): Value {
    const v = this.in(i);
    if (!v) this.fail("TML_E_MODEL_INVALID", `has no input ${i}`, "The node lacks a required input; export the model again.");
    return v;
  }

  /** Input `i` as a constant; `what` says why it must be one. */
  host(i: number, what: string): HostTensor {
    const v = this.req(i);
    if (!v.host) {
      this.unsupported(`input ${i} ('${v.name}', ${what}) is computed at run time; tinyml needs it to be a constant`,
        "Export the model with constant folding (torch.onnx.export(..., do_constant_folding=True)) and fixed shapes.");
    }
    return v.host;
  }

  optionalHost(i: number, what: string): HostTensor | undefined {
    return this.in(i) ? this.host(i, what) : undefined;
  }

  /** An IR tensor for constant values (ONNX order) stored under `perm`. */
  constant(name: string, h: HostTensor, perm: Perm = identity(h.shape.length), quantization?: Quantization, as?: DType): number {
    const dtype = as ?? irDtype(h.dtype);
    const values = transposeValues(h.values, h.shape, perm);
    const data = dtype === "float32" ? Float32Array.from(values)
      : dtype === "int8" ? Int8Array.from(values) : dtype === "uint8" || dtype === "bool" ? Uint8Array.from(values)
        : dtype === "int16" ? Int16Array.from(values) : Int32Array.from(values);
    const t = this.b.tensor({ name, dtype, shape: permute(h.shape, perm), data: bytesOf(data), isVariable: false, ...(quantization ? { quantization } : {}) });
    const q = h.quant;
    if (q && dtype === "float32" && (q.dtype === "int8" || q.dtype === "uint8")) {
      // uint8 with zero point z is int8 with z − 128: the same reals.
      const shift = q.dtype === "uint8" ? 128 : 0;
      this.qdq.constants.set(this.b.tensors[t]!, {
        values: Int8Array.from(transposeValues(q.values, h.shape, perm), (v) => v - shift),
        scale: q.scale,
        zeroPoint: q.zeroPoint.map((z) => z - shift),
        axis: q.scale.length > 1 ? perm.indexOf(q.axis) : 0,
      });
    }
    return t;
  }

  /** QuantizeLinear's parameters for float activation tensor `t` (uint8 becomes int8 with the zero point − 128). */
  recordActivation(t: number, p: QParams, dtype: string): void {
    const shift = dtype === "uint8" ? 128 : 0;
    if (dtype === "int8" || dtype === "uint8") this.qdq.activations.set(this.b.tensors[t]!, { scale: p.scale, zeroPoint: p.zeroPoint - shift });
  }

  /** Output `name` is QuantizeLinear of float value `from` with `p`. */
  markQuantized(name: string, from: string, p: QParams): void {
    const v = this.values.get(name)!;
    this.values.set(name, { ...v, q: p, qFrom: from });
  }

  /** The IR tensor holding `v` under `perm`: moved with a RESHAPE or TRANSPOSE only when the layouts differ. */
  irIn(v: Value, perm: Perm): number {
    const key = `${v.name}|${perm.join(",")}`;
    const cached = this.layoutCache.get(key);
    if (cached !== undefined) return cached;
    let t: number;
    if (v.colOrder && v.unflat) {
      const src = this.irIn(v.unflat, identity(v.unflat.shape.length));
      t = this.b.tensor({ ...this.b.tensors[src]!, name: `${v.name}/ordered`, shape: permute(v.shape, perm), shapeSignature: undefined, data: undefined });
      this.reshapeOp(src, t, permute(v.shape, perm));
    } else if (v.host) t = this.constant(v.name, v.host, perm);
    else if (v.ir === undefined) throw new Error(`value '${v.name}' has no IR tensor`);
    else if (samePerm(v.perm, perm)) t = v.ir;
    else {
      const src = this.b.tensors[v.ir]!;
      const q = permute(inverse(v.perm), perm);
      const shape = permute(v.shape, perm);
      t = this.b.tensor({ ...src, name: `${v.name}/${perm.join("")}`, shape, shapeSignature: undefined, data: undefined });
      if (isPureReshape(src.shape, q)) this.reshapeOp(v.ir, t, shape);
      else this.b.op("TRANSPOSE", [v.ir, this.b.constInt32(`${v.name}/perm${q.join("")}`, [q.length], q)], [t]);
    }
    this.layoutCache.set(key, t);
    return t;
  }

  reshapeOp(from: number, to: number, shape: number[]): void {
    this.b.op("RESHAPE", [from, this.b.constInt32(`${this.b.tensors[to]!.name}/shape`, [shape.length], shape)], [to], { newShape: shape });
  }

  /** Defines output `k` of the node as an activation of ONNX shape `shape` held under `perm`; returns its IR tensor. */
  output(k: number, shape: number[], perm: Perm = identity(shape.length), dtype: HostType = "float32", q?: QParams): number {
    const name = this.node.output[k]!;
    const ir = this.b.tensor({
      name, dtype: q ? "int8" : irDtype(dtype), shape: permute(shape, perm), isVariable: false,
      ...(q ? { quantization: { scale: [q.scale], zeroPoint: [q.zeroPoint], axis: 0 } } : {}),
    });
    this.values.set(name, { name, dtype, shape: [...shape], ir, perm: [...perm], ...(q ? { q } : {}) });
    return ir;
  }

  defineHost(k: number, h: HostTensor): void {
    const name = this.node.output[k]!;
    this.values.set(name, { name, dtype: h.dtype, shape: [...h.shape], host: h, perm: identity(h.shape.length) });
  }

  alias(k: number, v: Value): void {
    const name = this.node.output[k];
    if (name) this.values.set(name, { ...v, name });
    const key = `${v.name}|`;
    for (const [ck, t] of [...this.layoutCache]) if (ck.startsWith(key) && name) this.layoutCache.set(`${name}|${ck.slice(key.length)}`, t);
  }

  op<T extends BuiltinOpType>(type: T, inputs: number[], outputs: number[], options: Partial<OptionsFor<T>> = {}): void {
    this.b.op(type, inputs, outputs, { ...defaultOptions(type), ...options } as Partial<OptionsFor<T>>);
  }

  floatScalar(name: string, x: number): number {
    return this.b.constFloat(name, [], Float32Array.of(x));
  }

  /** A float activation input: constants here would be folded by the caller instead. */
  activation(i: number): Value {
    const v = this.req(i);
    if (v.dtype !== "float32" && !v.q) {
      this.fail("TML_E_DTYPE_UNSUPPORTED", `input ${i} ('${v.name}') is ${v.dtype}; tinyml runs ONNX arithmetic on float tensors (and int8 ones inside QuantizeLinear/DequantizeLinear pairs)`,
        "Integer ONNX arithmetic wraps around like C's, TFLite's integer kernels are quantized: export a float model, or a QDQ-quantized one.");
    }
    return v;
  }
}

export function size(shape: readonly number[]): number {
  return numElements(shape);
}
