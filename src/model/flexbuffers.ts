// A bounds-checked reader for the FlexBuffer maps TFLite custom ops carry as
// options (flexbuffers.h: the root is a map whose values vector sits next to
// a typed vector of sorted keys). Only what TFLM's FlexbufferWrapper
// (tensorflow/lite/micro/flatbuffer_utils.cc) reads is supported: inline
// integer and boolean scalars, addressed by their index in key order. Every
// offset is checked against the buffer, so a truncated or corrupt buffer is a
// TML_E_MODEL_INVALID error, never an out-of-range read.

import { TinymlError } from "../errors.js";

// flexbuffers::Type values this reader cares about.
const FBT_INT = 1;
const FBT_UINT = 2;
const FBT_MAP = 9;
const FBT_BOOL = 26;

export interface FlexEntry {
  key: string;
  /** flexbuffers::Type of the value. */
  type: number;
  /** Byte offset of the value's inline slot (width = the map's byteWidth). */
  offset: number;
}

export interface FlexMap {
  bytes: Uint8Array;
  byteWidth: number;
  /** In stored order, which FlexBuffers keeps sorted by key. */
  entries: FlexEntry[];
}

function invalid(message: string): never {
  throw new TinymlError("TML_E_MODEL_INVALID", `custom options: ${message}`, {
    hint: "The op's flexbuffer options are malformed; re-export the model with the TFLM signal library's Python ops.",
  });
}

function checkRange(buf: Uint8Array, offset: number, width: number, what: string): void {
  if (!Number.isInteger(offset) || offset < 0 || offset + width > buf.length) {
    invalid(`${what} at byte ${offset} (+${width}) is outside the ${buf.length}-byte buffer`);
  }
}

/** Little-endian unsigned read of 1, 2, 4 or 8 bytes (flexbuffers::ReadUInt64), as bigint. */
function readUBig(buf: Uint8Array, offset: number, width: number, what: string): bigint {
  checkRange(buf, offset, width, what);
  let v = 0n;
  for (let k = width - 1; k >= 0; k--) v = (v << 8n) | BigInt(buf[offset + k]!);
  return v;
}

function readUSize(buf: Uint8Array, offset: number, width: number, what: string): number {
  const v = readUBig(buf, offset, width, what);
  if (v > BigInt(buf.length)) invalid(`${what} (${v}) is larger than the buffer`);
  return Number(v);
}

function checkWidth(w: number, what: string): number {
  if (w !== 1 && w !== 2 && w !== 4 && w !== 8) invalid(`${what} byte width ${w} is not 1, 2, 4 or 8`);
  return w;
}

function readKey(buf: Uint8Array, at: number): string {
  checkRange(buf, at, 1, "key");
  let end = at;
  while (end < buf.length && buf[end] !== 0) end++;
  if (end >= buf.length) invalid(`key at byte ${at} is not NUL-terminated`);
  return new TextDecoder().decode(buf.subarray(at, end));
}

/** Parses the root map of a FlexBuffer (flexbuffers::GetRoot(...).AsMap()). */
export function readFlexMap(bytes: Uint8Array): FlexMap {
  const n = bytes.length;
  if (n < 3) invalid(`${n} bytes is too short for a flexbuffer`);
  const rootWidth = checkWidth(bytes[n - 1]!, "root");
  const rootType = bytes[n - 2]!;
  if (rootType >> 2 !== FBT_MAP) invalid(`the root is of type ${rootType >> 2}, not a map`);
  const rootAt = n - 2 - rootWidth;
  const mapAt = rootAt - readUSize(bytes, rootAt, rootWidth, "root offset");
  const byteWidth = checkWidth(1 << (rootType & 3), "map");
  const count = readUSize(bytes, mapAt - byteWidth, byteWidth, "map length");
  checkRange(bytes, mapAt, count * byteWidth + count, "map values");
  const keysSlot = mapAt - 3 * byteWidth;
  const keysAt = keysSlot - readUSize(bytes, keysSlot, byteWidth, "keys offset");
  const keyWidth = checkWidth(readUSize(bytes, mapAt - 2 * byteWidth, byteWidth, "keys byte width"), "keys");
  const keyCount = readUSize(bytes, keysAt - keyWidth, keyWidth, "keys length");
  if (keyCount !== count) invalid(`the map has ${count} values but ${keyCount} keys`);
  checkRange(bytes, keysAt, count * keyWidth, "keys");
  const entries: FlexEntry[] = [];
  for (let i = 0; i < count; i++) {
    const slot = keysAt + i * keyWidth;
    const key = readKey(bytes, slot - readUSize(bytes, slot, keyWidth, `key ${i} offset`));
    const packed = bytes[mapAt + count * byteWidth + i]!;
    entries.push({ key, type: packed >> 2, offset: mapAt + i * byteWidth });
  }
  return { bytes, byteWidth, entries };
}

function entryAt(map: FlexMap, index: number, key: string): FlexEntry {
  const e = map.entries[index];
  if (!e) invalid(`'${key}' (element ${index}) is missing: the map has ${map.entries.length} elements`);
  if (e.key !== key) invalid(`element ${index} is '${e.key}', expected '${key}'`);
  if (e.type !== FBT_INT && e.type !== FBT_UINT && e.type !== FBT_BOOL) {
    invalid(`'${key}' has flexbuffer type ${e.type}, expected an inline int, uint or bool`);
  }
  return e;
}

/** FlexbufferWrapper::ElementAsInt32: the element's bits as int64, truncated to int32. */
export function flexInt32(map: FlexMap, index: number, key: string): number {
  const e = entryAt(map, index, key);
  const raw = readUBig(map.bytes, e.offset, map.byteWidth, `'${key}'`);
  return Number(BigInt.asIntN(32, BigInt.asIntN(map.byteWidth * 8, raw)));
}

/** FlexbufferWrapper::ElementAsBool: the element's bits as uint64, != 0. */
export function flexBool(map: FlexMap, index: number, key: string): boolean {
  const e = entryAt(map, index, key);
  return readUBig(map.bytes, e.offset, map.byteWidth, `'${key}'`) !== 0n;
}
