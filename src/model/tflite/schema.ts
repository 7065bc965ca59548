// The subset of TensorFlow Lite's schema.fbs (tensorflow/compiler/mlir/lite/
// schema/schema.fbs) that tinyml reads and writes: the vtable slot of every
// field we touch. A union occupies two slots (its type, then its value).
// Option tables live in ../ops.ts next to the ops that use them.

export const FILE_IDENTIFIER = "TFL3";
export const SCHEMA_VERSION = 3;
/** BuiltinOperator.CUSTOM */
export const CUSTOM_CODE = 32;
/** deprecated_builtin_code holds this for every op code above 127. */
export const PLACEHOLDER_FOR_GREATER_OP_CODES = 127;

export const ModelSlot = {
  version: 0, operatorCodes: 1, subgraphs: 2, description: 3, buffers: 4, metadataBuffer: 5,
  metadata: 6, signatureDefs: 7,
} as const;

export const OperatorCodeSlot = { deprecatedBuiltinCode: 0, customCode: 1, version: 2, builtinCode: 3 } as const;

export const SubGraphSlot = { tensors: 0, inputs: 1, outputs: 2, operators: 3, name: 4 } as const;

export const TensorSlot = {
  shape: 0, type: 1, buffer: 2, name: 3, quantization: 4, isVariable: 5, sparsity: 6, shapeSignature: 7,
  hasRank: 8,
} as const;

export const QuantizationSlot = {
  min: 0, max: 1, scale: 2, zeroPoint: 3, detailsType: 4, details: 5, quantizedDimension: 6,
} as const;

export const OperatorSlot = {
  opcodeIndex: 0, inputs: 1, outputs: 2, builtinOptionsType: 3, builtinOptions: 4, customOptions: 5,
  customOptionsFormat: 6, mutatingVariableInputs: 7, intermediates: 8, largeCustomOptionsOffset: 9,
  largeCustomOptionsSize: 10, builtinOptions2Type: 11, builtinOptions2: 12,
} as const;

export const BufferSlot = { data: 0, offset: 1, size: 2 } as const;
export const MetadataSlot = { name: 0, buffer: 1 } as const;
export const TensorMapSlot = { name: 0, tensorIndex: 1 } as const;
export const SignatureDefSlot = { inputs: 0, outputs: 1, signatureKey: 2, subgraphIndex: 4 } as const;

/** Ranks above this are rejected: TFLite Micro supports at most 6 (5 for most kernels). */
export const MAX_RANK = 8;
