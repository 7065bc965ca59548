// The intermediate representation every stage reads and writes: a model is a
// list of graphs (TFLite subgraphs; the first one runs), each a list of
// tensors and a list of ops in execution order. It holds data only; helpers
// that derive things from it live in graph.ts.

import type { DType } from "./dtype.js";
import type { BuiltinOpType, OptionsFor } from "./ops.js";

/**
 * Affine quantization: real = scale * (q - zeroPoint). One scale and zero
 * point per tensor, or one per slice along `axis` (per-channel weights).
 */
export interface Quantization {
  scale: number[];
  zeroPoint: number[];
  /** The quantized dimension; meaningful when there is more than one scale. */
  axis: number;
  /** Calibration range kept by converters for import back into TensorFlow. */
  min?: number[];
  max?: number[];
}

export interface Tensor {
  name: string;
  dtype: DType;
  /** Static shape; every dim >= 0. A scalar has shape []. */
  shape: number[];
  /** TFLite's shape_signature: -1 marks a dynamic dim (batch). Kept for round trips. */
  shapeSignature?: number[];
  quantization?: Quantization;
  /** Constant contents, little-endian, exactly numElements × dtype bytes. */
  data?: Uint8Array;
  /** A variable tensor (state kept across invocations). */
  isVariable: boolean;
}

interface OpCommon {
  /** Tensor indices; -1 marks an omitted optional input (e.g. no bias). */
  inputs: number[];
  outputs: number[];
  /** The operator version from the model's operator code table. */
  version: number;
  intermediates?: number[];
}

/** A builtin op with typed options, discriminated by `type`. */
export type BuiltinOp = {
  [T in BuiltinOpType]: OpCommon & { kind: "builtin"; type: T; options: OptionsFor<T> };
}[BuiltinOpType];

/** A custom op, kept by name with its raw (usually flexbuffer) options. */
export interface CustomOp extends OpCommon {
  kind: "custom";
  name: string;
  customOptions: Uint8Array;
}

export type Op = BuiltinOp | CustomOp;

export interface Graph {
  name: string;
  tensors: Tensor[];
  inputs: number[];
  outputs: number[];
  /** In execution order. */
  ops: Op[];
}

export interface SignatureTensor {
  name: string;
  tensor: number;
}

export interface Signature {
  key: string;
  graph: number;
  inputs: SignatureTensor[];
  outputs: SignatureTensor[];
}

export interface Metadata {
  name: string;
  data: Uint8Array;
}

export interface Model {
  /** The TFLite schema version (3). */
  version: number;
  description: string;
  graphs: Graph[];
  metadata: Metadata[];
  signatures: Signature[];
}

/** The name of an op as TFLite spells it: `CONV_2D`, or `CUSTOM:<name>`. */
export function opTypeName(op: Op): string {
  return op.kind === "builtin" ? op.type : `CUSTOM:${op.name}`;
}
