// Small helpers kernels use to read tensors at prepare time and to check
// what they support, failing with errors that name the op.

import { TinymlError } from "../errors.js";
import type { DType } from "../model/dtype.js";
import { constantValues } from "../model/graph.js";
import { opTypeName, type Op, type Tensor } from "../model/ir.js";
import type { PrepareContext } from "./kernel.js";

function where(ctx: PrepareContext<Op>): string {
  return `subgraph 0, op ${ctx.opIndex} (${opTypeName(ctx.op)})`;
}

/** Throws TML_E_DTYPE_UNSUPPORTED naming the op and what the reference does support. */
export function unsupportedTypes(ctx: PrepareContext<Op>, what: string, supported: string): never {
  throw new TinymlError("TML_E_DTYPE_UNSUPPORTED", `${opTypeName(ctx.op)} with ${what} is not supported by the reference interpreter`, {
    location: { detail: where(ctx) },
    hint: `Supported: ${supported}.`,
  });
}

/** Throws TML_E_MODEL_INVALID for a malformed op (TFLM's Prepare would fail too). */
export function invalidOp(ctx: PrepareContext<Op>, message: string): never {
  throw new TinymlError("TML_E_MODEL_INVALID", `${opTypeName(ctx.op)}: ${message}`, { location: { detail: where(ctx) } });
}

export function input(ctx: PrepareContext<Op>, i: number): Tensor {
  const t = ctx.inputs[i];
  if (!t) invalidOp(ctx, `input ${i} is missing`);
  return t;
}

export function output(ctx: PrepareContext<Op>, i = 0): Tensor {
  const t = ctx.outputs[i];
  if (!t) invalidOp(ctx, `output ${i} is missing`);
  return t;
}

/** The per-tensor scale (TfLiteTensor.params.scale: the first scale), 0 when unquantized. */
export function scaleOf(t: Tensor): number {
  return t.quantization?.scale[0] ?? 0;
}

export function zeroPointOf(t: Tensor): number {
  return t.quantization?.zeroPoint[0] ?? 0;
}

/** Constant int32 contents of an index/shape tensor (e.g. PAD paddings, MEAN axis). */
export function constantInt32(ctx: PrepareContext<Op>, i: number): number[] {
  const t = input(ctx, i);
  if (!t.data) invalidOp(ctx, `input ${i} ('${t.name}') must be a constant tensor`);
  if (t.dtype === "int32") return Array.from(constantValues(t as Tensor & { dtype: "int32" }));
  if (t.dtype === "int64") return Array.from(constantValues(t as Tensor & { dtype: "int64" }), Number);
  invalidOp(ctx, `input ${i} ('${t.name}') must be int32, not ${t.dtype}`);
}

/** Constant contents as plain numbers (weights and biases, for prepare-time copies). */
export function constantNumbers(t: Tensor): number[] {
  if (!t.data) return [];
  return Array.from(constantValues(t as Tensor & { dtype: DType }) as ArrayLike<number | bigint>, Number);
}

export function sameDType(ctx: PrepareContext<Op>, tensors: Tensor[]): DType {
  const d = tensors[0]!.dtype;
  for (const t of tensors) {
    if (t.dtype !== d) unsupportedTypes(ctx, `mixed dtypes (${tensors.map((x) => x.dtype).join(", ")})`, "matching input and output dtypes");
  }
  return d;
}

export function flatSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Shape padded with leading 1s to `rank` dims (RuntimeShape::ExtendedShape). */
export function extendShape(shape: readonly number[], rank: number): number[] {
  if (shape.length > rank) throw new RangeError(`shape [${shape.join(", ")}] has more than ${rank} dims`);
  return [...new Array<number>(rank - shape.length).fill(1), ...shape];
}
