/*
 * tml_fixedpoint.h — TFLite/gemmlowp integer arithmetic, internal to the
 * kernels (and used by the unit tests). All functions are static inline C99.
 *
 * These mirror, bit for bit:
 *  - gemmlowp fixedpoint.h: SaturatingRoundingDoublingHighMul,
 *    RoundingDivideByPOT, SaturatingRoundingMultiplyByPOT, RoundingHalfSum,
 *    exp_on_negative_values, one_over_one_plus_x_for_x_in_0_1,
 *    one_minus_x_over_one_plus_x_for_x_in_0_1, logistic, tanh (int32 raw
 *    values; a FixedPoint<int32, I> is passed as its raw value plus I);
 *  - TFLite common.h/.cc with TFLITE_SINGLE_ROUNDING unset (TFLM's default):
 *    MultiplyByQuantizedMultiplier (double rounding),
 *    MultiplyByQuantizedMultiplierSmallerThanOneExp / GreaterThanOne,
 *    GetReciprocal, CountLeadingZeros, CountLeadingSignBits.
 *
 * Where gemmlowp/TFLite add or shift int32 values that could overflow, the
 * code here wraps modulo 2^32 (what their builds do in practice) instead of
 * invoking C undefined behaviour. Right shifts of negative values are
 * arithmetic (true of GCC and Clang on every target tinyml supports).
 */
#ifndef TML_FIXEDPOINT_H
#define TML_FIXEDPOINT_H

#include <stdint.h>

/* Two's-complement wrapping arithmetic without signed-overflow UB. */
static inline int32_t tml_wrap_add(int32_t a, int32_t b) {
  return (int32_t)((uint32_t)a + (uint32_t)b);
}
static inline int32_t tml_wrap_sub(int32_t a, int32_t b) {
  return (int32_t)((uint32_t)a - (uint32_t)b);
}
static inline int32_t tml_wrap_mul(int32_t a, int32_t b) {
  return (int32_t)((uint32_t)a * (uint32_t)b);
}
static inline int32_t tml_wrap_neg(int32_t a) {
  return (int32_t)(0u - (uint32_t)a);
}
/* x * 2^shift, wrapping (TFLite's `x * (1 << shift)`), 0 <= shift <= 31. */
static inline int32_t tml_wrap_shl(int32_t x, int shift) {
  return (int32_t)((uint32_t)x << shift);
}

static inline int32_t tml_min_i32(int32_t a, int32_t b) { return a < b ? a : b; }
static inline int32_t tml_max_i32(int32_t a, int32_t b) { return a > b ? a : b; }
static inline int32_t tml_clamp_i32(int32_t x, int32_t lo, int32_t hi) {
  /* std::min(hi, std::max(lo, x)) */
  return tml_min_i32(hi, tml_max_i32(lo, x));
}

/* Number of leading zero bits of x (32 for 0). */
static inline int tml_clz32(uint32_t x) {
#if defined(__GNUC__)
  return x == 0 ? 32 : __builtin_clz(x);
#else
  int n = 0;
  if (x == 0) return 32;
  while (!(x & 0x80000000u)) {
    x <<= 1;
    ++n;
  }
  return n;
#endif
}

/* Leading bits equal to the sign bit, minus one (__builtin_clrsb). */
static inline int tml_clrsb32(int32_t x) {
  uint32_t u = (uint32_t)x;
  if (x < 0) u = ~u;
  return tml_clz32(u) - 1;
}

/* gemmlowp::SaturatingRoundingDoublingHighMul (int32). */
static inline int32_t tml_srdhm(int32_t a, int32_t b) {
  int64_t ab;
  int32_t nudge;
  if (a == b && a == INT32_MIN) return INT32_MAX;
  ab = (int64_t)a * (int64_t)b;
  nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
  return (int32_t)((ab + nudge) / ((int64_t)1 << 31));
}

/* gemmlowp::RoundingDivideByPOT (int32): round-half-away-from-zero x / 2^exponent,
 * 0 <= exponent <= 31. gemmlowp asserts exponent <= 31 (and its release builds
 * shift by the exponent modulo the word size); here a larger exponent gives the
 * mathematically rounded result, 0. (TFLM's int8 DIV reaches this for every
 * quotient under half an output step, e.g. a zero numerator, where x86 TFLM
 * returns output_zero_point + 1; the TypeScript reference's div.ts takes the
 * same 0, see tml_kernels.h.) */
