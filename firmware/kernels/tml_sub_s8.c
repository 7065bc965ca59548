/* SUB, int8 (TFLM reference_ops::Sub / BroadcastQuantSubSlow). */
#include "tml_add_sub_s8_impl.h"

tml_status tml_sub_s8(const tml_sub_s8_params *p, const tml_binary_shapes *s,
                      const int8_t *input1, const int8_t *input2, int8_t *output) {
  return tml_add_sub_s8_body(p, s, input1, input2, output, -1);
}
