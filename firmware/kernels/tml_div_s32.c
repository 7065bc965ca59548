/* DIV, int32 (TFLM reference_ops::Div<int32_t>: truncating a / b, then the activation clamp). */
#include "tml_internal.h"

tml_status tml_div_s32(const tml_arith_s32_params *p, const tml_binary_shapes *s,
                       const int32_t *input1, const int32_t *input2, int32_t *output) {
  tml_bcast b;
  tml_status st;
  int32_t i;
  int div_by_zero = 0;
  if (!p || !s || !input1 || !input2 || !output) return TML_ERR_NULL_POINTER;
  st = tml_bcast_init(&b, s);
  if (st != TML_OK) return st;
  for (i = 0; i < b.count; ++i) {
    const int32_t a = input1[b.off1], c = input2[b.off2];
    output[i] = tml_clamp_i32(c == 0 ? (div_by_zero = 1, 0) : (c == -1 ? tml_wrap_neg(a) : a / c), p->act_min, p->act_max);
    tml_bcast_next(&b);
  }
  return div_by_zero ? TML_ERR_DIV_BY_ZERO : TML_OK;
}
