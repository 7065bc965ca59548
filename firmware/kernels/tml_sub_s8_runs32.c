/* SUB int8 with the params TFLM's Prepare makes: the 32-bit runs alone
 * (tml_add_s8_runs32.c says why). */
#include "tml_add_sub_s8_impl.h"

tml_status tml_sub_s8_runs32(const tml_sub_s8_params *p, const tml_binary_shapes *s,
                             const int8_t *input1, const int8_t *input2, int8_t *output) {
  return tml_add_sub_s8_runs32_body(p, s, input1, input2, output, -1);
}
