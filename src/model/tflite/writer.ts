// IR → .tflite. Constant data goes into 16-byte-aligned buffers (TFLite
// Micro reads weights in place and some kernels need the alignment), op codes
// are deduplicated by (op, version), and every option is written from the same
// op table the reader decodes with, so read → write → read is the identity.

import { Builder } from "flatbuffers";
import { TFLITE_TENSOR_TYPES, tfliteTypeCode } from "../dtype.js";
import type { Graph, Model, Op, Quantization, Signature, Tensor } from "../ir.js";
import {
  ACTIVATIONS, FC_WEIGHTS_FORMATS, OPS, PADDINGS, type FieldSpec, type OptionsSpec,
} from "../ops.js";
import {
  BufferSlot, CUSTOM_CODE, FILE_IDENTIFIER, MetadataSlot, ModelSlot, OperatorCodeSlot, OperatorSlot,
  PLACEHOLDER_FOR_GREATER_OP_CODES, QuantizationSlot, SignatureDefSlot, SubGraphSlot, TensorMapSlot,
  TensorSlot,
} from "./schema.js";

const BUFFER_ALIGNMENT = 16;

type Offset = number;

export function writeTflite(model: Model): Uint8Array {
  const b = new Builder(1024);
  const buffers: Uint8Array[] = [new Uint8Array(0)]; // buffer 0 is the empty sentinel
  const bufferOf = new Map<Tensor, number>();
  for (const g of model.graphs) {
    for (const t of g.tensors) {
      if (t.data) {
        bufferOf.set(t, buffers.length);
        buffers.push(t.data);
      }
    }
  }
  const metadataBuffers = model.metadata.map((m) => {
    buffers.push(m.data);
    return buffers.length - 1;
  });

  const opcodeKeys = new Map<string, number>();
  const opcodeList: Op[] = [];
  const opcodeIndex = (op: Op): number => {
    const key = op.kind === "builtin" ? `b:${op.type}:${op.version}` : `c:${op.name}:${op.version}`;
    let i = opcodeKeys.get(key);
    if (i === undefined) {
      i = opcodeList.length;
      opcodeKeys.set(key, i);
      opcodeList.push(op);
    }
    return i;
  };

  // Flatbuffers are built back to front; the bulky buffers go first so they
  // end up last in the file, as the TFLite converter lays them out.
  const bufferOffsets = buffers.map((data) => writeBuffer(b, data));
  const graphOffsets = model.graphs.map((g) => writeGraph(b, g, bufferOf, opcodeIndex));
  const opcodeOffsets = opcodeList.map((op) => writeOpcode(b, op));
  const metadataOffsets = model.metadata.map((m, i) => {
    const name = b.createString(m.name);
    b.startObject(2);
    b.addFieldOffset(MetadataSlot.name, name, 0);
    b.addFieldInt32(MetadataSlot.buffer, metadataBuffers[i]!, 0);
    return b.endObject();
  });
  const signatureOffsets = model.signatures.map((s) => writeSignature(b, s));
  const description = b.createString(model.description);

  const vOpcodes = tableVector(b, opcodeOffsets);
  const vGraphs = tableVector(b, graphOffsets);
  const vBuffers = tableVector(b, bufferOffsets);
  const vMetadata = model.metadata.length > 0 ? tableVector(b, metadataOffsets) : 0;
  const vSignatures = model.signatures.length > 0 ? tableVector(b, signatureOffsets) : 0;

  b.startObject(8);
  b.addFieldInt32(ModelSlot.version, model.version, -1);
  b.addFieldOffset(ModelSlot.operatorCodes, vOpcodes, 0);
  b.addFieldOffset(ModelSlot.subgraphs, vGraphs, 0);
  b.addFieldOffset(ModelSlot.description, description, 0);
  b.addFieldOffset(ModelSlot.buffers, vBuffers, 0);
  if (vMetadata) b.addFieldOffset(ModelSlot.metadata, vMetadata, 0);
  if (vSignatures) b.addFieldOffset(ModelSlot.signatureDefs, vSignatures, 0);
  b.finish(b.endObject(), FILE_IDENTIFIER);
  return b.asUint8Array().slice();
}

