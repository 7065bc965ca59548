/* RELU, int8 (TFLM ReluQuantized). */
#include "tml_internal.h"

tml_status tml_relu_s8(const tml_relu_s8_params *p, const int8_t *input,
                       int8_t *output, int32_t count) {
  int32_t i;
  if (!p || !input || !output) return TML_ERR_NULL_POINTER;
  if (count < 0) return TML_ERR_BAD_SHAPE;
  if (p->output_shift < -31 || p->output_shift > 30) return TML_ERR_BAD_PARAM;
  for (i = 0; i < count; ++i) {
    int32_t v = p->output_zero_point +
                tml_multiply_by_quantized_multiplier((int32_t)input[i] - p->input_zero_point,
                                                     p->output_multiplier, p->output_shift);
    v = tml_max_i32(p->act_min, v);
    v = tml_min_i32(p->act_max, v);
    output[i] = (int8_t)v;
  }
  return TML_OK;
}
