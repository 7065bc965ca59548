/* Elementwise cores of the quantized binary ops (one output element each). */
#ifndef TML_BINARY_IMPL_H
#define TML_BINARY_IMPL_H

#include "tml_internal.h"

/* TFLM AddElementwise / SubElementwise; sign = +1 for ADD, -1 for SUB. */
static inline int32_t tml_add_sub_q(const tml_add_s8_params *p, int32_t x1,
                                    int32_t x2, int sign) {
  const int32_t in1 = p->input1_offset + x1;
  const int32_t in2 = p->input2_offset + x2;
  const int32_t s1 = tml_mbqm_smaller_than_one_exp(
      tml_wrap_shl(in1, p->left_shift), p->input1_multiplier, p->input1_shift);
  const int32_t s2 = tml_mbqm_smaller_than_one_exp(
      tml_wrap_shl(in2, p->left_shift), p->input2_multiplier, p->input2_shift);
  const int32_t raw = sign > 0 ? tml_wrap_add(s1, s2) : tml_wrap_sub(s1, s2);
  const int32_t out = tml_mbqm_smaller_than_one_exp(raw, p->output_multiplier,
                                                    p->output_shift) +
                      p->output_offset;
  return tml_clamp_i32(out, p->act_min, p->act_max);
}

static inline tml_status tml_add_sub_check(const tml_add_s8_params *p) {
  if (p->left_shift < 0 || p->left_shift > 31 || p->act_min > p->act_max ||
      p->input1_shift > 0 || p->input2_shift > 0 || p->output_shift > 0 ||
      p->input1_shift < -31 || p->input2_shift < -31 || p->output_shift < -31)
    return TML_ERR_BAD_PARAM;
  return TML_OK;
}

/* TFLM MulElementwise. */
static inline int32_t tml_mul_q(const tml_mul_s8_params *p, int32_t x1, int32_t x2) {
  const int32_t in1 = p->input1_offset + x1;
  const int32_t in2 = p->input2_offset + x2;
  const int32_t out = p->output_offset +
                      tml_multiply_by_quantized_multiplier(
                          tml_wrap_mul(in1, in2), p->output_multiplier, p->output_shift);
  return tml_clamp_i32(out, p->act_min, p->act_max);
}

/* TFLM DivElementwise; *div_by_zero set when the divisor is 0 (result 0 then). */
static inline int32_t tml_div_q(const tml_div_s8_params *p, int32_t x1, int32_t x2,
                                int *div_by_zero) {
  int32_t in1 = p->input1_offset + x1;
  int32_t in2 = p->input2_offset + x2;
  int recip_shift, headroom, total_shift;
  int32_t inv, unscaled, out;
  if (in2 == 0) {
    *div_by_zero = 1;
    return 0;
  }
  if (in2 < 0) {
    in1 = -in1;
    in2 = -in2;
  }
  inv = tml_get_reciprocal(in2, 31, &recip_shift);
  headroom = tml_clrsb32(in1);
  unscaled = tml_mbqm_greater_than_one(in1, inv, headroom);
  total_shift = p->output_shift - recip_shift - headroom;
  out = p->output_offset +
        tml_mbqm_smaller_than_one_exp(unscaled, p->output_multiplier, total_shift);
  return tml_clamp_i32(out, p->act_min, p->act_max);
}

#endif /* TML_BINARY_IMPL_H */
