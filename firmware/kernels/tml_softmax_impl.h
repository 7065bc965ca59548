/* Shared body of the int8-input SOFTMAX kernels (TFLM reference_ops::Softmax
 * for integer types: gemmlowp exp with 5 integer bits, 12-bit accumulator). */
#ifndef TML_SOFTMAX_IMPL_H
#define TML_SOFTMAX_IMPL_H

#include "tml_internal.h"

/* Computes one row; `store(i, value)` via out8/out16 (exactly one non-NULL). */
static inline tml_status tml_softmax_s8_rows(const tml_softmax_s8_params *p,
                                             const int8_t *input, int8_t *out8,
                                             int16_t *out16) {
  const int out_bits = out8 ? 8 : 16;
  const int32_t out_min = out8 ? INT8_MIN : INT16_MIN;
  const int32_t out_max = out8 ? INT8_MAX : INT16_MAX;
  int32_t i, c;
  if (p->outer_size < 0 || p->depth < 0) return TML_ERR_BAD_SHAPE;
  if (p->input_left_shift < 0 || p->input_left_shift > 31 || p->diff_min > 0)
    return TML_ERR_BAD_PARAM;
  for (i = 0; i < p->outer_size; ++i) {
    const int8_t *in = input + (size_t)i * p->depth;
    int32_t max_in_row = INT8_MIN;
    int32_t sum_of_exps = 0; /* 12 integer bits */
    int num_bits_over_unit, exponent;
    int32_t shifted_scale;
    for (c = 0; c < p->depth; ++c) max_in_row = tml_max_i32(max_in_row, in[c]);
    for (c = 0; c < p->depth; ++c) {
      const int32_t input_diff = (int32_t)in[c] - max_in_row;
      if (input_diff >= p->diff_min) {
        const int32_t rescaled = tml_mbqm_greater_than_one(
            input_diff, p->input_multiplier, p->input_left_shift);
        sum_of_exps = tml_wrap_add(
            sum_of_exps, tml_fp_rescale(tml_fp_exp_on_negative_values(rescaled, 5), 0, 12));
      }
    }
    shifted_scale = tml_get_reciprocal(sum_of_exps, 12, &num_bits_over_unit);
    exponent = num_bits_over_unit + 31 - out_bits;
    if (exponent < 0 || exponent > 31) return TML_ERR_BAD_PARAM;
    for (c = 0; c < p->depth; ++c) {
      const int32_t input_diff = (int32_t)in[c] - max_in_row;
      int32_t v = out_min;
      if (input_diff >= p->diff_min) {
        const int32_t rescaled = tml_mbqm_greater_than_one(
            input_diff, p->input_multiplier, p->input_left_shift);
        const int32_t exp_in_0 = tml_fp_exp_on_negative_values(rescaled, 5);
        const int32_t unsat = tml_rdbpot(tml_srdhm(shifted_scale, exp_in_0), exponent);
        v = tml_clamp_i32(tml_wrap_add(unsat, out_min), out_min, out_max);
      }
      if (out8)
        out8[(size_t)i * p->depth + c] = (int8_t)v;
      else
        out16[(size_t)i * p->depth + c] = (int16_t)v;
    }
  }
  return TML_OK;
}

#endif /* TML_SOFTMAX_IMPL_H */
