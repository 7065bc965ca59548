// What TensorFlow Lite's quantizer requires of each op it quantizes to int8
// (tools/optimize/operator_property.cc, and the checks in TFLM's Prepare
// functions): which output parameters are fixed, which ops must keep their
// input's parameters, where the weights and biases are and along which axis
// they are per-channel, and the operator version TFLite's converter writes
// for the int8 kernel (lite/tools/versioning/op_version.cc).

import type { BuiltinOpType } from "../model/ops.js";
import type { AffineParams } from "./params.js";

export type OutputRule =
  | { kind: "calibrated" }
  | { kind: "fixed"; params: AffineParams }
  /** The kernel copies or compares int8 values without rescaling (TFLM checks it). */
  | { kind: "sameAsInput" };

export interface OpRule {
  output: OutputRule;
  /** Per-channel int8 weights at input 1 along this axis, int32 bias at input 2. */
  weightsAxis?: number;
  /** Every input must share the output's parameters (requantized when not). */
  inputsShareOutput?: boolean;
  int8Version: number;
}

const calibrated: OutputRule = { kind: "calibrated" };

export const OP_RULES: Partial<Record<BuiltinOpType, OpRule>> = {
  ADD: { output: calibrated, int8Version: 2 },
  AVERAGE_POOL_2D: { output: { kind: "sameAsInput" }, int8Version: 2 },
  CONCATENATION: { output: calibrated, inputsShareOutput: true, int8Version: 2 },
  CONV_2D: { output: calibrated, weightsAxis: 0, int8Version: 3 },
  DEPTHWISE_CONV_2D: { output: calibrated, weightsAxis: 3, int8Version: 3 },
  FULLY_CONNECTED: { output: calibrated, weightsAxis: 0, int8Version: 4 },
  HARD_SWISH: { output: calibrated, int8Version: 1 },
  LOGISTIC: { output: { kind: "fixed", params: { scale: 1 / 256, zeroPoint: -128 } }, int8Version: 2 },
  MAX_POOL_2D: { output: { kind: "sameAsInput" }, int8Version: 2 },
  MEAN: { output: calibrated, int8Version: 2 },
  MUL: { output: calibrated, int8Version: 2 },
  PAD: { output: { kind: "sameAsInput" }, int8Version: 2 },
  RELU: { output: calibrated, int8Version: 2 },
  RELU6: { output: calibrated, int8Version: 2 },
  RESHAPE: { output: { kind: "sameAsInput" }, int8Version: 1 },
  SOFTMAX: { output: { kind: "fixed", params: { scale: 1 / 256, zeroPoint: -128 } }, int8Version: 2 },
  SUB: { output: calibrated, int8Version: 2 },
  TANH: { output: { kind: "fixed", params: { scale: 1 / 128, zeroPoint: 0 } }, int8Version: 2 },
  // Moves int8 values without rescaling (an NCHW model's input, see src/model/onnx/).
  TRANSPOSE: { output: { kind: "sameAsInput" }, int8Version: 2 },
};

/** QUANTIZE float→int8 is version 1; int8→int8 requantization needs version 2. DEQUANTIZE of int8 is 2. */
export const QUANTIZE_VERSION = { fromFloat: 1, requantize: 2 } as const;
export const DEQUANTIZE_INT8_VERSION = 2;
