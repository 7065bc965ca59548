// A strict reader for NumPy .npy files (format versions 1.0, 2.0 and 3.0):
// little-endian (or byte-sized) numeric dtypes in C order only, so what is
// read is exactly what numpy.save wrote.
// https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html

import { TinymlError } from "../../errors.js";
import { dtypeBytes, type DType } from "../../model/dtype.js";

export interface NpyArray {
  dtype: DType;
  shape: number[];
  /** The element bytes, little-endian, C order. */
  data: Uint8Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

const DESCRS: Readonly<Record<string, DType>> = {
  "<f4": "float32",
  "|i1": "int8",
  "<i1": "int8",
  "|u1": "uint8",
  "<u1": "uint8",
  "<i2": "int16",
  "<i4": "int32",
  "<i8": "int64",
  "<u2": "uint16",
  "<u4": "uint32",
  "<u8": "uint64",
  "|b1": "bool",
};

function fail(file: string, message: string, hint?: string): never {
  throw new TinymlError("TML_E_INPUT_MISMATCH", `not a readable .npy file: ${message}`, {
    location: { file },
    hint: hint ?? "Write it with numpy.save(path, array) from a C-ordered little-endian array.",
  });
}

export function readNpy(bytes: Uint8Array, file: string): NpyArray {
  if (bytes.byteLength < 10 || MAGIC.some((b, i) => bytes[i] !== b)) fail(file, "missing the \\x93NUMPY magic");
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let headerStart: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.byteLength < 12) fail(file, "truncated header");
    headerLen = view.getUint32(8, true);
    headerStart = 12;
  } else {
    fail(file, `format version ${major}.${bytes[7]} is not supported (1.0, 2.0, 3.0 are)`);
  }
  if (headerStart + headerLen > bytes.byteLength) fail(file, "truncated header");
  const header = new TextDecoder(major === 3 ? "utf-8" : "latin1").decode(bytes.subarray(headerStart, headerStart + headerLen));

  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) fail(file, `malformed header ${JSON.stringify(header.trim())}`);
  if (fortran === "True") fail(file, "the array is in Fortran order", "Save np.ascontiguousarray(array) instead.");
  const dtype = DESCRS[descr];
  if (!dtype) {
    fail(file, `dtype '${descr}' is not supported`, "Use a little-endian float32, int8, uint8, int16, int32, int64 or bool array.");
  }
  const shape = shapeText
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => {
      if (!/^\d+$/.test(s)) fail(file, `bad shape entry '${s}'`);
      return Number(s);
    });
  const count = shape.reduce((a, b) => a * b, 1);
  const dataStart = headerStart + headerLen;
  const want = count * dtypeBytes(dtype);
  if (bytes.byteLength - dataStart !== want) {
    fail(file, `header says ${dtype} [${shape.join(", ")}] (${want} bytes) but ${bytes.byteLength - dataStart} bytes follow`);
  }
  return { dtype, shape, data: bytes.slice(dataStart) };
}
