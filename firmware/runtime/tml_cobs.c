/* tml_cobs.c — COBS encoder and decoder; every index is checked against its buffer. */
#include "tml_cobs.h"

size_t tml_cobs_encode(const uint8_t *src, size_t n, uint8_t *dst, size_t cap) {
  size_t read = 0, write = 1, code_at = 0;
  uint8_t code = 1;
  if (cap == 0) return 0;
  while (read < n) {
    if (src[read] == 0) {
      dst[code_at] = code;
      code = 1;
      code_at = write++;
      if (code_at >= cap) return 0;
      ++read;
      continue;
    }
    if (write >= cap) return 0;
    dst[write++] = src[read++];
    if (++code == 0xFF) {
      /* A full 254-byte run: close the block; a new one starts only if data follows. */
      dst[code_at] = code;
      code = 1;
      if (read < n) {
        code_at = write++;
        if (code_at >= cap) return 0;
      } else {
        return write;
      }
    }
  }
  dst[code_at] = code;
  return write;
}

int tml_cobs_decode(const uint8_t *src, size_t n, uint8_t *dst, size_t cap, size_t *out_len) {
  size_t read = 0, write = 0, i;
  uint8_t code;
  while (read < n) {
    code = src[read++];
    if (code == 0) return -1;
    if ((size_t)(code - 1u) > n - read) return -1;
    for (i = 1; i < code; ++i) {
      if (src[read] == 0 || write >= cap) return -1;
      dst[write++] = src[read++];
    }
    /* A block shorter than 254 bytes stood for a zero, unless it ends the packet. */
    if (code != 0xFF && read < n) {
      if (write >= cap) return -1;
      dst[write++] = 0;
    }
  }
  *out_len = write;
  return 0;
}
