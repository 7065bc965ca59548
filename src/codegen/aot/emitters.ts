// The ops the AOT runtime can generate code for, one emitter each. Adding an
// op is one emitter plus one line here; the `aot` column of `tinyml inspect`
// and the build's unsupported-op check both read this table.

import type { BuiltinOpType } from "../../model/ops.js";
import type { OpEmitter } from "./emit-context.js";
import {
  emitAdd, emitDequantize, emitLogistic, emitMul, emitQuantize, emitRelu, emitRelu6, emitReshape, emitSoftmax,
  emitSub, emitTanh,
} from "./emit-elementwise.js";
import { emitAveragePool2d, emitConv2d, emitDepthwiseConv2d, emitFullyConnected, emitMaxPool2d } from "./emit-window.js";

export const AOT_EMITTERS: Partial<Record<BuiltinOpType, OpEmitter>> = {
  ADD: emitAdd,
  AVERAGE_POOL_2D: emitAveragePool2d,
  CONV_2D: emitConv2d,
  DEPTHWISE_CONV_2D: emitDepthwiseConv2d,
  DEQUANTIZE: emitDequantize,
  FULLY_CONNECTED: emitFullyConnected,
  LOGISTIC: emitLogistic,
  MAX_POOL_2D: emitMaxPool2d,
  MUL: emitMul,
  QUANTIZE: emitQuantize,
  RELU: emitRelu,
  RELU6: emitRelu6,
  RESHAPE: emitReshape,
  SOFTMAX: emitSoftmax,
  SUB: emitSub,
  TANH: emitTanh,
};

export const AOT_OPS: ReadonlySet<BuiltinOpType> = new Set(Object.keys(AOT_EMITTERS) as BuiltinOpType[]);
