// Helpers the signal-library kernels share: option parsing that names the
// op on failure, the tensor checks TFLM's Prepare functions make
// (TF_LITE_ENSURE_EQ on counts, ranks and types), and the bit helpers of
// signal/src (msb.h).

import type { DType } from "../../../model/dtype.js";
import { readFlexMap, type FlexMap } from "../../../model/flexbuffers.js";
import { isTinymlError } from "../../../errors.js";
import type { CustomOp, Tensor } from "../../../model/ir.js";
import type { PrepareContext } from "../../kernel.js";
import { input, invalidOp, output } from "../../tensors.js";

export type SignalContext = PrepareContext<CustomOp>;

/** Parses the op's flexbuffer options and reads them with `read`; malformed options name the op. */
export function readOptions<T>(ctx: SignalContext, read: (map: FlexMap) => T): T {
  try {
    return read(readFlexMap(ctx.op.customOptions));
  } catch (e) {
    if (isTinymlError(e)) invalidOp(ctx, e.message);
    throw e;
  }
}

/** TF_LITE_ENSURE_EQ(NumInputs), (NumOutputs). */
export function expectArity(ctx: SignalContext, inputs: number, outputs: number): void {
  if (ctx.op.inputs.length !== inputs) invalidOp(ctx, `expects ${inputs} inputs, has ${ctx.op.inputs.length}`);
  if (ctx.op.outputs.length !== outputs) invalidOp(ctx, `expects ${outputs} outputs, has ${ctx.op.outputs.length}`);
}

/** TF_LITE_ENSURE_TYPES_EQ and, when given, TF_LITE_ENSURE_EQ(NumDimensions). */
function expectTensor(ctx: SignalContext, t: Tensor, what: string, dtype: DType, rank?: number): Tensor {
  if (t.dtype !== dtype) invalidOp(ctx, `${what} ('${t.name}') must be ${dtype}, not ${t.dtype}`);
  if (rank !== undefined && t.shape.length !== rank) invalidOp(ctx, `${what} ('${t.name}') must have ${rank} dims, has ${t.shape.length}`);
  return t;
}

export function expectInput(ctx: SignalContext, i: number, dtype: DType, rank?: number): Tensor {
  return expectTensor(ctx, input(ctx, i), `input ${i}`, dtype, rank);
}

export function expectOutput(ctx: SignalContext, i: number, dtype: DType, rank?: number): Tensor {
  return expectTensor(ctx, output(ctx, i), `output ${i}`, dtype, rank);
}

/**
 * MostSignificantBit32 (signal/src/msb_32.cc) as TFLM's GCC builds compute it:
 * 32 - __builtin_clz(x), and 32 for x == 0 (the __GNUC__ branch).
 */
export function msb32(x: number): number {
  return x === 0 ? 32 : 32 - Math.clz32(x);
}

/** Wraps to int16 as a C assignment to int16_t does. */
export function s16(x: number): number {
  return (x << 16) >> 16;
}
