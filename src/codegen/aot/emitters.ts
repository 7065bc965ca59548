// The ops the AOT runtime can generate code for, one emitter each. Adding an
// op is one emitter plus one line here; the `aot` column of `tinyml inspect`
// and the build's unsupported-op check both read this table.

import type { BuiltinOpType } from "../../model/ops.js";
import { emitAdd, emitDiv, emitMaximum, emitMinimum, emitMul, emitSub } from "./emit-binary.js";
import type { OpEmitter } from "./emit-context.js";
import { emitCast, emitConcatenation, emitPad, emitStridedSlice, emitTranspose } from "./emit-data.js";
import {
  emitDequantize, emitHardSwish, emitLogistic, emitQuantize, emitRelu, emitRelu6, emitReshape, emitSoftmax, emitTanh,
} from "./emit-elementwise.js";
import { emitMean } from "./emit-reduce.js";
import { SIGNAL_EMITTERS, type CustomOpEmitter } from "./emit-signal.js";
import { emitAveragePool2d, emitConv2d, emitDepthwiseConv2d, emitFullyConnected, emitMaxPool2d } from "./emit-window.js";

export const AOT_EMITTERS: Partial<Record<BuiltinOpType, OpEmitter>> = {
  ADD: emitAdd,
  AVERAGE_POOL_2D: emitAveragePool2d,
  CAST: emitCast,
  CONCATENATION: emitConcatenation,
  CONV_2D: emitConv2d,
  DEPTHWISE_CONV_2D: emitDepthwiseConv2d,
  DEQUANTIZE: emitDequantize,
  DIV: emitDiv,
  FULLY_CONNECTED: emitFullyConnected,
  HARD_SWISH: emitHardSwish,
  LOGISTIC: emitLogistic,
  MAX_POOL_2D: emitMaxPool2d,
  MAXIMUM: emitMaximum,
  MEAN: emitMean,
  MINIMUM: emitMinimum,
  MUL: emitMul,
  PAD: emitPad,
  QUANTIZE: emitQuantize,
  RELU: emitRelu,
  RELU6: emitRelu6,
  RESHAPE: emitReshape,
  SOFTMAX: emitSoftmax,
  STRIDED_SLICE: emitStridedSlice,
  SUB: emitSub,
  TANH: emitTanh,
  TRANSPOSE: emitTranspose,
};

export const AOT_OPS: ReadonlySet<BuiltinOpType> = new Set(Object.keys(AOT_EMITTERS) as BuiltinOpType[]);

/** Custom ops by name: TFLM's signal library (the audio frontend). */
export const AOT_CUSTOM_EMITTERS: Readonly<Record<string, CustomOpEmitter>> = { ...SIGNAL_EMITTERS };

export const AOT_CUSTOM_OPS: ReadonlySet<string> = new Set(Object.keys(AOT_CUSTOM_EMITTERS));
