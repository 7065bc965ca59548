// The op resolver for TFLM: a MicroMutableOpResolver<N> with N = the
// number of distinct ops, and one Add call per distinct op in first-use
// order. An Add beyond N is silently dropped by TFLM ("Didn't find op" at
// AllocateTensors), so N is computed, never guessed.

import { TinymlError } from "../../errors.js";
import type { Graph, Op } from "../../model/ir.js";
import { opTypeName } from "../../model/ir.js";
import type { BuiltinOpType } from "../../model/ops.js";
import { cString } from "../c-syntax.js";

/** MicroMutableOpResolver's method for each builtin tinyml reads. */
const ADD_METHODS: Record<BuiltinOpType, string> = {
  ADD: "AddAdd", AVERAGE_POOL_2D: "AddAveragePool2D", CONCATENATION: "AddConcatenation", CONV_2D: "AddConv2D",
  DEPTHWISE_CONV_2D: "AddDepthwiseConv2D", DEQUANTIZE: "AddDequantize", FULLY_CONNECTED: "AddFullyConnected",
  LOGISTIC: "AddLogistic", MAX_POOL_2D: "AddMaxPool2D", MUL: "AddMul", RELU: "AddRelu", RELU6: "AddRelu6",
  RESHAPE: "AddReshape", SOFTMAX: "AddSoftmax", TANH: "AddTanh", PAD: "AddPad", TRANSPOSE: "AddTranspose",
  MEAN: "AddMean", SUB: "AddSub", DIV: "AddDiv", STRIDED_SLICE: "AddStridedSlice", CAST: "AddCast",
  MAXIMUM: "AddMaximum", MINIMUM: "AddMinimum", QUANTIZE: "AddQuantize", HARD_SWISH: "AddHardSwish",
};

/** TFLM's signal library registration functions (signal/micro/kernels), by custom op name. */
const SIGNAL_REGISTRATIONS: Readonly<Record<string, string>> = {
  SignalWindow: "Register_WINDOW", SignalFftAutoScale: "Register_FFT_AUTO_SCALE", SignalRfft: "Register_RFFT",
  SignalIrfft: "Register_IRFFT", SignalEnergy: "Register_ENERGY", SignalFilterBank: "Register_FILTER_BANK",
  SignalFilterBankSquareRoot: "Register_FILTER_BANK_SQUARE_ROOT",
  SignalFilterBankSpectralSubtraction: "Register_FILTER_BANK_SPECTRAL_SUBTRACTION", SignalPCAN: "Register_PCAN",
  SignalFilterBankLog: "Register_FILTER_BANK_LOG", SignalFramer: "Register_FRAMER",
  SignalOverlapAdd: "Register_OVERLAP_ADD", SignalDelay: "Register_DELAY", SignalStacker: "Register_STACKER",
};

export interface ResolverPlan {
  /** Distinct op names (TFLite spelling) in first-use order. */
  ops: string[];
  /** One C++ statement per distinct op, adding it to `resolver`. */
  statements: string[];
  /** Per distinct op, what a TFLM tree must provide: a resolver method (AddConv2D) or a signal registration (Register_RFFT). */
  requires: Array<{ op: string; method?: string; registration?: string }>;
}

function addStatement(op: Op, opIndex: number): string {
  if (op.kind === "builtin") return `resolver.${ADD_METHODS[op.type]}()`;
  const reg = SIGNAL_REGISTRATIONS[op.name];
  if (!reg) {
    throw new TinymlError("TML_E_OP_UNSUPPORTED", `op ${opIndex} ${opTypeName(op)} has no TFLM registration tinyml knows`, {
      location: { detail: `subgraph 0, op ${opIndex}` },
      hint: `TFLM custom ops tinyml registers: ${Object.keys(SIGNAL_REGISTRATIONS).join(", ")}.`,
    });
  }
  return `resolver.AddCustom(${cString(op.name)}, tflite::tflm_signal::${reg}())`;
}

export function planResolver(g: Graph): ResolverPlan {
  const seen = new Map<string, { statement: string; method?: string; registration?: string }>();
  g.ops.forEach((op, i) => {
    const name = opTypeName(op);
    if (seen.has(name)) return;
    const statement = addStatement(op, i);
    seen.set(name, op.kind === "builtin" ? { statement, method: ADD_METHODS[op.type] } : { statement, registration: SIGNAL_REGISTRATIONS[op.name]! });
  });
  return {
    ops: [...seen.keys()],
    statements: [...seen.values()].map((v) => v.statement),
    requires: [...seen].map(([op, v]) => ({ op, ...(v.method ? { method: v.method } : {}), ...(v.registration ? { registration: v.registration } : {}) })),
  };
}
