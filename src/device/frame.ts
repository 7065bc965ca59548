// Frames of the device protocol: 0x00, COBS(payload ‖ CRC-32 LE), 0x00,
// where the payload is version, type, request id (u16 LE) and the body.
// The decoder is streaming and never throws: noise, boot text, truncated or
// corrupted frames are counted and skipped, and it is back in sync at the
// next 0x00. The leading 0x00 on every sent frame ends whatever garbage the
// receiver had buffered, so one bad byte costs at most one frame.
import { cobsDecode, cobsEncode, cobsMaxEncoded } from "./cobs.js";
import { crc32 } from "./crc.js";
import { CRC_BYTES, HEADER_BYTES, MAX_BODY, PROTOCOL_VERSION } from "./protocol.js";

export interface Message {
  version: number;
  type: number;
  id: number;
  body: Uint8Array;
}

export interface DecoderStats {
  frames: number;
  /** Frames whose CRC did not match. */
  badCrc: number;
  /** Frames that were not valid COBS, too short, or too long. */
  malformed: number;
  /** Bytes thrown away with bad or oversized frames. */
  discardedBytes: number;
}

const MAX_ENCODED = cobsMaxEncoded(HEADER_BYTES + MAX_BODY + CRC_BYTES);

export function encodeFrame(type: number, id: number, body: Uint8Array = new Uint8Array(0), version = PROTOCOL_VERSION): Uint8Array {
  if (body.length > MAX_BODY) throw new RangeError(`frame body of ${body.length} bytes exceeds ${MAX_BODY}`);
  const payload = new Uint8Array(HEADER_BYTES + body.length + CRC_BYTES);
  const view = new DataView(payload.buffer);
  payload[0] = version;
  payload[1] = type;
  view.setUint16(2, id, true);
  payload.set(body, HEADER_BYTES);
  view.setUint32(HEADER_BYTES + body.length, crc32(payload, 0, HEADER_BYTES + body.length), true);
  const enc = cobsEncode(payload);
  const frame = new Uint8Array(enc.length + 2);
  frame.set(enc, 1);
  return frame;
}

export class FrameDecoder {
  readonly stats: DecoderStats = { frames: 0, badCrc: 0, malformed: 0, discardedBytes: 0 };
  private buf = new Uint8Array(MAX_ENCODED);
  private len = 0;
  private overflow = 0;

  /** Feeds received bytes; returns the messages completed by them, in order. */
  push(chunk: Uint8Array): Message[] {
    const out: Message[] = [];
    for (const byte of chunk) {
      if (byte !== 0) {
        if (this.len < this.buf.length) this.buf[this.len++] = byte;
        else this.overflow++;
        continue;
      }
      const msg = this.finish();
      if (msg) out.push(msg);
    }
    return out;
  }

  private finish(): Message | undefined {
    const len = this.len;
    const overflow = this.overflow;
    this.len = 0;
    this.overflow = 0;
    if (len === 0) return undefined;
    if (overflow > 0) {
      this.stats.malformed++;
      this.stats.discardedBytes += len + overflow;
      return undefined;
    }
    const payload = cobsDecode(this.buf.subarray(0, len));
    if (!payload || payload.length < HEADER_BYTES + CRC_BYTES) {
      this.stats.malformed++;
      this.stats.discardedBytes += len;
      return undefined;
    }
    const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
    const n = payload.length - CRC_BYTES;
    if (crc32(payload, 0, n) !== view.getUint32(n, true)) {
      this.stats.badCrc++;
      this.stats.discardedBytes += len;
      return undefined;
    }
    this.stats.frames++;
    return { version: payload[0], type: payload[1], id: view.getUint16(2, true), body: payload.slice(HEADER_BYTES, n) };
  }
}
