/* ADD, int8 (TFLM reference_integer_ops::Add / BroadcastAdd6DSlow). */
#include "tml_binary_impl.h"

tml_status tml_add_s8(const tml_add_s8_params *p, const tml_binary_shapes *s,
                      const int8_t *input1, const int8_t *input2, int8_t *output) {
  tml_bcast b;
  tml_status st;
  int32_t i;
  if (!p || !s || !input1 || !input2 || !output) return TML_ERR_NULL_POINTER;
  st = tml_add_sub_check(p);
  if (st != TML_OK) return st;
  st = tml_bcast_init(&b, s);
  if (st != TML_OK) return st;
  for (i = 0; i < b.count; ++i) {
    output[i] = (int8_t)tml_add_sub_q(p, input1[b.off1], input2[b.off2], 1);
    tml_bcast_next(&b);
  }
  return TML_OK;
}
