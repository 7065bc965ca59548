/*
 * tml_cobs.h — Consistent Overhead Byte Stuffing (Cheshire & Baker, 1999).
 *
 * COBS removes every 0x00 from a packet so 0x00 can delimit frames on the
 * serial line: a receiver that loses sync (noise, a reset, a dropped byte)
 * is back in step at the next 0x00, and the overhead is at most one byte
 * per 254 plus one.
 */
#ifndef TML_COBS_H
#define TML_COBS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Encoded size of an n-byte packet in the worst case (no delimiter). */
#define TML_COBS_MAX_ENCODED(n) ((n) + (n) / 254u + 1u)

/**
 * Encodes n bytes of src into dst (capacity cap; src and dst must not
 * overlap). Returns the encoded length (never 0 for a fitting packet), or 0
 * when dst is too small. Writes no delimiter.
 */
size_t tml_cobs_encode(const uint8_t *src, size_t n, uint8_t *dst, size_t cap);

/**
 * Decodes n encoded bytes (without the delimiter) into dst (capacity cap).
 * dst may equal src: the decoder never writes ahead of where it reads.
 * Returns 0 and sets *out_len on success; -1 when the input holds a 0x00,
 * a code byte points past the end, or the result does not fit in cap.
 */
int tml_cobs_decode(const uint8_t *src, size_t n, uint8_t *dst, size_t cap, size_t *out_len);

#ifdef __cplusplus
}
#endif

#endif /* TML_COBS_H */
