/* DEQUANTIZE int16_t -> float32 (TFLM reference_ops::Dequantize). TFLM multiplies
 * in double and rounds once to float; |q - zero_point| < 2^24, so the exact
 * product rounded once by a float multiply is the same value. */
#include "tml_internal.h"

tml_status tml_dequantize_s16(const tml_dequantize_params *p, const int16_t *input,
                             float *output, int32_t count) {
  int32_t i;
  if (!p || !input || !output) return TML_ERR_NULL_POINTER;
  if (count < 0) return TML_ERR_BAD_SHAPE;
  if (p->zero_point < -65536 || p->zero_point > 65536) return TML_ERR_BAD_PARAM;
  for (i = 0; i < count; ++i)
    output[i] = p->scale * (float)((int32_t)input[i] - p->zero_point);
  return TML_OK;
}
