/* DIV, int8 (TFLM reference_ops::Div / BroadcastDivSlow for int8). */
#include "tml_binary_impl.h"

tml_status tml_div_s8(const tml_div_s8_params *p, const tml_binary_shapes *s,
                      const int8_t *input1, const int8_t *input2, int8_t *output) {
  tml_bcast b;
  tml_status st;
  int32_t i;
  int div_by_zero = 0;
  if (!p || !s || !input1 || !input2 || !output) return TML_ERR_NULL_POINTER;
  if (p->act_min > p->act_max) return TML_ERR_BAD_PARAM;
  st = tml_bcast_init(&b, s);
  if (st != TML_OK) return st;
  for (i = 0; i < b.count; ++i) {
    output[i] = (int8_t)tml_div_q(p, input1[b.off1], input2[b.off2], &div_by_zero);
    tml_bcast_next(&b);
  }
  return div_by_zero ? TML_ERR_DIV_BY_ZERO : TML_OK;
}
