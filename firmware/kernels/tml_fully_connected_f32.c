/* FULLY_CONNECTED, float32 (TFLM reference_ops::FullyConnected). */
#include "tml_internal.h"

tml_status tml_fully_connected_f32(const tml_fully_connected_f32_params *p,
                                   const float *input, const float *weights,
                                   const float *bias, float *output) {
  int32_t b, oc, d;
  if (!p || !input || !weights || !output) return TML_ERR_NULL_POINTER;
  if (p->batches < 0 || p->accum_depth < 0 || p->output_depth < 0)
    return TML_ERR_BAD_SHAPE;
  for (b = 0; b < p->batches; ++b) {
    const float *in = input + (size_t)b * p->accum_depth;
    for (oc = 0; oc < p->output_depth; ++oc) {
      const float *wr = weights + (size_t)oc * p->accum_depth;
      float total = 0.f;
      for (d = 0; d < p->accum_depth; ++d) total += in[d] * wr[d];
      output[(size_t)b * p->output_depth + oc] =
          tml_clamp_f32(total + (bias ? bias[oc] : 0.0f), p->act_min, p->act_max);
    }
  }
  return TML_OK;
}
