// The host frame codec: round trips, and resynchronisation on everything a
// real line produces — boot text, noise, truncation, corrupted bytes.
import { describe, expect, it } from "vitest";
import { FrameDecoder, encodeFrame } from "../../src/device/frame.js";
import { MAX_BODY, MessageType, PROTOCOL_VERSION } from "../../src/device/protocol.js";

const body = (n: number, seed = 1): Uint8Array => new Uint8Array(n).map((_, i) => (i * 97 + seed) & 0xff);

describe("frames", () => {
  it("round-trip header and body, with delimiters on both ends", () => {
    const frame = encodeFrame(MessageType.LOAD_INPUT, 0x1234, body(200));
    expect(frame[0]).toBe(0);
    expect(frame[frame.length - 1]).toBe(0);
    expect(frame.subarray(1, -1).includes(0)).toBe(false);
    const [m] = new FrameDecoder().push(frame);
    expect(m).toEqual({ version: PROTOCOL_VERSION, type: MessageType.LOAD_INPUT, id: 0x1234, body: body(200) });
  });

  it("decode byte by byte as they trickle in", () => {
    const d = new FrameDecoder();
    const frames = [encodeFrame(1, 1), encodeFrame(2, 2, body(5)), encodeFrame(3, 3, body(MAX_BODY))];
    const out = [];
    for (const f of frames) for (const b of f) out.push(...d.push(new Uint8Array([b])));
    expect(out.map((m) => [m.type, m.id, m.body.length])).toEqual([[1, 1, 0], [2, 2, 5], [3, 3, MAX_BODY]]);
  });

  it("skip boot text and noise before a frame", () => {
    const d = new FrameDecoder();
    const noise = new TextEncoder().encode("ESP-ROM:esp32s3\r\nboot: garbage \xff\xfe\r\n");
    const msgs = d.push(new Uint8Array([...noise, ...encodeFrame(MessageType.HELLO | 0x80, 7, body(4))]));
    expect(msgs.map((m) => m.id)).toEqual([7]);
    expect(d.stats.malformed + d.stats.badCrc).toBe(1);
  });

  it("drop a corrupted frame and recover at the next one", () => {
    const d = new FrameDecoder();
    const bad = encodeFrame(5, 10, body(40));
    bad[20] ^= 0x10;
    const msgs = d.push(new Uint8Array([...bad, ...encodeFrame(5, 11, body(40))]));
    expect(msgs.map((m) => m.id)).toEqual([11]);
    expect(d.stats.badCrc + d.stats.malformed).toBe(1);
  });

  it("drop a truncated frame that runs into the next one", () => {
    const d = new FrameDecoder();
    const cut = encodeFrame(5, 10, body(40)).subarray(0, 20); // lost its tail and delimiter
    const msgs = d.push(new Uint8Array([...cut, ...encodeFrame(5, 11, body(8))]));
    expect(msgs.map((m) => m.id)).toEqual([11]);
  });

  it("bound memory on an endless run without delimiters", () => {
    const d = new FrameDecoder();
    expect(d.push(new Uint8Array(100_000).fill(0x41))).toEqual([]);
    const msgs = d.push(encodeFrame(1, 99));
    expect(msgs.map((m) => m.id)).toEqual([99]);
    expect(d.stats.malformed).toBe(1);
    expect(d.stats.discardedBytes).toBe(100_000);
  });

  it("refuse to encode a body over the limit", () => {
    expect(() => encodeFrame(1, 1, body(MAX_BODY + 1))).toThrow(RangeError);
  });
});
