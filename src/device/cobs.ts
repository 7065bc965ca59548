// Consistent Overhead Byte Stuffing (Cheshire & Baker, IEEE/ACM Trans.
// Networking 7(2), 1999): removes every 0x00 from a packet so 0x00 can
// delimit frames. Same algorithm as firmware/runtime/tml_cobs.c.

/** Worst-case encoded size of an n-byte packet, without the delimiter. */
export function cobsMaxEncoded(n: number): number {
  return n + Math.floor(n / 254) + 1;
}

export function cobsEncode(src: Uint8Array): Uint8Array {
  const out = new Uint8Array(cobsMaxEncoded(src.length));
  let write = 1;
  let codeAt = 0;
  let code = 1;
  for (let read = 0; read < src.length; read++) {
    if (src[read] === 0) {
      out[codeAt] = code;
      code = 1;
      codeAt = write++;
      continue;
    }
    out[write++] = src[read];
    if (++code === 0xff) {
      // A full run of 254 non-zero bytes closes its block with no implied zero.
      out[codeAt] = code;
      code = 1;
      if (read + 1 < src.length) codeAt = write++;
      else return out.subarray(0, write);
    }
  }
  out[codeAt] = code;
  return out.subarray(0, write);
}

/** Decodes one packet (delimiter excluded); undefined when it is not valid COBS. */
export function cobsDecode(src: Uint8Array): Uint8Array | undefined {
  const out = new Uint8Array(src.length);
  let write = 0;
  let read = 0;
  while (read < src.length) {
    const code = src[read++];
    if (code === 0 || code - 1 > src.length - read) return undefined;
    for (let i = 1; i < code; i++) {
      const b = src[read++];
      if (b === 0) return undefined;
      out[write++] = b;
    }
    if (code !== 0xff && read < src.length) out[write++] = 0;
  }
  return out.subarray(0, write);
}
