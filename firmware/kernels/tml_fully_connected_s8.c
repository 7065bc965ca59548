/* FULLY_CONNECTED, int8 (TFLM reference_integer_ops::FullyConnected and
 * FullyConnectedPerChannel). */
#include "tml_internal.h"

tml_status tml_fully_connected_s8(const tml_fully_connected_s8_params *p,
                                  const int8_t *input, const int8_t *weights,
                                  const int32_t *bias, int8_t *output) {
  int32_t b, oc, d;
  if (!p || !input || !weights || !output || !p->output_multiplier ||
      !p->output_shift)
    return TML_ERR_NULL_POINTER;
  if (p->batches < 0 || p->accum_depth < 0 || p->output_depth < 0)
    return TML_ERR_BAD_SHAPE;
  if (p->act_min > p->act_max) return TML_ERR_BAD_PARAM;
  for (b = 0; b < p->batches; ++b) {
    const int8_t *in = input + (size_t)b * p->accum_depth;
    for (oc = 0; oc < p->output_depth; ++oc) {
      const int8_t *wr = weights + (size_t)oc * p->accum_depth;
      const int32_t k = p->per_channel ? oc : 0;
      int32_t acc = 0;
      for (d = 0; d < p->accum_depth; ++d)
        acc += ((int32_t)wr[d] + p->filter_offset) * ((int32_t)in[d] + p->input_offset);
      if (bias) acc += bias[oc];
      acc = tml_multiply_by_quantized_multiplier(acc, p->output_multiplier[k],
                                                 p->output_shift[k]);
      acc += p->output_offset;
      output[(size_t)b * p->output_depth + oc] =
          (int8_t)tml_clamp_i32(acc, p->act_min, p->act_max);
    }
  }
  return TML_OK;
}
