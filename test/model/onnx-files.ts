// Writes ONNX models and TensorProto files for the tests, with the ONNX
// schema (onnx-buf) and @bufbuild/protobuf: the same library the loader
// reads with, but the messages are built here field by field as the ONNX
// spec defines them, and onnxruntime reads the same bytes as the oracle.

import { create, toBinary } from "@bufbuild/protobuf";
import {
  AttributeProto_AttributeType as A, AttributeProtoSchema, GraphProtoSchema, ModelProtoSchema, NodeProtoSchema,
  TensorProtoSchema, TensorProto_DataType as T, ValueInfoProtoSchema,
  type AttributeProto, type NodeProto, type TensorProto, type ValueInfoProto,
} from "onnx-buf";

type AttrValue = number | number[] | string | { float: number } | { floats: number[] } | TensorProto;

function attr(name: string, v: AttrValue): AttributeProto {
  if (typeof v === "string") return create(AttributeProtoSchema, { name, type: A.STRING, s: new TextEncoder().encode(v) });
  if (typeof v === "number") return create(AttributeProtoSchema, { name, type: A.INT, i: BigInt(v) });
  if (Array.isArray(v)) return create(AttributeProtoSchema, { name, type: A.INTS, ints: v.map(BigInt) });
  if ("float" in v) return create(AttributeProtoSchema, { name, type: A.FLOAT, f: v.float });
  if ("floats" in v) return create(AttributeProtoSchema, { name, type: A.FLOATS, floats: v.floats });
  return create(AttributeProtoSchema, { name, type: A.TENSOR, t: v });
}

export function node(opType: string, inputs: string[], outputs: string[], attrs: Record<string, AttrValue> = {}): NodeProto {
  return create(NodeProtoSchema, { opType, input: inputs, output: outputs, name: outputs[0], attribute: Object.entries(attrs).map(([k, v]) => attr(k, v)) });
}

export function floatTensor(name: string, dims: number[], values: ArrayLike<number>): TensorProto {
  return create(TensorProtoSchema, { name, dims: dims.map(BigInt), dataType: T.FLOAT, floatData: Array.from(values) });
}

/** Little-endian raw_data, as exporters write large initializers. */
export function rawTensor(name: string, dims: number[], type: "int8" | "uint8" | "int32" | "int64" | "float32", values: ArrayLike<number>): TensorProto {
  const n = values.length;
  const size = { int8: 1, uint8: 1, int32: 4, int64: 8, float32: 4 }[type];
  const raw = new Uint8Array(n * size);
  const v = new DataView(raw.buffer);
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    if (type === "int8") v.setInt8(i, x);
    else if (type === "uint8") v.setUint8(i, x);
    else if (type === "int32") v.setInt32(i * 4, x, true);
    else if (type === "int64") v.setBigInt64(i * 8, BigInt(x), true);
    else v.setFloat32(i * 4, x, true);
  }
  const dataType = { int8: T.INT8, uint8: T.UINT8, int32: T.INT32, int64: T.INT64, float32: T.FLOAT }[type];
  return create(TensorProtoSchema, { name, dims: dims.map(BigInt), dataType, rawData: raw });
}

export function int64s(name: string, values: number[]): TensorProto {
  return rawTensor(name, [values.length], "int64", values);
}

function valueInfo(name: string, dims: Array<number | string>, elemType = T.FLOAT): ValueInfoProto {
  return create(ValueInfoProtoSchema, {
    name,
    type: {
      value: {
        case: "tensorType",
        value: {
          elemType,
          shape: { dim: dims.map((d) => ({ value: typeof d === "number" ? { case: "dimValue" as const, value: BigInt(d) } : { case: "dimParam" as const, value: d } })) },
        },
      },
    },
  });
}

export interface OnnxGraph {
  nodes: NodeProto[];
  inputs: Array<[string, Array<number | string>]>;
  outputs: Array<[string, Array<number | string>]>;
  initializers?: TensorProto[];
  opset?: number;
}

export function onnxModel(g: OnnxGraph): Uint8Array {
  const m = create(ModelProtoSchema, {
    irVersion: 8n,
    producerName: "tinyml-tests",
    opsetImport: [{ domain: "", version: BigInt(g.opset ?? 13) }],
    graph: create(GraphProtoSchema, {
      name: "test",
      node: g.nodes,
      input: g.inputs.map(([n, d]) => valueInfo(n, d)),
      output: g.outputs.map(([n, d]) => valueInfo(n, d)),
      initializer: g.initializers ?? [],
    }),
  });
  return toBinary(ModelProtoSchema, m);
}

export function tensorProtoFile(dims: number[], values: Float32Array): Uint8Array {
  return toBinary(TensorProtoSchema, rawTensor("", dims, "float32", values));
}
