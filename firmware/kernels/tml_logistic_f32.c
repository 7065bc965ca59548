/* LOGISTIC, float32 (TFLM reference_ops::Logistic with its cut-offs). */
#include <math.h>
#include "tml_internal.h"

tml_status tml_logistic_f32(const float *input, float *output, int32_t count) {
  const float cutoff_upper = 16.619047164916992188f;
  const float cutoff_lower = -9.f;
  int32_t i;
  if (!input || !output) return TML_ERR_NULL_POINTER;
  if (count < 0) return TML_ERR_BAD_SHAPE;
  for (i = 0; i < count; ++i) {
    const float v = input[i];
    float r;
    if (v > cutoff_upper) r = 1.0f;
    else if (v < cutoff_lower) r = expf(v);
    else r = 1.f / (1.f + expf(-v));
    output[i] = r;
  }
  return TML_OK;
}
