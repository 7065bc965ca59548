/*
 * tml_signal_internal.h — bit helpers the signal-library kernels share (not
 * public API), as TFLM's signal/src/msb.h computes them on GCC builds.
 */
#ifndef TML_SIGNAL_INTERNAL_H
#define TML_SIGNAL_INTERNAL_H

#include "tml_kernels.h"

/* MostSignificantBit32 (signal/src/msb_32.cc, __GNUC__ branch): 32 - clz(x), and 32 for 0. */
static inline uint32_t tml_signal_msb32(uint32_t x) {
  uint32_t n = 0;
  if (x == 0) return 32;
  while (x) {
    x >>= 1;
    ++n;
  }
  return n;
}

/* MostSignificantBit64 (signal/src/msb_64.cc, __GNUC__ branch): 64 for 0. */
static inline uint32_t tml_signal_msb64(uint64_t x) {
  uint32_t hi = (uint32_t)(x >> 32);
  if (x == 0) return 64;
  return hi ? 32 + tml_signal_msb32(hi) : tml_signal_msb32((uint32_t)x);
}

/* A store to int16_t of an int value, wrapping modulo 2^16 as GCC does. */
static inline int16_t tml_signal_s16(int32_t x) {
  return (int16_t)(uint16_t)(uint32_t)x;
}

#endif /* TML_SIGNAL_INTERNAL_H */
