// Body encoders and decoders for the layouts in protocol.ts. Decoders check
// every length against the body they read from and throw a typed
// TML_E_DEVICE_PROTOCOL error on a short or inconsistent body: a CRC-valid
// frame with a wrong layout means mismatched firmware, not line noise.
import { TinymlError } from "../errors.js";
import { FixedSize, HelloFlag, MAX_CHUNK, MAX_PROFILE_OPS_PER_FRAME, MAX_RUNS } from "./protocol.js";

class BodyReader {
  private pos = 0;
  private readonly view: DataView;
  constructor(private readonly body: Uint8Array, private readonly what: string) {
    this.view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  }
  private need(n: number): number {
    if (this.pos + n > this.body.length) {
      throw new TinymlError("TML_E_DEVICE_PROTOCOL", `the device sent a ${this.what} of ${this.body.length} bytes, too short for its layout`, {
        hint: "the firmware speaks a different protocol revision: rebuild and flash it with this tinyml",
      });
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }
  u8(): number { return this.body[this.need(1)]; }
  u16(): number { return this.view.getUint16(this.need(2), true); }
  u32(): number { return this.view.getUint32(this.need(4), true); }
  i32(): number { return this.view.getInt32(this.need(4), true); }
  f32(): number { return this.view.getFloat32(this.need(4), true); }
  bytes(n: number): Uint8Array { const at = this.need(n); return this.body.slice(at, at + n); }
  str(): string { return new TextDecoder().decode(this.bytes(this.u8())); }
  rest(): Uint8Array { return this.bytes(this.body.length - this.pos); }
  u32s(n: number): number[] { return Array.from({ length: n }, () => this.u32()); }
  end(): void {
    if (this.pos !== this.body.length) {
      throw new TinymlError("TML_E_DEVICE_PROTOCOL", `the device sent a ${this.what} with ${this.body.length - this.pos} unexpected trailing bytes`, {
        hint: "the firmware speaks a different protocol revision: rebuild and flash it with this tinyml",
      });
    }
  }
}

function body(size: number, fill: (v: DataView) => void): Uint8Array {
  const b = new Uint8Array(size);
  fill(new DataView(b.buffer));
  return b;
}

export interface Hello { version: number; boot: boolean; maxChunk: number }

export function decodeHello(b: Uint8Array): Hello {
  const r = new BodyReader(b, "HELLO response");
  const hello = { version: r.u8(), boot: (r.u8() & HelloFlag.BOOT) !== 0, maxChunk: r.u16() };
  r.end();
  return hello;
}

export interface InfoFixed {
  inputCount: number;
  outputCount: number;
  modelInitOk: boolean;
  timerHz: number;
  arenaBytes: number;
  stageBytes: number;
  modelSha256: string;
  boardId: string;
  runtime: string;
  tinymlVersion: string;
}

export function decodeInfo(b: Uint8Array): InfoFixed {
  const r = new BodyReader(b, "INFO response");
  const inputCount = r.u8();
  const outputCount = r.u8();
  const modelInitOk = r.u8() === 0;
  r.u8();
  const info: InfoFixed = {
    inputCount, outputCount, modelInitOk,
    timerHz: r.u32(), arenaBytes: r.u32(), stageBytes: r.u32(),
    modelSha256: Buffer.from(r.bytes(32)).toString("hex"),
    boardId: r.str(), runtime: r.str(), tinymlVersion: r.str(),
  };
  r.end();
  return info;
}

export interface TensorSpec {
  direction: "input" | "output";
  index: number;
  name: string;
  /** TFLite TensorType code (0 float32, 9 int8, 7 int16, 2 int32, 3 uint8, …). */
  type: number;
  shape: number[];
  scale: number;
  zeroPoint: number;
  bytes: number;
}

export const encodeTensorInfo = (direction: 0 | 1, index: number): Uint8Array =>
  body(FixedSize.TENSOR_INFO_REQUEST, (v) => { v.setUint8(0, direction); v.setUint8(1, index); });

export function decodeTensorInfo(b: Uint8Array): TensorSpec {
  const r = new BodyReader(b, "TENSOR_INFO response");
  const direction = r.u8() === 0 ? "input" : "output";
  const index = r.u8();
  const rank = Math.min(r.u8(), 6);
  r.u8();
  const type = r.i32();
  const dims = Array.from({ length: 6 }, () => r.i32());
  const spec: TensorSpec = { direction, index, type, shape: dims.slice(0, rank), scale: r.f32(), zeroPoint: r.i32(), bytes: r.u32(), name: r.str() };
  r.end();
  return spec;
}

export function encodeLoadInput(index: number, offset: number, data: Uint8Array): Uint8Array {
  if (data.length === 0 || data.length > MAX_CHUNK) throw new RangeError(`LOAD_INPUT chunk of ${data.length} bytes`);
  const b = body(FixedSize.LOAD_INPUT_REQUEST_FIXED + data.length, (v) => { v.setUint8(0, index); v.setUint32(1, offset, true); });
  b.set(data, FixedSize.LOAD_INPUT_REQUEST_FIXED);
  return b;
}

export function decodeLoadInput(b: Uint8Array): { index: number; offset: number; end: number } {
  const r = new BodyReader(b, "LOAD_INPUT response");
  const ack = { index: r.u8(), offset: r.u32(), end: r.u32() };
  r.end();
  return ack;
}

export function encodeInvoke(runs: number, warmup: number): Uint8Array {
  if (runs < 1 || runs > MAX_RUNS || warmup < 0 || warmup > 0xffff) throw new RangeError(`INVOKE runs ${runs}, warmup ${warmup}`);
  return body(FixedSize.INVOKE_REQUEST, (v) => { v.setUint16(0, runs, true); v.setUint16(2, warmup, true); });
}

export interface InvokeReply { status: number; failedOp: number; ticks: number[] }

export function decodeInvoke(b: Uint8Array): InvokeReply {
  const r = new BodyReader(b, "INVOKE response");
  const status = r.i32();
  const failedOp = r.i32();
  const ticks = r.u32s(r.u16());
  r.end();
  return { status, failedOp, ticks };
}

export function encodeReadOutput(index: number, offset: number, maxLen: number): Uint8Array {
  return body(FixedSize.READ_OUTPUT_REQUEST, (v) => { v.setUint8(0, index); v.setUint32(1, offset, true); v.setUint16(5, maxLen, true); });
}

export function decodeReadOutput(b: Uint8Array): { index: number; offset: number; total: number; data: Uint8Array } {
  const r = new BodyReader(b, "READ_OUTPUT response");
  return { index: r.u8(), offset: r.u32(), total: r.u32(), data: r.rest() };
}

export const encodeInvokeOps = (opCount: number): Uint8Array =>
  body(FixedSize.INVOKE_OPS_REQUEST, (v) => v.setUint16(0, opCount, true));

export function decodeInvokeOps(b: Uint8Array): { status: number; failedOp: number } {
  const r = new BodyReader(b, "INVOKE_OPS response");
  const out = { status: r.i32(), failedOp: r.i32() };
  r.end();
  return out;
}

export function encodeReadTensor(tensor: number, offset: number, maxLen: number): Uint8Array {
  return body(FixedSize.READ_TENSOR_REQUEST, (v) => { v.setUint16(0, tensor, true); v.setUint32(2, offset, true); v.setUint16(6, maxLen, true); });
}

export function decodeReadTensor(b: Uint8Array): { tensor: number; offset: number; total: number; data: Uint8Array } {
  const r = new BodyReader(b, "READ_TENSOR response");
  return { tensor: r.u16(), offset: r.u32(), total: r.u32(), data: r.rest() };
}

export const encodeProfile = (firstOp: number): Uint8Array =>
  body(FixedSize.PROFILE_REQUEST, (v) => v.setUint16(0, firstOp, true));

export function decodeProfile(b: Uint8Array): { opCount: number; firstOp: number; ticks: number[] } {
  const r = new BodyReader(b, "PROFILE response");
  const opCount = r.u16();
  const firstOp = r.u16();
  const count = r.u16();
  if (count > MAX_PROFILE_OPS_PER_FRAME) throw new TinymlError("TML_E_DEVICE_PROTOCOL", `PROFILE response claims ${count} ops in one frame`);
  const ticks = r.u32s(count);
  r.end();
  return { opCount, firstOp, ticks };
}

export function decodeNak(b: Uint8Array): { reason: number; rejectedType: number; version: number } {
  const r = new BodyReader(b, "NAK");
  return { reason: r.u8(), rejectedType: r.u8(), version: r.u8() };
}
