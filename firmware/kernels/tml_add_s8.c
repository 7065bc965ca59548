/* ADD, int8 (TFLM reference_integer_ops::Add / BroadcastAdd6DSlow). */
#include "tml_add_sub_s8_impl.h"

tml_status tml_add_s8(const tml_add_s8_params *p, const tml_binary_shapes *s,
                      const int8_t *input1, const int8_t *input2, int8_t *output) {
  return tml_add_sub_s8_body(p, s, input1, input2, output, 1);
}
