// MEAN: TFLM reduce.cc/reduce_common.cc. int8 goes through QuantizedMeanOrSum
// with int32 accumulators in a planned scratch buffer (scratch.ts); the
// params carry TFLM's OpDataReduce multiplier/shift (in_scale / out_scale),
// and the kernel folds in 1/count at run time exactly as TFLM's Eval does.

import type { MeanParams } from "../../reference/kernels/mean.js";
import {
  TML_MAX_DIMS, callStatement, i, inputPtr, outputPtr, paramStruct, shapeInit, unsupportedDtypes,
  type EmitContext, type EmittedOp,
} from "./emit-context.js";

export function emitMean(ctx: EmitContext): EmittedOp {
  const p = ctx.params as MeanParams;
  if (p.inputShape.length > TML_MAX_DIMS) return unsupportedDtypes(ctx, `rank ${p.inputShape.length}`, `up to ${TML_MAX_DIMS} dims`);
  const mask = `${p.axes.reduce((m, a) => m | (1 << a), 0) >>> 0}u`;
  const name = `${ctx.id}_params`;
  const io = `${inputPtr(ctx, 0)}, ${outputPtr(ctx)}`;
  if (p.dtype === "float32") {
    return {
      decls: [paramStruct("tml_mean_f32_params", name, { input: shapeInit(p.inputShape), axis_mask: mask })],
      body: callStatement(`tml_mean_f32(&${name}, ${io})`),
    };
  }
  if (p.dtype !== "int8") return unsupportedDtypes(ctx, p.dtype, "int8 and float32");
  return {
    decls: [paramStruct("tml_mean_s8_params", name, {
      input: shapeInit(p.inputShape), axis_mask: mask,
      input_zero_point: i(p.inputZeroPoint), output_zero_point: i(p.outputZeroPoint),
      multiplier: i(p.multiplier), shift: i(p.shift),
    })],
    body: callStatement(`tml_mean_s8(&${name}, ${io}, ${ctx.scratch("int32_t")})`),
  };
}
