// COBS against published examples, not against our own encoder's output:
//  - Cheshire & Baker, "Consistent Overhead Byte Stuffing", IEEE/ACM Trans.
//    Networking 7(2):159–172, 1999 — the worked IP-header example.
//  - Wikipedia, "Consistent Overhead Byte Stuffing", section "Encoding
//    examples" (examples 1–11; the trailing 0x00 delimiter shown there is
//    not part of the encoding here).
import { describe, expect, it } from "vitest";
import { cobsDecode, cobsEncode, cobsMaxEncoded } from "../../src/device/cobs.js";

const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\s+/g, ""), "hex"));
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

const VECTORS: Array<[string, Uint8Array, Uint8Array]> = [
  ["paper: IP header", hex("45 00 00 2C 4C 79 00 00 40 06 4F 37"), hex("02 45 01 04 2C 4C 79 01 05 40 06 4F 37")],
  ["wiki 1: 00", hex("00"), hex("01 01")],
  ["wiki 2: 00 00", hex("00 00"), hex("01 01 01")],
  ["wiki 3: 00 11 00", hex("00 11 00"), hex("01 02 11 01")],
  ["wiki 4: 11 22 00 33", hex("11 22 00 33"), hex("03 11 22 02 33")],
  ["wiki 5: 11 22 33 44", hex("11 22 33 44"), hex("05 11 22 33 44")],
  ["wiki 6: 11 00 00 00", hex("11 00 00 00"), hex("02 11 01 01 01")],
  ["wiki 7: 01..FE", new Uint8Array(range(1, 0xfe)), new Uint8Array([0xff, ...range(1, 0xfe)])],
  ["wiki 8: 00 01..FE", new Uint8Array([0, ...range(1, 0xfe)]), new Uint8Array([0x01, 0xff, ...range(1, 0xfe)])],
  ["wiki 9: 01..FF", new Uint8Array(range(1, 0xff)), new Uint8Array([0xff, ...range(1, 0xfe), 0x02, 0xff])],
  ["wiki 10: 02..FF 00", new Uint8Array([...range(2, 0xff), 0]), new Uint8Array([0xff, ...range(2, 0xff), 0x01, 0x01])],
  ["wiki 11: 03..FF 00 01", new Uint8Array([...range(3, 0xff), 0, 1]), new Uint8Array([0xfe, ...range(3, 0xff), 0x02, 0x01])],
];

describe("COBS", () => {
  for (const [name, raw, encoded] of VECTORS) {
    it(`encodes and decodes ${name}`, () => {
      expect(Buffer.from(cobsEncode(raw)).toString("hex")).toBe(Buffer.from(encoded).toString("hex"));
      expect(Buffer.from(cobsDecode(encoded) ?? []).toString("hex")).toBe(Buffer.from(raw).toString("hex"));
    });
  }

  it("encodes the empty packet as a single 01", () => {
    expect([...cobsEncode(new Uint8Array(0))]).toEqual([1]);
    expect(cobsDecode(new Uint8Array([1]))?.length).toBe(0);
  });

  it("never exceeds the worst-case bound and never emits 0x00", () => {
    for (let n = 0; n < 1100; n += 37) {
      const data = new Uint8Array(n).map((_, i) => (i % 7 === 0 ? 0 : (i * 31) & 0xff || 1));
      const enc = cobsEncode(data);
      expect(enc.length).toBeLessThanOrEqual(cobsMaxEncoded(n));
      expect(enc.includes(0)).toBe(false);
      expect(Buffer.compare(cobsDecode(enc) ?? new Uint8Array(0), data)).toBe(0);
    }
  });

  it("rejects a zero inside, and a code byte pointing past the end", () => {
    expect(cobsDecode(hex("03 11 00 22"))).toBeUndefined();
    expect(cobsDecode(hex("05 11 22"))).toBeUndefined();
    expect(cobsDecode(hex("00"))).toBeUndefined();
  });
});
