// CRC-32/ISO-HDLC (the zlib/Ethernet CRC), the frame check of the device
// protocol; firmware/runtime/tml_crc.c computes the same function.
// Parameters: reflected poly 0x04C11DB7 (0xEDB88320), init and xorout
// 0xFFFFFFFF; check value over "123456789" is 0xCBF43926.

const TABLE: Uint32Array = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

export function crc32(data: Uint8Array, start = 0, end = data.length): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = (c >>> 8) ^ TABLE[(c ^ data[i]) & 0xff];
  return (c ^ 0xffffffff) >>> 0;
}
