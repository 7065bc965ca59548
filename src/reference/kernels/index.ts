// The op type -> kernel table of the reference interpreter. Adding an op is
// one file in this folder and one line here.

import type { BuiltinOp } from "../../model/ir.js";
import type { BuiltinOpType } from "../../model/ops.js";
import { erase, type ErasedKernel } from "../kernel.js";
import { relu, relu6 } from "./activations.js";
import { add, sub } from "./add-sub.js";
import { cast } from "./cast.js";
import { concatenation } from "./concatenation.js";
import { conv2d } from "./conv2d.js";
import { depthwiseConv2d } from "./depthwise-conv2d.js";
import { dequantize } from "./dequantize.js";
import { div } from "./div.js";
import { fullyConnected } from "./fully-connected.js";
import { hardSwish } from "./hard-swish.js";
import { logistic } from "./logistic.js";
import { mean } from "./mean.js";
import { maximum, minimum } from "./minimum-maximum.js";
import { mul } from "./mul.js";
import { pad } from "./pad.js";
import { averagePool2d, maxPool2d } from "./pooling.js";
import { quantize } from "./quantize.js";
import { reshape } from "./reshape.js";
import { softmax } from "./softmax.js";
import { stridedSlice } from "./strided-slice.js";
import { tanh } from "./tanh.js";
import { transpose } from "./transpose.js";

export const BUILTIN_KERNELS: Partial<Record<BuiltinOpType, ErasedKernel<BuiltinOp>>> = {
  ADD: erase(add),
  AVERAGE_POOL_2D: erase(averagePool2d),
  CAST: erase(cast),
  CONCATENATION: erase(concatenation),
  CONV_2D: erase(conv2d),
  DEPTHWISE_CONV_2D: erase(depthwiseConv2d),
  DEQUANTIZE: erase(dequantize),
  DIV: erase(div),
  FULLY_CONNECTED: erase(fullyConnected),
  HARD_SWISH: erase(hardSwish),
  LOGISTIC: erase(logistic),
  MAX_POOL_2D: erase(maxPool2d),
  MAXIMUM: erase(maximum),
  MEAN: erase(mean),
  MINIMUM: erase(minimum),
  MUL: erase(mul),
  PAD: erase(pad),
  QUANTIZE: erase(quantize),
  RELU: erase(relu),
  RELU6: erase(relu6),
  RESHAPE: erase(reshape),
  SOFTMAX: erase(softmax),
  STRIDED_SLICE: erase(stridedSlice),
  SUB: erase(sub),
  TANH: erase(tanh),
  TRANSPOSE: erase(transpose),
};
