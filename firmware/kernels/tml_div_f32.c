/* DIV, float32 (TFLM reference_ops::Div<float> / BroadcastDivSlow). */
#include "tml_internal.h"

tml_status tml_div_f32(const tml_arith_f32_params *p, const tml_binary_shapes *s,
                       const float *input1, const float *input2, float *output) {
  tml_bcast b;
  tml_status st;
  int32_t i;
  if (!p || !s || !input1 || !input2 || !output) return TML_ERR_NULL_POINTER;
  st = tml_bcast_init(&b, s);
  if (st != TML_OK) return st;
  for (i = 0; i < b.count; ++i) {
    const float a = input1[b.off1], c = input2[b.off2];
    output[i] = tml_clamp_f32(a / c, p->act_min, p->act_max);
    tml_bcast_next(&b);
  }
  return TML_OK;
}
