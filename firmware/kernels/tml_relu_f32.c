/* RELU, float32 (TFLM ReluFloat). In-place allowed. */
#include "tml_internal.h"

tml_status tml_relu_f32(const float *input, float *output, int32_t count) {
  int32_t i;
  if (!input || !output) return TML_ERR_NULL_POINTER;
  if (count < 0) return TML_ERR_BAD_SHAPE;
  for (i = 0; i < count; ++i) {
    const float v = input[i];
    output[i] = v < 0.0f ? 0.0f : v;
  }
  return TML_OK;
}
