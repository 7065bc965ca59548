// ONNX protobuf messages (the ONNX schema compiled for @bufbuild/protobuf,
// from the onnx-buf package) and TensorProto → typed host arrays. A
// TensorProto keeps its values in raw_data (little-endian) or in a
// type-specific repeated field, or in an external file beside the model.

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fromBinary } from "@bufbuild/protobuf";
import {
  ModelProtoSchema, TensorProtoSchema, TensorProto_DataType as OnnxType,
  type ModelProto, type TensorProto,
} from "onnx-buf";
import { TinymlError } from "../../errors.js";
import { numElements } from "../graph.js";

export { OnnxType };
export type { AttributeProto, GraphProto, ModelProto, NodeProto, TensorProto, ValueInfoProto } from "onnx-buf";

/** Element types tinyml computes with, by ONNX data type. */
export type HostType = "float32" | "int8" | "uint8" | "int16" | "int32" | "int64" | "bool";

export const HOST_TYPES: Partial<Record<OnnxType, HostType>> = {
  [OnnxType.FLOAT]: "float32",
  [OnnxType.INT8]: "int8",
  [OnnxType.UINT8]: "uint8",
  [OnnxType.INT16]: "int16",
  [OnnxType.INT32]: "int32",
  [OnnxType.INT64]: "int64",
  [OnnxType.BOOL]: "bool",
  // Doubles are read and computed as float32, like every other float tinyml runs.
  [OnnxType.DOUBLE]: "float32",
};

export function onnxTypeName(t: number): string {
  return OnnxType[t] ?? `type ${t}`;
}

/** A constant's values in ONNX (row-major) order. Integers, int64 included, are JS numbers. */
export interface HostTensor {
  dtype: HostType;
  shape: number[];
  values: Float32Array | Float64Array;
  /** For a dequantized constant (DequantizeLinear of an initializer): its quantized form. */
  quant?: HostQuant;
}

export interface HostQuant {
  /** The stored integers, same order and shape as `values`. */
  values: Float32Array | Float64Array;
  dtype: "int8" | "uint8" | "int16" | "int32";
  scale: number[];
  zeroPoint: number[];
  /** The axis of per-axis parameters (ONNX order). */
  axis: number;
}

export function parseModelProto(bytes: Uint8Array): ModelProto {
  try {
    return fromBinary(ModelProtoSchema, bytes);
  } catch (e) {
    throw new TinymlError("TML_E_MODEL_INVALID", `not a readable ONNX model: ${(e as Error).message}`, {
      hint: "The file is truncated or is not an ONNX ModelProto; export it again (torch.onnx.export, tf2onnx).",
    });
  }
}

export function parseTensorProto(bytes: Uint8Array, what: string): TensorProto {
  try {
    return fromBinary(TensorProtoSchema, bytes);
  } catch (e) {
    throw new TinymlError("TML_E_INPUT_MISMATCH", `${what} is not a readable ONNX TensorProto: ${(e as Error).message}`, {
      hint: "Write it with onnx.numpy_helper.from_array(array).SerializeToString().",
    });
  }
}

const RAW_BYTES: Record<HostType, number> = { float32: 4, int8: 1, uint8: 1, int16: 2, int32: 4, int64: 8, bool: 1 };

function rawValues(t: TensorProto, dtype: HostType, n: number, raw: Uint8Array, name: string): Float32Array | Float64Array {
  const double = t.dataType === OnnxType.DOUBLE;
  const size = double ? 8 : RAW_BYTES[dtype];
  if (raw.byteLength !== n * size) {
    throw new TinymlError("TML_E_MODEL_INVALID", `tensor '${name}' holds ${raw.byteLength} bytes, shape [${t.dims.join(", ")}] of ${onnxTypeName(t.dataType)} needs ${n * size}`, {
      hint: "The model is corrupt; export it again.",
    });
  }
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out = dtype === "float32" ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (double) out[i] = v.getFloat64(i * 8, true);
    else {
      switch (dtype) {
        case "float32": out[i] = v.getFloat32(i * 4, true); break;
        case "int8": out[i] = v.getInt8(i); break;
        case "uint8":
        case "bool": out[i] = v.getUint8(i); break;
        case "int16": out[i] = v.getInt16(i * 2, true); break;
        case "int32": out[i] = v.getInt32(i * 4, true); break;
        case "int64": out[i] = Number(v.getBigInt64(i * 8, true)); break;
      }
    }
  }
  return out;
}

function externalBytes(t: TensorProto, modelPath: string | undefined, name: string): Uint8Array {
  const kv = Object.fromEntries(t.externalData.map((e) => [e.key, e.value]));
  if (!kv.location || !modelPath) {
    throw new TinymlError("TML_E_MODEL_INVALID", `tensor '${name}' keeps its data in an external file without a location`, { hint: "Save the model with its data inside (onnx.save(model, path, save_as_external_data=False))." });
  }
  const file = join(dirname(modelPath), kv.location);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(file));
  } catch {
    throw new TinymlError("TML_E_FILE_NOT_FOUND", `tensor '${name}' keeps its data in ${file}, which cannot be read`, {
      location: { file },
      hint: "Copy the model's external data file next to it.",
    });
  }
  const offset = Number(kv.offset ?? 0);
  const length = kv.length !== undefined ? Number(kv.length) : bytes.byteLength - offset;
  return bytes.subarray(offset, offset + length);
}

/** A TensorProto's values; `modelPath` resolves external data. */
export function hostTensor(t: TensorProto, modelPath?: string, what?: string): HostTensor {
  const name = what ?? t.name;
  const dtype = HOST_TYPES[t.dataType as OnnxType];
  if (!dtype) {
    throw new TinymlError("TML_E_DTYPE_UNSUPPORTED", `tensor '${name}' has type ${onnxTypeName(t.dataType)}, which tinyml does not compute with`, {
      hint: "tinyml reads FLOAT (and DOUBLE as float), INT8, UINT8, INT16, INT32, INT64 and BOOL tensors.",
    });
  }
  const shape = t.dims.map(Number);
  const n = numElements(shape);
  let values: Float32Array | Float64Array;
  if (t.dataLocation === 1) values = rawValues(t, dtype, n, externalBytes(t, modelPath, name), name);
  else if (t.rawData.byteLength > 0 || n === 0) values = rawValues(t, dtype, n, t.rawData, name);
  else {
    const src: ArrayLike<number | bigint> =
      t.dataType === OnnxType.FLOAT ? t.floatData
        : t.dataType === OnnxType.DOUBLE ? t.doubleData
          : t.dataType === OnnxType.INT64 ? t.int64Data
            : t.int32Data;
    if (src.length !== n) {
      throw new TinymlError("TML_E_MODEL_INVALID", `tensor '${name}' holds ${src.length} values, shape [${shape.join(", ")}] needs ${n}`, {
        hint: "The model is corrupt; export it again.",
      });
    }
    values = dtype === "float32" ? new Float32Array(n) : new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = Number(src[i]!);
  }
  return { dtype, shape, values };
}
