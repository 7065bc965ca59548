// Emitters for the data-movement ops, which copy elements without arithmetic
// and so are type-generic in the kernel library (an element size, or a
// tml_dtype for CAST): PAD, CONCATENATION, STRIDED_SLICE, TRANSPOSE, CAST.

import { numElements } from "../../model/graph.js";
import type { CastParams } from "../../reference/kernels/cast.js";
import type { ConcatenationParams } from "../../reference/kernels/concatenation.js";
import type { PadParams } from "../../reference/kernels/pad.js";
import type { StridedSliceParams } from "../../reference/kernels/strided-slice.js";
import type { TransposeParams } from "../../reference/kernels/transpose.js";
import {
  C_TYPES, TML_DTYPES, TML_MAX_DIMS, callStatement, f, i, inputPtr, int32Table, outputPtr, paramStruct, shapeInit,
  tensorAt, unsupportedDtypes, type EmitContext, type EmittedOp,
} from "./emit-context.js";

/** `{ a, b, … }` padded to TML_MAX_DIMS entries, for the kernels' fixed-size dim arrays. */
function dimArray(values: readonly number[], fill = 0): string {
  const all = [...values, ...new Array<number>(TML_MAX_DIMS - values.length).fill(fill)];
  return `{ ${all.map(i).join(", ")} }`;
}

/** The element's C type and `sizeof`, refusing ranks the kernels' tml_shape cannot hold. */
function elementOf(ctx: EmitContext, rank: number): { ctype: string; size: string } {
  const t = tensorAt(ctx, "outputs", 0);
  if (rank > TML_MAX_DIMS) return unsupportedDtypes(ctx, `rank ${rank}`, `up to ${TML_MAX_DIMS} dims`);
  const ctype = C_TYPES[t.dtype];
  if (!ctype || t.dtype === "int64" || t.dtype === "uint64") return unsupportedDtypes(ctx, t.dtype, "8-, 16- and 32-bit element types");
  return { ctype, size: `sizeof(${ctype})` };
}

/** TFLM pad.cc: reference_ops::Pad; quantized tensors pad with the output zero point (PadParams.padValue). */
export function emitPad(ctx: EmitContext): EmittedOp {
  const p = ctx.params as PadParams;
  const { ctype, size } = elementOf(ctx, p.inputShape.length);
  const after = p.outputShape.map((n, d) => n - p.inputShape[d]! - p.before[d]!);
  const isFloat = tensorAt(ctx, "outputs", 0).dtype === "float32";
  const name = `${ctx.id}_params`;
  return {
    decls: [
      paramStruct("tml_pad_params", name, {
        input: shapeInit(p.inputShape), before: dimArray(p.before), after: dimArray(after), elem_size: size,
      }),
      `static const ${ctype} ${ctx.id}_pad_value = ${isFloat ? f(p.padValue) : i(p.padValue)};`,
    ],
    body: callStatement(`tml_pad(&${name}, ${inputPtr(ctx, 0)}, &${ctx.id}_pad_value, ${outputPtr(ctx)})`),
  };
}

/** TFLM concatenation.cc: reference_ops::Concatenation, a memcpy per input per outer step. */
export function emitConcatenation(ctx: EmitContext): EmittedOp {
  const p = ctx.params as ConcatenationParams;
  const { size } = elementOf(ctx, tensorAt(ctx, "outputs", 0).shape.length);
  const inputs = ctx.op.inputs.map((_, k) => inputPtr(ctx, k));
  const name = `${ctx.id}_params`;
  return {
    decls: [
      int32Table(`${ctx.id}_copy_size`, p.copySizes),
      `static const void *const ${ctx.id}_inputs[${inputs.length}] = { ${inputs.join(", ")} };`,
      paramStruct("tml_concat_params", name, {
        num_inputs: i(inputs.length), outer_size: i(p.outerSize), copy_size: `${ctx.id}_copy_size`, elem_size: size,
      }),
    ],
    body: callStatement(`tml_concat(&${name}, ${ctx.id}_inputs, ${outputPtr(ctx)})`),
  };
}

/** TFLM strided_slice.cc: reference_ops::StridedSlice over the start/stop StartForAxis/StopForAxis resolved. */
export function emitStridedSlice(ctx: EmitContext): EmittedOp {
  const p = ctx.params as StridedSliceParams;
  const { size } = elementOf(ctx, p.inputShape.length);
  const name = `${ctx.id}_params`;
  return {
    decls: [paramStruct("tml_strided_slice_params", name, {
      input: shapeInit(p.inputShape), start: dimArray(p.start), stop: dimArray(p.stop), stride: dimArray(p.strides, 1), elem_size: size,
    })],
    body: callStatement(`tml_strided_slice(&${name}, ${inputPtr(ctx, 0)}, ${outputPtr(ctx)})`),
  };
}

/** TFLM transpose.cc: reference_ops::Transpose with the permutation the reference resolved. */
export function emitTranspose(ctx: EmitContext): EmittedOp {
  const p = ctx.params as TransposeParams;
  const { size } = elementOf(ctx, p.inputShape.length);
  const name = `${ctx.id}_params`;
  return {
    decls: [paramStruct("tml_transpose_params", name, { input: shapeInit(p.inputShape), perm: dimArray(p.perm), elem_size: size })],
    body: callStatement(`tml_transpose(&${name}, ${inputPtr(ctx, 0)}, ${outputPtr(ctx)})`),
  };
}

const CAST_INPUTS = new Set(["int8", "int16", "int32", "uint32", "float32", "bool"]);
const CAST_OUTPUTS = new Set(["int8", "int16", "int32", "uint32", "float32"]);

/** TFLM cast.cc: one static_cast per element (tml_cast documents the out-of-range cases). */
export function emitCast(ctx: EmitContext): EmittedOp {
  const p = ctx.params as CastParams;
  if (!CAST_INPUTS.has(p.inputType) || !CAST_OUTPUTS.has(p.outputType)) {
    return unsupportedDtypes(ctx, `${p.inputType} -> ${p.outputType}`, "int8, int16, int32, uint32, float32 and bool inputs to int8, int16, int32, uint32 and float32");
  }
  const count = i(numElements(tensorAt(ctx, "outputs", 0).shape));
  return {
    decls: [],
    body: callStatement(`tml_cast(${TML_DTYPES[p.inputType]!}, ${inputPtr(ctx, 0)}, ${TML_DTYPES[p.outputType]!}, ${outputPtr(ctx)}, ${count})`),
  };
}