function writeBuffer(b: Builder, data: Uint8Array): Offset {
  let vData = 0;
  if (data.byteLength > 0) {
    b.startVector(1, data.byteLength, BUFFER_ALIGNMENT);
    for (let i = data.byteLength - 1; i >= 0; i--) b.addInt8(data[i]!);
    vData = b.endVector();
  }
  b.startObject(3);
  if (vData) b.addFieldOffset(BufferSlot.data, vData, 0);
  return b.endObject();
}

function writeOpcode(b: Builder, op: Op): Offset {
  const code = op.kind === "builtin" ? OPS[op.type].code : CUSTOM_CODE;
  const name = op.kind === "custom" ? b.createString(op.name) : 0;
  b.startObject(4);
  b.addFieldInt8(OperatorCodeSlot.deprecatedBuiltinCode, Math.min(code, PLACEHOLDER_FOR_GREATER_OP_CODES), 0);
  if (name) b.addFieldOffset(OperatorCodeSlot.customCode, name, 0);
  b.addFieldInt32(OperatorCodeSlot.version, op.version, 1);
  b.addFieldInt32(OperatorCodeSlot.builtinCode, code, 0);
  return b.endObject();
}

function writeGraph(b: Builder, g: Graph, bufferOf: Map<Tensor, number>, opcodeIndex: (op: Op) => number): Offset {
  const tensors = g.tensors.map((t) => writeTensor(b, t, bufferOf.get(t) ?? 0));
  const ops = g.ops.map((op) => writeOp(b, op, opcodeIndex(op)));
  const vTensors = tableVector(b, tensors);
  const vInputs = int32Vector(b, g.inputs);
  const vOutputs = int32Vector(b, g.outputs);
  const vOps = tableVector(b, ops);
  const name = b.createString(g.name);
  b.startObject(5);
  b.addFieldOffset(SubGraphSlot.tensors, vTensors, 0);
  b.addFieldOffset(SubGraphSlot.inputs, vInputs, 0);
  b.addFieldOffset(SubGraphSlot.outputs, vOutputs, 0);
  b.addFieldOffset(SubGraphSlot.operators, vOps, 0);
  b.addFieldOffset(SubGraphSlot.name, name, 0);
  return b.endObject();
}

function writeTensor(b: Builder, t: Tensor, buffer: number): Offset {
  const shape = int32Vector(b, t.shape);
  const name = b.createString(t.name);
  const quant = t.quantization ? writeQuantization(b, t.quantization) : 0;
  const signature = t.shapeSignature ? int32Vector(b, t.shapeSignature) : 0;
  b.startObject(9);
  b.addFieldOffset(TensorSlot.shape, shape, 0);
  b.addFieldInt8(TensorSlot.type, TFLITE_TENSOR_TYPES.indexOf(t.dtype), 0);
  b.addFieldInt32(TensorSlot.buffer, buffer, 0);
  b.addFieldOffset(TensorSlot.name, name, 0);
  if (quant) b.addFieldOffset(TensorSlot.quantization, quant, 0);
  b.addFieldInt8(TensorSlot.isVariable, t.isVariable ? 1 : 0, 0);
  if (signature) b.addFieldOffset(TensorSlot.shapeSignature, signature, 0);
  return b.endObject();
}

function writeQuantization(b: Builder, q: Quantization): Offset {
  const scale = float32Vector(b, q.scale);
  b.startVector(8, q.zeroPoint.length, 8);
  for (let i = q.zeroPoint.length - 1; i >= 0; i--) b.addInt64(BigInt(q.zeroPoint[i]!));
  const zeroPoint = b.endVector();
  const min = q.min ? float32Vector(b, q.min) : 0;
  const max = q.max ? float32Vector(b, q.max) : 0;
  b.startObject(7);
  if (min) b.addFieldOffset(QuantizationSlot.min, min, 0);
  if (max) b.addFieldOffset(QuantizationSlot.max, max, 0);
  b.addFieldOffset(QuantizationSlot.scale, scale, 0);
  b.addFieldOffset(QuantizationSlot.zeroPoint, zeroPoint, 0);
  b.addFieldInt32(QuantizationSlot.quantizedDimension, q.axis, 0);
  return b.endObject();
}

