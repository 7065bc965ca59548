// The builtin operators tinyml understands, as data. Each entry gives the
// TFLite builtin code, the options table (its BuiltinOptions union index and
// fields with their flatbuffer slot and default), and the input/output arity
// the verifier enforces. The reader, the writer and the IR's option types are
// all derived from this table, so adding an op is one entry here (plus its
// kernels elsewhere).

import type { TfliteTensorTypeName } from "./dtype.js";

export const ACTIVATIONS = ["NONE", "RELU", "RELU_N1_TO_1", "RELU6", "TANH", "SIGN_BIT"] as const;
export type Activation = (typeof ACTIVATIONS)[number];
export const PADDINGS = ["SAME", "VALID"] as const;
export type Padding = (typeof PADDINGS)[number];
export const FC_WEIGHTS_FORMATS = ["DEFAULT", "SHUFFLED4x16INT8"] as const;
export type FcWeightsFormat = (typeof FC_WEIGHTS_FORMATS)[number];

/** One field of an options table: its vtable slot, kind and schema default. */
export type FieldSpec =
  | { readonly slot: number; readonly kind: "int32"; readonly def: number }
  | { readonly slot: number; readonly kind: "float32"; readonly def: number }
  | { readonly slot: number; readonly kind: "bool"; readonly def: boolean }
  | { readonly slot: number; readonly kind: "int32[]" }
  | { readonly slot: number; readonly kind: "activation" }
  | { readonly slot: number; readonly kind: "padding" }
  | { readonly slot: number; readonly kind: "fcWeightsFormat" }
  | { readonly slot: number; readonly kind: "tensorType" };

type FieldValue<F extends FieldSpec> = F["kind"] extends "int32" | "float32"
  ? number
  : F["kind"] extends "bool"
    ? boolean
    : F["kind"] extends "int32[]"
      ? number[]
      : F["kind"] extends "activation"
        ? Activation
        : F["kind"] extends "padding"
          ? Padding
          : F["kind"] extends "fcWeightsFormat"
            ? FcWeightsFormat
            : TfliteTensorTypeName;

export interface OptionsSpec {
  /** The BuiltinOptions union index (schema.fbs), e.g. Conv2DOptions = 1. */
  readonly union: number;
  readonly table: string;
  readonly fields: Readonly<Record<string, FieldSpec>>;
}

export interface OpSpec {
  readonly code: number;
  readonly options: OptionsSpec | null;
  /** Inclusive input count range; optional inputs are present as index -1. */
  readonly inputs: readonly [number, number];
  readonly outputs: readonly [number, number];
}

const int = (slot: number, def = 0) => ({ slot, kind: "int32", def }) as const;
const float = (slot: number, def = 0) => ({ slot, kind: "float32", def }) as const;
const bool = (slot: number, def = false) => ({ slot, kind: "bool", def }) as const;
const ints = (slot: number) => ({ slot, kind: "int32[]" }) as const;
const act = (slot: number) => ({ slot, kind: "activation" }) as const;
const pad = (slot: number) => ({ slot, kind: "padding" }) as const;
const ttype = (slot: number) => ({ slot, kind: "tensorType" }) as const;
const opts = <F extends Record<string, FieldSpec>>(union: number, table: string, fields: F) =>
  ({ union, table, fields }) as const;
const empty = (union: number, table: string) => opts(union, table, {});

const MANY = 1 << 16;
const unary = { inputs: [1, 1], outputs: [1, 1] } as const;
const binary = { inputs: [2, 2], outputs: [1, 1] } as const;

const pool = opts(5, "Pool2DOptions", {
  padding: pad(0), strideW: int(1), strideH: int(2), filterWidth: int(3), filterHeight: int(4),
  activation: act(5),
});

