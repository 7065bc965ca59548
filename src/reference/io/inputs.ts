// Reading model inputs from files for `tinyml predict` and tests: raw .bin
// tensor bytes, .npy arrays, .json (nested or flat) number arrays, or ONNX
// TensorProto .pb files (the ONNX test-data format) — each checked against
// the input tensor's dtype and shape. The ONNX schema is imported for a .pb
// file only: loading it costs every command's start-up ~100 ms otherwise.

import { extname } from "node:path";
import { TinymlError } from "../../errors.js";
import { allocTyped, bytesOf, dtypeBytes } from "../../model/dtype.js";
import { numElements } from "../../model/graph.js";
import type { Tensor } from "../../model/ir.js";
import { readInputFile } from "../../util/files.js";
import { readNpy } from "./npy.js";

function describe(t: Tensor): string {
  return `${t.dtype} [${t.shape.join(", ")}]`;
}

function mismatch(file: string, t: Tensor, found: string): never {
  throw new TinymlError("TML_E_INPUT_MISMATCH", `input file does not fit input '${t.name}': expected ${describe(t)}, found ${found}`, {
    location: { file },
    hint: `Give ${numElements(t.shape)} ${t.dtype} value(s) (${numElements(t.shape) * dtypeBytes(t.dtype)} bytes as .bin, or a .npy/.json array of that shape).`,
  });
}

/** Shapes match when equal, or equal once dims of size 1 are dropped (e.g. a missing batch dim). */
function shapesCompatible(a: readonly number[], b: readonly number[]): boolean {
  const sa = a.filter((d) => d !== 1);
  const sb = b.filter((d) => d !== 1);
  return sa.length === sb.length && sa.every((d, i) => d === sb[i]);
}

/** Flattens nested arrays, returning the values and the nesting shape (if regular). */
function flattenJson(value: unknown, file: string, t: Tensor): { values: number[]; shape: number[] } {
  const values: number[] = [];
  let shape: number[] | undefined;
  const walk = (v: unknown, depth: number, dims: number[]): void => {
    if (Array.isArray(v)) {
      for (const x of v) walk(x, depth + 1, [...dims, v.length]);
      if (v.length === 0 && shape === undefined) shape = [...dims, 0];
      return;
    }
    if (typeof v !== "number" || !Number.isFinite(v)) mismatch(file, t, `a non-number value ${JSON.stringify(v)}`);
    if (shape === undefined) shape = dims;
    else if (shape.length !== dims.length || shape.some((d, i) => d !== dims[i])) mismatch(file, t, "ragged nested arrays");
    values.push(v);
  };
  walk(value, 0, []);
  return { values, shape: shape ?? [] };
}

function integerRange(dtype: Tensor["dtype"]): [number, number] | undefined {
  switch (dtype) {
    case "int8": return [-128, 127];
    case "uint8": return [0, 255];
    case "bool": return [0, 1];
    case "int16": return [-32768, 32767];
    case "uint16": return [0, 65535];
    case "int32": return [-2147483648, 2147483647];
    case "uint32": return [0, 4294967295];
    case "int64": return [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];
    case "uint64": return [0, Number.MAX_SAFE_INTEGER];
    default: return undefined;
  }
}

/** The raw little-endian bytes of one model input, read from `file` and checked against `t`. */
export async function readInputTensor(file: string, t: Tensor): Promise<Uint8Array> {
  const bytes = readInputFile(file, "input file");
  const n = numElements(t.shape);
  const ext = extname(file).toLowerCase();
  if (ext === ".npy") {
    const arr = readNpy(bytes, file);
    if (arr.dtype !== t.dtype || !shapesCompatible(arr.shape, t.shape)) mismatch(file, t, `${arr.dtype} [${arr.shape.join(", ")}]`);
    return arr.data;
  }
  if (ext === ".pb") {
    const { hostTensor, parseTensorProto } = await import("../../model/onnx/proto.js");
    const h = hostTensor(parseTensorProto(bytes, file), file, file);
    // int64 ONNX tensors are the IR's int32 ones (tinyml's integer inputs are at most 32 bits).
    const same = h.dtype === t.dtype || (h.dtype === "int64" && t.dtype === "int32");
    if (!same || !shapesCompatible(h.shape, t.shape)) mismatch(file, t, `an ONNX TensorProto of ${h.dtype} [${h.shape.join(", ")}]`);
    const out = allocTyped(t.dtype, n);
    h.values.forEach((v, i) => (out[i] = v as never));
    return bytesOf(out);
  }
  if (ext === ".json") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(bytes));
    } catch (e) {
      mismatch(file, t, `invalid JSON (${(e as Error).message})`);
    }
    const { values, shape } = flattenJson(parsed, file, t);
    if (values.length !== n || (shape.length > 1 && !shapesCompatible(shape, t.shape))) {
      mismatch(file, t, `${values.length} values${shape.length > 1 ? ` shaped [${shape.join(", ")}]` : ""}`);
    }
    const range = integerRange(t.dtype);
    const out = allocTyped(t.dtype, n);
    values.forEach((v, i) => {
      if (range && (!Number.isInteger(v) || v < range[0] || v > range[1])) mismatch(file, t, `value ${v} at index ${i}, not a ${t.dtype}`);
      if (out instanceof BigInt64Array || out instanceof BigUint64Array) out[i] = BigInt(v);
      else out[i] = v;
    });
    return bytesOf(out);
  }
  const want = n * dtypeBytes(t.dtype);
  if (bytes.byteLength !== want) mismatch(file, t, `${bytes.byteLength} bytes of raw data (${want} expected)`);
  return bytes;
}
