// .tflite → IR. Every offset and index is checked as it is read (see
// CheckedBuffer); afterwards verify.ts checks the graph's meaning (shapes,
// buffer sizes, arity, execution order). Either step fails with a
// TML_E_MODEL_INVALID (or _UNSUPPORTED) error saying what and where.

import { TinymlError } from "../../errors.js";
import { DTYPES, isDType, TFLITE_TENSOR_TYPES, type TfliteTensorTypeName } from "../dtype.js";
import type { Graph, Metadata, Model, Op, Quantization, Signature, SignatureTensor, Tensor } from "../ir.js";
import {
  ACTIVATIONS, builtinByCode, FC_WEIGHTS_FORMATS, fieldDefault, OPS, PADDINGS, TFLITE_BUILTIN_NAMES,
  type BuiltinOpType, type FieldSpec, type OptionsSpec,
} from "../ops.js";
import { CheckedBuffer, type Table } from "../flatbuf/checked-buffer.js";
import {
  BufferSlot, CUSTOM_CODE, FILE_IDENTIFIER, MetadataSlot, ModelSlot, OperatorCodeSlot, OperatorSlot,
  QuantizationSlot, SCHEMA_VERSION, SignatureDefSlot, SubGraphSlot, TensorMapSlot, TensorSlot,
} from "./schema.js";
import { verifyModel } from "./verify.js";

type OpCode = { kind: "builtin"; type: BuiltinOpType; version: number } | { kind: "custom"; name: string; version: number };

interface Context {
  buf: CheckedBuffer;
  file: string | undefined;
  buffers: Array<Uint8Array | undefined>;
  opcodes: OpCode[];
}

export function readTflite(bytes: Uint8Array, file?: string): Model {
  const buf = new CheckedBuffer(bytes, file);
  if (bytes.byteLength < 8) buf.fail(`the file is only ${bytes.byteLength} byte(s) long`, "header");
  const ident = String.fromCharCode(...bytes.subarray(4, 8));
  if (ident !== FILE_IDENTIFIER) {
    throw new TinymlError("TML_E_MODEL_INVALID", `not a TensorFlow Lite model: file identifier is ${JSON.stringify(ident)}, expected "${FILE_IDENTIFIER}"`, {
      location: { file, detail: "bytes 4-7" },
      hint: "Pass a .tflite flatbuffer, or a TF.js Layers model.json.",
    });
  }
  const root = buf.root("model");
  const version = root.u32(ModelSlot.version);
  if (version !== SCHEMA_VERSION) buf.fail(`schema version ${version} is not supported (expected ${SCHEMA_VERSION})`, "model.version");

  const ctx: Context = { buf, file, buffers: readBuffers(root, buf), opcodes: [] };
  ctx.opcodes = readOpcodes(root, ctx);
  const graphs = root.tables(ModelSlot.subgraphs, "subgraphs").map((t, i) => readGraph(t, i, ctx));
  const model: Model = {
    version,
    description: root.string(ModelSlot.description, "description") ?? "",
    graphs,
    metadata: readMetadata(root, ctx),
    signatures: readSignatures(root, graphs, ctx),
  };
  verifyModel(model, file);
  return model;
}

function readBuffers(root: Table, buf: CheckedBuffer): Array<Uint8Array | undefined> {
  return root.tables(ModelSlot.buffers, "buffers").map((t) => {
    const offset = t.u64(BufferSlot.offset);
    // Models over 2 GB keep data outside the flatbuffer, addressed from the
    // file start; offset 1 is the converter's "not set" sentinel.
    if (offset > 1n) {
      const size = t.u64(BufferSlot.size);
      const start = Number(offset);
      const n = Number(size);
      buf.checkRange(start, n, `${t.where} (external data)`);
      return n > 0 ? buf.bytes.subarray(start, start + n) : undefined;
    }
    const data = t.bytes(BufferSlot.data, "data");
    return data && data.byteLength > 0 ? data : undefined;
  });
}