function writeOp(b: Builder, op: Op, opcode: number): Offset {
  const inputs = int32Vector(b, op.inputs);
  const outputs = int32Vector(b, op.outputs);
  const intermediates = op.intermediates ? int32Vector(b, op.intermediates) : 0;
  let optionsType = 0;
  let options = 0;
  let custom = 0;
  if (op.kind === "builtin") {
    const spec: OptionsSpec | null = OPS[op.type].options;
    if (spec) {
      optionsType = spec.union;
      options = writeOptions(b, spec, op.options as Record<string, unknown>);
    }
  } else {
    custom = b.createByteVector(op.customOptions);
  }
  b.startObject(9);
  b.addFieldInt32(OperatorSlot.opcodeIndex, opcode, 0);
  b.addFieldOffset(OperatorSlot.inputs, inputs, 0);
  b.addFieldOffset(OperatorSlot.outputs, outputs, 0);
  if (optionsType) {
    b.addFieldInt8(OperatorSlot.builtinOptionsType, optionsType, 0);
    b.addFieldOffset(OperatorSlot.builtinOptions, options, 0);
  }
  if (custom) b.addFieldOffset(OperatorSlot.customOptions, custom, 0);
  if (intermediates) b.addFieldOffset(OperatorSlot.intermediates, intermediates, 0);
  return b.endObject();
}

function writeOptions(b: Builder, spec: OptionsSpec, values: Record<string, unknown>): Offset {
  const fields = Object.entries(spec.fields);
  // Vectors must be finished before the table that refers to them starts.
  const vectors = new Map<string, Offset>();
  for (const [name, f] of fields) {
    if (f.kind === "int32[]") vectors.set(name, int32Vector(b, values[name] as number[]));
  }
  b.startObject(Math.max(0, ...fields.map(([, f]) => f.slot + 1)));
  for (const [name, f] of fields) writeField(b, f, values[name], vectors.get(name) ?? 0);
  return b.endObject();
}

function writeField(b: Builder, f: FieldSpec, v: unknown, vector: Offset): void {
  switch (f.kind) {
    case "int32": return b.addFieldInt32(f.slot, v as number, f.def);
    case "float32": return b.addFieldFloat32(f.slot, v as number, f.def);
    case "bool": return b.addFieldInt8(f.slot, v ? 1 : 0, f.def ? 1 : 0);
    case "int32[]": return (v as number[]).length > 0 ? b.addFieldOffset(f.slot, vector, 0) : undefined;
    case "activation": return b.addFieldInt8(f.slot, ACTIVATIONS.indexOf(v as never), 0);
    case "padding": return b.addFieldInt8(f.slot, PADDINGS.indexOf(v as never), 0);
    case "fcWeightsFormat": return b.addFieldInt8(f.slot, FC_WEIGHTS_FORMATS.indexOf(v as never), 0);
    case "tensorType": return b.addFieldInt8(f.slot, tfliteTypeCode(v as never), 0);
  }
}

function writeSignature(b: Builder, s: Signature): Offset {
  const maps = (list: Signature["inputs"]): Offset =>
    tableVector(
      b,
      list.map((m) => {
        const name = b.createString(m.name);
        b.startObject(2);
        b.addFieldOffset(TensorMapSlot.name, name, 0);
        b.addFieldInt32(TensorMapSlot.tensorIndex, m.tensor, 0);
        return b.endObject();
      }),
    );
  const inputs = maps(s.inputs);
  const outputs = maps(s.outputs);
  const key = b.createString(s.key);
  b.startObject(5);
  b.addFieldOffset(SignatureDefSlot.inputs, inputs, 0);
  b.addFieldOffset(SignatureDefSlot.outputs, outputs, 0);
  b.addFieldOffset(SignatureDefSlot.signatureKey, key, 0);
  b.addFieldInt32(SignatureDefSlot.subgraphIndex, s.graph, 0);
  return b.endObject();
}

function tableVector(b: Builder, offsets: Offset[]): Offset {
  b.startVector(4, offsets.length, 4);
  for (let i = offsets.length - 1; i >= 0; i--) b.addOffset(offsets[i]!);
  return b.endVector();
}

function int32Vector(b: Builder, values: readonly number[]): Offset {
  b.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) b.addInt32(values[i]!);
  return b.endVector();
}

function float32Vector(b: Builder, values: readonly number[]): Offset {
  b.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) b.addFloat32(values[i]!);
  return b.endVector();
}
