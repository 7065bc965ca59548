// Tensor element types. `DType` is what tinyml computes with; TFLite's
// TensorType enum has more members, which the reader names in its error.

// uint16/uint32/uint64 appear in TFLM's signal-library models (energies,
// filter-bank accumulators), so the IR carries them too.
export const DTYPES = [
  "float32", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64", "bool",
] as const;
export type DType = (typeof DTYPES)[number];

/** TFLite's TensorType enum, in schema order (index = enum value). */
export const TFLITE_TENSOR_TYPES = [
  "float32", "float16", "int32", "uint8", "int64", "string", "bool", "int16", "complex64", "int8",
  "float64", "complex128", "uint64", "resource", "variant", "uint32", "uint16", "int4", "bfloat16",
  "int2", "uint4", "float8_e4m3fn", "float8_e5m2",
] as const;
export type TfliteTensorTypeName = (typeof TFLITE_TENSOR_TYPES)[number];

const BYTES: Record<DType, number> = {
  float32: 4, int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, int64: 8, uint64: 8, bool: 1,
};

export function dtypeBytes(dtype: DType): number {
  return BYTES[dtype];
}

export function isDType(name: string): name is DType {
  return (DTYPES as readonly string[]).includes(name);
}

export function tfliteTypeCode(name: TfliteTensorTypeName): number {
  return TFLITE_TENSOR_TYPES.indexOf(name);
}

export type TypedArrayFor<D extends DType> = D extends "float32"
  ? Float32Array
  : D extends "int8"
    ? Int8Array
    : D extends "uint8" | "bool"
      ? Uint8Array
      : D extends "int16"
        ? Int16Array
        : D extends "uint16"
          ? Uint16Array
          : D extends "int32"
            ? Int32Array
            : D extends "uint32"
              ? Uint32Array
              : D extends "int64"
                ? BigInt64Array
                : BigUint64Array;

export type NumericArray =
  | Float32Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array
  | BigInt64Array | BigUint64Array;

/**
 * A typed view of little-endian tensor bytes. Copies when the bytes are not
 * aligned for the element type (flatbuffer vectors are only 4/16-aligned
 * relative to the file, and the file may sit anywhere in memory).
 */
export function typedView<D extends DType>(dtype: D, bytes: Uint8Array): TypedArrayFor<D> {
  const size = BYTES[dtype];
  let src = bytes;
  if (src.byteOffset % size !== 0) src = bytes.slice();
  const n = src.byteLength / size;
  switch (dtype) {
    case "float32": return new Float32Array(src.buffer, src.byteOffset, n) as TypedArrayFor<D>;
    case "int8": return new Int8Array(src.buffer, src.byteOffset, n) as TypedArrayFor<D>;
    case "uint8":
    case "bool": return new Uint8Array(src.buffer, src.byteOffset, n) as TypedArrayFor<D>;
    case "int16": return new Int16Array(src.buffer, src.byteOffset, n) as TypedArrayFor<D>;
    case "uint16": return new Uint16Array(src.buffer, src.byteOffset, n) as TypedArrayFor<D>;
    case "int32": return new Int32Array(src.buffer, src.byteOffset, n) as TypedArrayFor<D>;
    case "uint32": return new Uint32Array(src.buffer, src.byteOffset, n) as TypedArrayFor<D>;
    case "int64": return new BigInt64Array(src.buffer, src.byteOffset, n) as TypedArrayFor<D>;
    default: return new BigUint64Array(src.buffer, src.byteOffset, n) as TypedArrayFor<D>;
  }
}

/** A zero-filled typed array of `n` elements of `dtype`. */
export function allocTyped<D extends DType>(dtype: D, n: number): TypedArrayFor<D> {
  return typedView(dtype, new Uint8Array(n * BYTES[dtype]));
}

/** The little-endian bytes behind a typed array (no copy). */
export function bytesOf(a: NumericArray): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}
