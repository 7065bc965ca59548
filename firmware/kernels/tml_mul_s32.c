/* MUL, int32 (TFLM reference_ops::Mul<int32_t>, WrappingMul). */
#include "tml_internal.h"

tml_status tml_mul_s32(const tml_arith_s32_params *p, const tml_binary_shapes *s,
                       const int32_t *input1, const int32_t *input2, int32_t *output) {
  tml_bcast b;
  tml_status st;
  int32_t i;
  if (!p || !s || !input1 || !input2 || !output) return TML_ERR_NULL_POINTER;
  st = tml_bcast_init(&b, s);
  if (st != TML_OK) return st;
  for (i = 0; i < b.count; ++i) {
    const int32_t a = input1[b.off1], c = input2[b.off2];
    output[i] = tml_clamp_i32(tml_wrap_mul(a, c), p->act_min, p->act_max);
    tml_bcast_next(&b);
  }
  return TML_OK;
}
