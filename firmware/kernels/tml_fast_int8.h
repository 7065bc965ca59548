/* tml_fast_int8.h — what the fast int8 kernels (tml_conv2d_s8*.c,
 * tml_depthwise_conv2d_s8*.c, tml_fully_connected_s8.c) share: the DSP
 * extension's presence, inlining control for their hot loops, the exact
 * single-multiply requantization, and the SXTB16 helpers. */
#ifndef TML_FAST_INT8_H
#define TML_FAST_INT8_H

#include <string.h>

#include "tml_internal.h"

/* Cortex-M4/M7/M33 with the DSP extension: dual 16-bit MACs (SMLAD) and
 * byte-pair sign extension (SXTB16). Other CPUs take the portable C paths. */
#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && defined(__ARM_FEATURE_SIMD32) && \
    __ARM_FEATURE_SIMD32
#include <arm_acle.h>
#define TML_DSP 1
#else
#define TML_DSP 0
#endif

/* Hot loops live in functions of their own: the register allocator then
 * keeps their accumulators and pointers in registers. */
#if defined(__GNUC__)
#define TML_NOINLINE __attribute__((noinline))
#define TML_ALWAYS_INLINE __inline__ __attribute__((always_inline))
#define TML_MAYBE_UNUSED __attribute__((unused))
#else
#define TML_NOINLINE
#define TML_ALWAYS_INLINE inline
#define TML_MAYBE_UNUSED
#endif

/* Filter taps k in [0, n) with 0 <= origin + dil * k < size: [*lo, *hi). */
static inline void tml_tap_range(int32_t origin, int32_t dil, int32_t size, int32_t n,
                                int32_t *lo, int32_t *hi) {
  int32_t a = 0, z = n;
  if (dil == 1) {
    if (origin < 0) a = -origin;
    if (size - origin < z) z = size - origin;
  } else {
    if (origin < 0) a = (dil - 1 - origin) / dil;
    if (origin >= size) {
      z = 0;
    } else {
      const int32_t m = (size - 1 - origin) / dil + 1;
      if (m < z) z = m;
    }
  }
  if (z < 0) z = 0;
  if (a > z) a = z;
  *lo = a;
  *hi = z;
}

/* Output offset, then the activation clamp, as every int8 kernel ends. */
static inline int8_t tml_clamp_out(int32_t h, int32_t out_offset, int32_t act_min, int32_t act_max) {
  h = tml_wrap_add(h, out_offset);
  return (int8_t)(h < act_min ? act_min : h > act_max ? act_max : h);
}

/* TFLite's MultiplyByQuantizedMultiplier(x, m, -e) (double rounding, what
 * tml_multiply_by_quantized_multiplier computes) for a right shift e in
 * [2, 31] (real multipliers below 1/4, the usual case) as one 64-bit
 * multiply-accumulate.
 * With P = x*m, SRDHM(x, m) is h = floor((P + 2^30) / 2^31) (TFLite's
 * nudge-and-truncate, for either sign of P) and RoundingDivideByPOT(h, e)
 * is floor((h + 2^(e-1) - [h<0]) / 2^e) (half away from zero), so by nested
 * floors the result is
 *   floor((P + 2^30 + 2^(30+e) - [h<0]*2^31) / 2^(31+e)),
 * the high word of that 64-bit sum shifted right by e-1 (e1). [h<0] may be
 * replaced by "x and m have different signs": the two disagree only when h
 * is 0, where both roundings give 0. For x == m == INT32_MIN, where SRDHM
 * saturates to INT32_MAX, the sum gives 2^(31-e), RoundingDivideByPOT of
 * INT32_MAX. khi = 2^(e-2) is the high word of 2^(30+e); taking 2^31 from
 * the low word 2^30 borrows one from it. */
static inline int32_t tml_mbqm(int32_t x, int32_t m, int32_t khi, int e1) {
  const int32_t neg = (x ^ m) >> 31; /* 0 or -1 */
  const uint32_t lo = 0x40000000u ^ ((uint32_t)neg << 31);
  const uint32_t hi = (uint32_t)khi + (uint32_t)neg;
  const int64_t t = (int64_t)(((uint64_t)hi << 32) | lo) + (int64_t)x * m;
  return (int32_t)(t >> 32) >> e1;
}

/* Any other shift: tml_multiply_by_quantized_multiplier itself, out of line
 * so the hot loops that rarely need it stay small, and one extern copy
 * (tml_mbqm_any.c) for every kernel that requantizes: a slow path's call
 * costs nothing that matters, a copy per file 136 bytes of flash each. */
int32_t tml_mbqm_any(int32_t x, int32_t m, int32_t sh);

#if TML_DSP
/* SXTB16 / SXTAB16 of the operand rotated right by 8 (bytes 1 and 3). GCC 12
 * does not fuse the rotate into the instruction, hence the asm; the
 * intrinsic is the fallback for other compilers. */
static inline int32_t tml_sxtb16_r8(uint32_t x) {
#if defined(__arm__) && defined(__GNUC__)
  int32_t r;
  __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(x));
  return r;
#else
  return __sxtb16((int32_t)((x >> 8) | (x << 24)));
#endif
}

static inline int32_t tml_sxtab16_r8(int32_t a, uint32_t x) {
#if defined(__arm__) && defined(__GNUC__)
  int32_t r;
  __asm__("sxtab16 %0, %1, %2, ror #8" : "=r"(r) : "r"(a), "r"(x));
  return r;
#else
  return __sxtab16(a, (int32_t)((x >> 8) | (x << 24)));
#endif
}

/* An unaligned 32-bit load (memcpy: no alignment or aliasing assumptions). */
static inline uint32_t tml_ld32(const int8_t *p) {
  uint32_t v;
  memcpy(&v, p, sizeof v);
  return v;
}
#endif /* TML_DSP */

#endif /* TML_FAST_INT8_H */
