/* TANH, float32 (TFLM reference_ops::Tanh: std::tanh). */
#include <math.h>
#include "tml_internal.h"

tml_status tml_tanh_f32(const float *input, float *output, int32_t count) {
  int32_t i;
  if (!input || !output) return TML_ERR_NULL_POINTER;
  if (count < 0) return TML_ERR_BAD_SHAPE;
  for (i = 0; i < count; ++i) output[i] = tanhf(input[i]);
  return TML_OK;
}
