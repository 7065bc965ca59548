/* HARD_SWISH, float32 (TFLM reference_ops::HardSwish<float>):
 * x * min(6, max(0, x + 3)) / 6. In-place allowed. */
#include "tml_internal.h"

tml_status tml_hard_swish_f32(const float *input, float *output,
                              int32_t count) {
  int32_t i;
  if (!input || !output) return TML_ERR_NULL_POINTER;
  if (count < 0) return TML_ERR_BAD_SHAPE;
  for (i = 0; i < count; ++i) {
    const float in = input[i];
    const float t = in + 3.0f;
    const float r = (0.0f < t) ? t : 0.0f; /* std::max(0.f, in + 3) */
    const float c = (r < 6.0f) ? r : 6.0f; /* std::min(6.f, ...) */
    output[i] = in * c / 6.0f;
  }
  return TML_OK;
}