function readOpcodes(root: Table, ctx: Context): OpCode[] {
  const unsupported: string[] = [];
  const codes = root.tables(ModelSlot.operatorCodes, "operator_codes").map((t, i): OpCode => {
    // The schema moved op codes from a byte to an int; readers take the max
    // of the two fields (tflite::GetBuiltinCode).
    const code = Math.max(t.i32(OperatorCodeSlot.builtinCode), t.i8(OperatorCodeSlot.deprecatedBuiltinCode));
    const version = t.i32(OperatorCodeSlot.version, 1);
    if (code === CUSTOM_CODE) {
      const name = t.string(OperatorCodeSlot.customCode, "custom_code");
      if (!name) ctx.buf.fail(`custom operator code ${i} has no name`, t.where);
      return { kind: "custom", name, version };
    }
    const type = builtinByCode(code);
    if (type) return { kind: "builtin", type, version };
    const known = TFLITE_BUILTIN_NAMES[code];
    if (known === undefined) {
      throw new TinymlError("TML_E_MODEL_UNSUPPORTED", `unknown builtin operator code ${code}`, {
        location: { file: ctx.file, detail: t.where },
        hint: "The model names an op code newer than the TFLite schema tinyml knows (or the file is corrupt). Re-convert with an older TensorFlow, or open an issue with the op code.",
      });
    }
    unsupported.push(`${known} (builtin code ${code})`);
    return { kind: "custom", name: `__unsupported_${code}`, version };
  });
  if (unsupported.length > 0) {
    throw new TinymlError("TML_E_OP_UNSUPPORTED", `the model uses operator(s) tinyml does not support yet: ${unsupported.join(", ")}`, {
      location: { file: ctx.file, detail: "operator_codes" },
      hint: `Supported builtin ops: ${Object.keys(OPS).join(", ")}, plus custom ops by name. Re-export the model without these ops, or open an issue naming them.`,
    });
  }
  return codes;
}

function readGraph(t: Table, gi: number, ctx: Context): Graph {
  const tensors = t.tables(SubGraphSlot.tensors, "tensors").map((tt, i) => readTensor(tt, `subgraph ${gi}, tensor ${i}`, ctx));
  return {
    name: t.string(SubGraphSlot.name, "name") ?? "",
    tensors,
    inputs: t.i32s(SubGraphSlot.inputs, "inputs"),
    outputs: t.i32s(SubGraphSlot.outputs, "outputs"),
    ops: t.tables(SubGraphSlot.operators, "operators").map((ot, i) => readOp(ot, `subgraph ${gi}, op ${i}`, ctx)),
  };
}

function tensorTypeName(code: number): TfliteTensorTypeName | undefined {
  return TFLITE_TENSOR_TYPES[code];
}

function readTensor(t: Table, where: string, ctx: Context): Tensor {
  const name = t.string(TensorSlot.name, "name") ?? "";
  const typeCode = t.i8(TensorSlot.type);
  const typeName = tensorTypeName(typeCode);
  if (typeName === undefined) ctx.buf.fail(`unknown tensor type ${typeCode}`, `${where} '${name}'`);
  if (!isDType(typeName)) {
    throw new TinymlError("TML_E_DTYPE_UNSUPPORTED", `tensor type ${typeName} is not supported`, {
      location: { file: ctx.file, detail: `${where} '${name}'` },
      hint: `tinyml handles ${DTYPES.join(", ")} tensors.`,
    });
  }
  const bufferIndex = t.u32(TensorSlot.buffer);
  if (bufferIndex >= ctx.buffers.length && bufferIndex !== 0) {
    ctx.buf.fail(`buffer index ${bufferIndex} is out of range (the model has ${ctx.buffers.length} buffers)`, `${where} '${name}'`);
  }
  const tensor: Tensor = {
    name,
    dtype: typeName,
    shape: t.i32s(TensorSlot.shape, "shape"),
    isVariable: t.bool(TensorSlot.isVariable),
  };
  if (t.has(TensorSlot.shapeSignature)) tensor.shapeSignature = t.i32s(TensorSlot.shapeSignature, "shape_signature");
  const data = ctx.buffers[bufferIndex];
  if (data) tensor.data = data;
  const q = t.table(TensorSlot.quantization, "quantization");
  const quant = q ? readQuantization(q) : undefined;
  if (quant) tensor.quantization = quant;
  return tensor;
}

function readQuantization(q: Table): Quantization | undefined {
  const scale = q.f32s(QuantizationSlot.scale, "scale");
  const min = q.f32s(QuantizationSlot.min, "min");
  const max = q.f32s(QuantizationSlot.max, "max");
  if (scale.length === 0 && min.length === 0 && max.length === 0) return undefined;
  const zp = q.i64s(QuantizationSlot.zeroPoint, "zero_point");
  const out: Quantization = {
    scale,
    // Zero points are int64 in the schema but always fit int32 in practice;
    // out-of-range ones become NaN for the verifier to report. A missing
    // zero-point vector means zeros.
    zeroPoint: zp.length === 0 ? scale.map(() => 0) : zp.map((z) => (z >= -(2n ** 31n) && z < 2n ** 31n ? Number(z) : Number.NaN)),
    axis: q.i32(QuantizationSlot.quantizedDimension),
  };
  if (min.length > 0) out.min = min;
  if (max.length > 0) out.max = max;
  return out;
}

