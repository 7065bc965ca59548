// CRC-32/ISO-HDLC check values from the CRC RevEng catalogue
// (reveng.sourceforge.io/crc-catalogue, "CRC-32/ISO-HDLC": check=0xcbf43926
// over "123456789"), and agreement with zlib's independent implementation
// (node:zlib crc32) on other inputs.
import { crc32 as zlibCrc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import { crc32 } from "../../src/device/crc.js";

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

describe("CRC-32/ISO-HDLC", () => {
  it("has the catalogue's check value", () => {
    expect(crc32(ascii("123456789"))).toBe(0xcbf43926);
  });

  it("is 0 for no bytes", () => {
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it("agrees with zlib", () => {
    const inputs = [ascii("The quick brown fox jumps over the lazy dog"), new Uint8Array(300).map((_, i) => (i * 131 + 7) & 0xff), new Uint8Array(17)];
    for (const data of inputs) expect(crc32(data)).toBe(zlibCrc32(data));
    expect(crc32(inputs[0])).toBe(0x414fa339);
  });

  it("covers only the requested range", () => {
    const data = ascii("xx123456789yy");
    expect(crc32(data, 2, 11)).toBe(0xcbf43926);
  });
});