static inline int32_t tml_rdbpot(int32_t x, int exponent) {
  if (exponent > 31) return 0;
  {
  const int32_t mask = (int32_t)(((int64_t)1 << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
  }
}

/* gemmlowp::SaturatingRoundingMultiplyByPOT<exponent> (int32), any exponent in
 * [-31, 31]: saturating left shift for exponent > 0, rounding right shift for < 0. */
static inline int32_t tml_srmbpot(int32_t x, int exponent) {
  if (exponent > 0) {
    const int32_t threshold = (int32_t)(((int64_t)1 << (31 - exponent)) - 1);
    if (x > threshold) return INT32_MAX;
    if (x < -threshold) return INT32_MIN;
    return tml_wrap_shl(x, exponent);
  }
  if (exponent < 0) return tml_rdbpot(x, -exponent);
  return x;
}

/* gemmlowp::Rescale<dst_bits>(FixedPoint<int32, src_bits>). */
static inline int32_t tml_fp_rescale(int32_t raw, int src_integer_bits,
                                     int dst_integer_bits) {
  return tml_srmbpot(raw, src_integer_bits - dst_integer_bits);
}

/* gemmlowp::RoundingHalfSum (int32). */
static inline int32_t tml_rounding_half_sum(int32_t a, int32_t b) {
  const int64_t sum = (int64_t)a + (int64_t)b;
  const int64_t sign = sum >= 0 ? 1 : -1;
  return (int32_t)((sum + sign) / 2);
}

/* TFLite MultiplyByQuantizedMultiplier (double rounding; TFLM default).
 * shift in [-31, 30]; positive = left shift. */
static inline int32_t tml_multiply_by_quantized_multiplier(
    int32_t x, int32_t quantized_multiplier, int shift) {
  const int left_shift = shift > 0 ? shift : 0;
  const int right_shift = shift > 0 ? 0 : -shift;
  return tml_rdbpot(tml_srdhm(tml_wrap_shl(x, left_shift), quantized_multiplier),
                    right_shift);
}

/* TFLite MultiplyByQuantizedMultiplierSmallerThanOneExp (double rounding):
 * RoundingDivideByPOT(SRDHM(x, m), -left_shift). TFLite requires
 * left_shift <= 0; a positive one (undefined there) is applied as a left
 * shift before the multiply, like MultiplyByQuantizedMultiplier. */
static inline int32_t tml_mbqm_smaller_than_one_exp(int32_t x,
                                                    int32_t quantized_multiplier,
                                                    int left_shift) {
  if (left_shift > 0)
    return tml_multiply_by_quantized_multiplier(x, quantized_multiplier,
                                                left_shift);
  return tml_rdbpot(tml_srdhm(x, quantized_multiplier), -left_shift);
}

/* TFLite MultiplyByQuantizedMultiplierGreaterThanOne: SRDHM(x * 2^left_shift, m). */
static inline int32_t tml_mbqm_greater_than_one(int32_t x,
                                                int32_t quantized_multiplier,
                                                int left_shift) {
  return tml_srdhm(tml_wrap_shl(x, left_shift), quantized_multiplier);
}

/* ---- gemmlowp transcendental functions on raw int32 fixed-point values ---- */

/* FixedPoint<int32,0>::One() */
#define TML_FP0_ONE INT32_MAX

/* exp(a) for a in [-1/4, 0), a and result with 0 integer bits. */
static inline int32_t tml_fp_exp_on_interval_between_negative_one_quarter_and_0_excl(
    int32_t a) {
  const int32_t constant_term = 1895147668;    /* exp(-1/8) */
  const int32_t constant_1_over_3 = 715827883; /* 1/3 */
  const int32_t x = tml_wrap_add(a, 1 << 28);  /* a + 1/8 */
  const int32_t x2 = tml_srdhm(x, x);
  const int32_t x3 = tml_srdhm(x2, x);
  const int32_t x4 = tml_srdhm(x2, x2);
  const int32_t x4_over_4 = tml_srmbpot(x4, -2);
  const int32_t x4_over_24_plus_x3_over_6_plus_x2_over_2 = tml_srmbpot(
      tml_wrap_add(tml_srdhm(tml_wrap_add(x4_over_4, x3), constant_1_over_3), x2),
      -1);
  return tml_wrap_add(
      constant_term,
      tml_srdhm(constant_term,
                tml_wrap_add(x, x4_over_24_plus_x3_over_6_plus_x2_over_2)));
}

/* gemmlowp::exp_on_negative_values: a has `integer_bits` integer bits
 * (0..31) and must be <= 0; the result has 0 integer bits. */
static inline int32_t tml_fp_exp_on_negative_values(int32_t a, int integer_bits) {
  static const int32_t multipliers[7] = {
      1672461947, /* exp(-1/4) */
      1302514674, /* exp(-1/2) */
      790015084,  /* exp(-1) */
      290630308,  /* exp(-2) */
      39332535,   /* exp(-4) */
      720401,     /* exp(-8) */
      242         /* exp(-16) */
  };
  const int fractional_bits = 31 - integer_bits;
  const int32_t one_quarter =
      integer_bits <= 29 ? (int32_t)(1 << (fractional_bits - 2)) : 0;
  const int32_t mask = one_quarter - 1;
  const int32_t a_mod_quarter_minus_one_quarter =
      tml_wrap_sub(a & mask, one_quarter);
  int32_t result = tml_fp_exp_on_interval_between_negative_one_quarter_and_0_excl(
      tml_fp_rescale(a_mod_quarter_minus_one_quarter, integer_bits, 0));
  const int32_t remainder = tml_wrap_sub(a_mod_quarter_minus_one_quarter, a);
  int exponent;
  for (exponent = -2; exponent <= 4; ++exponent) {
    if (integer_bits > exponent) {
      const int shift_amount = fractional_bits + exponent;
      if (remainder & (int32_t)((uint32_t)1 << shift_amount))
        result = tml_srdhm(result, multipliers[exponent + 2]);
    }
  }
  if (integer_bits > 5) {
    const int clamp_b = 36 - integer_bits;
    const int32_t clamp = tml_wrap_neg((int32_t)((uint32_t)1 << clamp_b)); /* -32.0 */
    if (a < clamp) result = 0;
  }
  if (a == 0) result = TML_FP0_ONE;
  return result;
}

/* gemmlowp::one_over_one_plus_x_for_x_in_0_1 (0 integer bits in and out). */
static inline int32_t tml_fp_one_over_one_plus_x_for_x_in_0_1(int32_t a) {
  const int32_t half_denominator = tml_rounding_half_sum(a, TML_FP0_ONE);
  const int32_t constant_48_over_17 = 1515870810;     /* F2 */
  const int32_t constant_neg_32_over_17 = -1010580540; /* F2 */
  const int32_t f2_one = 1 << 29;
  int32_t x = tml_wrap_add(constant_48_over_17,
                           tml_srdhm(half_denominator, constant_neg_32_over_17));
  int i;
  for (i = 0; i < 3; i++) {
    const int32_t half_denominator_times_x = tml_srdhm(half_denominator, x);
    const int32_t one_minus_half_denominator_times_x =
        tml_wrap_sub(f2_one, half_denominator_times_x);
    x = tml_wrap_add(
        x, tml_fp_rescale(tml_srdhm(x, one_minus_half_denominator_times_x), 4, 2));
  }
  /* Rescale<0>(ExactMulByPot<-1>(x)): x is now read as F1. */
  return tml_fp_rescale(x, 1, 0);
}

/* gemmlowp::one_minus_x_over_one_plus_x_for_x_in_0_1. */
static inline int32_t tml_fp_one_minus_x_over_one_plus_x_for_x_in_0_1(int32_t a) {
  const int32_t half_denominator = tml_rounding_half_sum(a, TML_FP0_ONE);
  const int32_t constant_48_over_17 = 1515870810;
  const int32_t constant_neg_32_over_17 = -1010580540;
  const int32_t f2_one = 1 << 29;
  int32_t x = tml_wrap_add(constant_48_over_17,
                           tml_srdhm(half_denominator, constant_neg_32_over_17));
  int i;
  for (i = 0; i < 3; i++) {
    const int32_t half_denominator_times_x = tml_srdhm(half_denominator, x);
    const int32_t one_minus_half_denominator_times_x =
        tml_wrap_sub(f2_one, half_denominator_times_x);
    x = tml_wrap_add(
        x, tml_fp_rescale(tml_srdhm(x, one_minus_half_denominator_times_x), 4, 2));
  }
  return tml_fp_rescale(tml_wrap_sub(x, f2_one), 2, 0);
}

/* gemmlowp::logistic: input with `integer_bits`, result with 0 integer bits. */
static inline int32_t tml_fp_logistic(int32_t a, int integer_bits) {
  int32_t abs_input, result_if_positive;
  if (a == 0) return 1 << 30; /* one half */
  abs_input = a > 0 ? a : tml_wrap_neg(a);
  result_if_positive = tml_fp_one_over_one_plus_x_for_x_in_0_1(
      tml_fp_exp_on_negative_values(tml_wrap_neg(abs_input), integer_bits));
  return a > 0 ? result_if_positive
               : tml_wrap_sub(TML_FP0_ONE, result_if_positive);
}

/* gemmlowp::tanh: input with `integer_bits`, result with 0 integer bits. */
static inline int32_t tml_fp_tanh(int32_t a, int integer_bits) {
  int32_t n, t;
  if (a == 0) return 0;
  n = a < 0 ? a : tml_wrap_neg(a);
  /* neg_tanh_on_negative_values: exp of ExactMulByPot<1>(n). */
  t = tml_fp_one_minus_x_over_one_plus_x_for_x_in_0_1(
      tml_fp_exp_on_negative_values(n, integer_bits + 1));
  return a < 0 ? tml_wrap_neg(t) : t;
}

/* TFLite GetReciprocal: 1/x for x > 0 with x_integer_digits integer bits.
 * Returns the Q0.31 reciprocal; *num_bits_over_unit receives the exponent. */
static inline int32_t tml_get_reciprocal(int32_t x, int x_integer_digits,
                                         int *num_bits_over_unit) {
  const int headroom_plus_one = tml_clz32((uint32_t)x);
  const uint32_t shifted =
      headroom_plus_one >= 32 ? 0u : ((uint32_t)x << headroom_plus_one);
  const int32_t shifted_sum_minus_one = (int32_t)(shifted - ((uint32_t)1 << 31));
  *num_bits_over_unit = x_integer_digits - headroom_plus_one;
  return tml_fp_one_over_one_plus_x_for_x_in_0_1(shifted_sum_minus_one);
}

#endif /* TML_FIXEDPOINT_H */