export const OPS = {
  ADD: { code: 0, ...binary, options: opts(11, "AddOptions", { activation: act(0), potScaleInt16: bool(1, true) }) },
  AVERAGE_POOL_2D: { code: 1, ...unary, options: pool },
  CONCATENATION: {
    code: 2, inputs: [1, MANY], outputs: [1, 1],
    options: opts(10, "ConcatenationOptions", { axis: int(0), activation: act(1) }),
  },
  CONV_2D: {
    code: 3, inputs: [2, 3], outputs: [1, 1],
    options: opts(1, "Conv2DOptions", {
      padding: pad(0), strideW: int(1), strideH: int(2), activation: act(3),
      dilationW: int(4, 1), dilationH: int(5, 1), quantizedBiasType: ttype(6),
    }),
  },
  DEPTHWISE_CONV_2D: {
    code: 4, inputs: [2, 3], outputs: [1, 1],
    options: opts(2, "DepthwiseConv2DOptions", {
      padding: pad(0), strideW: int(1), strideH: int(2), depthMultiplier: int(3), activation: act(4),
      dilationW: int(5, 1), dilationH: int(6, 1),
    }),
  },
  DEQUANTIZE: { code: 6, ...unary, options: empty(38, "DequantizeOptions") },
  FULLY_CONNECTED: {
    code: 9, inputs: [2, 3], outputs: [1, 1],
    options: opts(8, "FullyConnectedOptions", {
      activation: act(0), weightsFormat: { slot: 1, kind: "fcWeightsFormat" }, keepNumDims: bool(2),
      asymmetricQuantizeInputs: bool(3), quantizedBiasType: ttype(4),
    }),
  },
  LOGISTIC: { code: 14, ...unary, options: null },
  MAX_POOL_2D: { code: 17, ...unary, options: pool },
  MUL: { code: 18, ...binary, options: opts(21, "MulOptions", { activation: act(0) }) },
  RELU: { code: 19, ...unary, options: null },
  RELU6: { code: 21, ...unary, options: null },
  RESHAPE: { code: 22, inputs: [1, 2], outputs: [1, 1], options: opts(17, "ReshapeOptions", { newShape: ints(0) }) },
  SOFTMAX: { code: 25, ...unary, options: opts(9, "SoftmaxOptions", { beta: float(0) }) },
  TANH: { code: 28, ...unary, options: null },
  PAD: { code: 34, inputs: [2, 3], outputs: [1, 1], options: empty(22, "PadOptions") },
  TRANSPOSE: { code: 39, ...binary, options: empty(26, "TransposeOptions") },
  MEAN: { code: 40, ...binary, options: opts(27, "ReducerOptions", { keepDims: bool(0) }) },
  SUB: { code: 41, ...binary, options: opts(28, "SubOptions", { activation: act(0), potScaleInt16: bool(1, true) }) },
  DIV: { code: 42, ...binary, options: opts(29, "DivOptions", { activation: act(0) }) },
  STRIDED_SLICE: {
    code: 45, inputs: [3, 4], outputs: [1, 1],
    options: opts(32, "StridedSliceOptions", {
      beginMask: int(0), endMask: int(1), ellipsisMask: int(2), newAxisMask: int(3),
      shrinkAxisMask: int(4), offset: bool(5),
    }),
  },
  CAST: { code: 53, ...unary, options: opts(37, "CastOptions", { inDataType: ttype(0), outDataType: ttype(1) }) },
  MAXIMUM: { code: 55, ...binary, options: empty(39, "MaximumMinimumOptions") },
  MINIMUM: { code: 57, ...binary, options: empty(39, "MaximumMinimumOptions") },
  QUANTIZE: { code: 114, ...unary, options: empty(89, "QuantizeOptions") },
  HARD_SWISH: { code: 117, ...unary, options: empty(91, "HardSwishOptions") },
} as const satisfies Record<string, OpSpec>;

export type BuiltinOpType = keyof typeof OPS;

type SpecOf<T extends BuiltinOpType> = (typeof OPS)[T]["options"];

/** The typed options of builtin op `T` (an empty object for ops without options). */
export type OptionsFor<T extends BuiltinOpType> =
  SpecOf<T> extends { fields: infer F extends Record<string, FieldSpec> }
    ? { -readonly [K in keyof F]: FieldValue<F[K]> }
    : Record<string, never>;

