/* LOGISTIC, int8 (TFLM reference_integer_ops::Logistic). */
#include "tml_internal.h"

tml_status tml_logistic_s8(const tml_logistic_s8_params *p, const int8_t *input,
                           int8_t *output, int32_t count) {
  int32_t i;
  if (!p || !input || !output) return TML_ERR_NULL_POINTER;
  if (count < 0) return TML_ERR_BAD_SHAPE;
  if (p->input_left_shift < -31 || p->input_left_shift > 30) return TML_ERR_BAD_PARAM;
  for (i = 0; i < count; ++i) {
    const int32_t x = (int32_t)input[i] - p->input_zero_point;
    if (x <= -p->input_range_radius) {
      output[i] = INT8_MIN;
    } else if (x >= p->input_range_radius) {
      output[i] = INT8_MAX;
    } else {
      const int32_t in_q4 = tml_multiply_by_quantized_multiplier(
          x, p->input_multiplier, p->input_left_shift);
      const int32_t out_q0 = tml_fp_logistic(in_q4, 4);
      const int32_t out_q23 = tml_rdbpot(out_q0, 31 - 8);
      output[i] = (int8_t)tml_clamp_i32(out_q23 - 128, INT8_MIN, INT8_MAX);
    }
  }
  return TML_OK;
}