function readOp(t: Table, where: string, ctx: Context): Op {
  const index = t.u32(OperatorSlot.opcodeIndex);
  const code = ctx.opcodes[index];
  if (!code) ctx.buf.fail(`operator code index ${index} is out of range (the model has ${ctx.opcodes.length})`, where);
  const common = {
    inputs: t.i32s(OperatorSlot.inputs, "inputs"),
    outputs: t.i32s(OperatorSlot.outputs, "outputs"),
    version: code.version,
    ...(t.has(OperatorSlot.intermediates) ? { intermediates: t.i32s(OperatorSlot.intermediates, "intermediates") } : {}),
  };
  if (code.kind === "custom") {
    return { kind: "custom", name: code.name, customOptions: readCustomOptions(t, where, ctx), ...common };
  }
  return { kind: "builtin", type: code.type, options: readOptions(t, code.type, where, ctx), ...common } as Op;
}

function readCustomOptions(t: Table, where: string, ctx: Context): Uint8Array {
  const format = t.i8(OperatorSlot.customOptionsFormat);
  if (format !== 0) ctx.buf.fail(`custom options format ${format} is unknown (only FLEXBUFFERS = 0 exists)`, where);
  const largeOffset = t.u64(OperatorSlot.largeCustomOptionsOffset);
  if (largeOffset > 1n) {
    const start = Number(largeOffset);
    const n = Number(t.u64(OperatorSlot.largeCustomOptionsSize));
    ctx.buf.checkRange(start, n, `${where} (large custom options)`);
    return ctx.buf.bytes.subarray(start, start + n);
  }
  return t.bytes(OperatorSlot.customOptions, "custom_options") ?? new Uint8Array(0);
}

function readOptions(t: Table, type: BuiltinOpType, where: string, ctx: Context): Record<string, unknown> {
  const spec: OptionsSpec | null = OPS[type].options;
  const out: Record<string, unknown> = {};
  const unionType = t.u8(OperatorSlot.builtinOptionsType);
  if (!spec) {
    if (unionType !== 0) ctx.buf.fail(`${type} takes no options but has options table type ${unionType}`, where);
    return out;
  }
  if (unionType !== 0 && unionType !== spec.union) {
    ctx.buf.fail(`${type} expects ${spec.table} (union type ${spec.union}) but has options type ${unionType}`, where);
  }
  const table = unionType === 0 ? undefined : t.table(OperatorSlot.builtinOptions, spec.table);
  for (const [name, f] of Object.entries(spec.fields)) {
    out[name] = table ? readField(table, f, `${where} ${spec.table}.${name}`, ctx) : fieldDefault(f);
  }
  return out;
}

function readField(t: Table, f: FieldSpec, where: string, ctx: Context): unknown {
  const enumName = <T extends string>(names: readonly T[], v: number): T => {
    const n = names[v];
    if (n === undefined) ctx.buf.fail(`enum value ${v} is out of range`, where);
    return n;
  };
  switch (f.kind) {
    case "int32": return t.i32(f.slot, f.def);
    // + 0 turns -0 into 0: equal in meaning, and the writer omits both as the default
    case "float32": return t.f32(f.slot, f.def) + 0;
    case "bool": return t.bool(f.slot, f.def);
    case "int32[]": return t.i32s(f.slot, where);
    case "activation": return enumName(ACTIVATIONS, t.i8(f.slot));
    case "padding": return enumName(PADDINGS, t.i8(f.slot));
    case "fcWeightsFormat": return enumName(FC_WEIGHTS_FORMATS, t.i8(f.slot));
    case "tensorType": return enumName(TFLITE_TENSOR_TYPES, t.i8(f.slot));
  }
}

function readMetadata(root: Table, ctx: Context): Metadata[] {
  return root.tables(ModelSlot.metadata, "metadata").map((t) => {
    const index = t.u32(MetadataSlot.buffer);
    if (index >= ctx.buffers.length) ctx.buf.fail(`metadata buffer index ${index} is out of range`, t.where);
    return { name: t.string(MetadataSlot.name, "name") ?? "", data: ctx.buffers[index] ?? new Uint8Array(0) };
  });
}

function readSignatures(root: Table, graphs: Graph[], ctx: Context): Signature[] {
  return root.tables(ModelSlot.signatureDefs, "signature_defs").map((t) => {
    const graph = t.u32(SignatureDefSlot.subgraphIndex);
    const g = graphs[graph];
    if (!g) ctx.buf.fail(`signature subgraph index ${graph} is out of range`, t.where);
    const maps = (slot: number, what: string): SignatureTensor[] =>
      t.tables(slot, what).map((m) => {
        const tensor = m.u32(TensorMapSlot.tensorIndex);
        if (tensor >= g.tensors.length) ctx.buf.fail(`signature tensor index ${tensor} is out of range`, m.where);
        return { name: m.string(TensorMapSlot.name, "name") ?? "", tensor };
      });
    return {
      key: t.string(SignatureDefSlot.signatureKey, "signature_key") ?? "",
      graph,
      inputs: maps(SignatureDefSlot.inputs, "inputs"),
      outputs: maps(SignatureDefSlot.outputs, "outputs"),
    };
  });
}
