/* MUL, int16 (TFLM reference_integer_ops::Mul<int16_t>; zero points must be 0). */
#include "tml_binary_impl.h"

tml_status tml_mul_s16(const tml_mul_s16_params *p, const tml_binary_shapes *s,
                      const int16_t *input1, const int16_t *input2, int16_t *output) {
  tml_bcast b;
  tml_status st;
  int32_t i;
  if (!p || !s || !input1 || !input2 || !output) return TML_ERR_NULL_POINTER;
  if (p->act_min > p->act_max || p->input1_offset || p->input2_offset || p->output_offset)
    return TML_ERR_BAD_PARAM;
  st = tml_bcast_init(&b, s);
  if (st != TML_OK) return st;
  for (i = 0; i < b.count; ++i) {
    output[i] = (int16_t)tml_mul_q(p, input1[b.off1], input2[b.off2]);
    tml_bcast_next(&b);
  }
  return TML_OK;
}
