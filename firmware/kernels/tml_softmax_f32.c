/* SOFTMAX, float32 (TFLM reference_ops::Softmax<float>). */
#include <math.h>
#include "tml_internal.h"

tml_status tml_softmax_f32(const tml_softmax_f32_params *p, const float *input,
                           float *output) {
  int32_t i, c;
  if (!p || !input || !output) return TML_ERR_NULL_POINTER;
  if (p->outer_size < 0 || p->depth < 0) return TML_ERR_BAD_SHAPE;
  for (i = 0; i < p->outer_size; ++i) {
    const float *in = input + (size_t)i * p->depth;
    float *out = output + (size_t)i * p->depth;
    float max = -3.402823466e+38f; /* lowest() */
    float sum = 0.f;
    for (c = 0; c < p->depth; ++c) max = (max < in[c]) ? in[c] : max;
    for (c = 0; c < p->depth; ++c) {
      const float e = expf((in[c] - max) * p->beta);
      out[c] = e;
      sum += e;
    }
    for (c = 0; c < p->depth; ++c) out[c] = out[c] / sum;
  }
  return TML_OK;
}