/** The code → name table of every BuiltinOperator in the TFLite schema (for messages). */
export const TFLITE_BUILTIN_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  (
    "ADD AVERAGE_POOL_2D CONCATENATION CONV_2D DEPTHWISE_CONV_2D DEPTH_TO_SPACE DEQUANTIZE EMBEDDING_LOOKUP FLOOR " +
    "FULLY_CONNECTED HASHTABLE_LOOKUP L2_NORMALIZATION L2_POOL_2D LOCAL_RESPONSE_NORMALIZATION LOGISTIC " +
    "LSH_PROJECTION LSTM MAX_POOL_2D MUL RELU RELU_N1_TO_1 RELU6 RESHAPE RESIZE_BILINEAR RNN SOFTMAX " +
    "SPACE_TO_DEPTH SVDF TANH CONCAT_EMBEDDINGS SKIP_GRAM CALL CUSTOM EMBEDDING_LOOKUP_SPARSE PAD " +
    "UNIDIRECTIONAL_SEQUENCE_RNN GATHER BATCH_TO_SPACE_ND SPACE_TO_BATCH_ND TRANSPOSE MEAN SUB DIV SQUEEZE " +
    "UNIDIRECTIONAL_SEQUENCE_LSTM STRIDED_SLICE BIDIRECTIONAL_SEQUENCE_RNN EXP TOPK_V2 SPLIT LOG_SOFTMAX " +
    "DELEGATE BIDIRECTIONAL_SEQUENCE_LSTM CAST PRELU MAXIMUM ARG_MAX MINIMUM LESS NEG PADV2 GREATER " +
    "GREATER_EQUAL LESS_EQUAL SELECT SLICE SIN TRANSPOSE_CONV SPARSE_TO_DENSE TILE EXPAND_DIMS EQUAL " +
    "NOT_EQUAL LOG SUM SQRT RSQRT SHAPE POW ARG_MIN FAKE_QUANT REDUCE_PROD REDUCE_MAX PACK LOGICAL_OR " +
    "ONE_HOT LOGICAL_AND LOGICAL_NOT UNPACK REDUCE_MIN FLOOR_DIV REDUCE_ANY SQUARE ZEROS_LIKE FILL " +
    "FLOOR_MOD RANGE RESIZE_NEAREST_NEIGHBOR LEAKY_RELU SQUARED_DIFFERENCE MIRROR_PAD ABS SPLIT_V UNIQUE " +
    "CEIL REVERSE_V2 ADD_N GATHER_ND COS WHERE RANK ELU REVERSE_SEQUENCE MATRIX_DIAG QUANTIZE " +
    "MATRIX_SET_DIAG ROUND HARD_SWISH IF WHILE NON_MAX_SUPPRESSION_V4 NON_MAX_SUPPRESSION_V5 SCATTER_ND " +
    "SELECT_V2 DENSIFY SEGMENT_SUM BATCH_MATMUL PLACEHOLDER_FOR_GREATER_OP_CODES CUMSUM CALL_ONCE " +
    "BROADCAST_TO RFFT2D CONV_3D"
  )
    .split(" ")
    .map((name, code) => [code, name] as const),
);

const BY_CODE: ReadonlyMap<number, BuiltinOpType> = new Map(
  (Object.keys(OPS) as BuiltinOpType[]).map((name) => [OPS[name].code, name]),
);

export function builtinByCode(code: number): BuiltinOpType | undefined {
  return BY_CODE.get(code);
}

export function opSpec(type: BuiltinOpType): OpSpec {
  return OPS[type];
}

export function isBuiltinOpType(name: string): name is BuiltinOpType {
  return Object.prototype.hasOwnProperty.call(OPS, name);
}

/** The op's options with every field at its schema default. */
export function defaultOptions<T extends BuiltinOpType>(type: T): OptionsFor<T> {
  const spec: OptionsSpec | null = OPS[type].options;
  const out: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(spec?.fields ?? {})) out[name] = fieldDefault(f);
  return out as OptionsFor<T>;
}

export function fieldDefault(f: FieldSpec): number | boolean | string | number[] {
  switch (f.kind) {
    case "int32":
    case "float32":
    case "bool":
      return f.def;
    case "int32[]":
      return [];
    case "activation":
      return "NONE";
    case "padding":
      return "SAME";
    case "fcWeightsFormat":
      return "DEFAULT";
    case "tensorType":
      return "float32";
  }
}
