/* SOFTMAX, int8 -> int8 (TFLM reference_ops::Softmax<int8_t, int8_t>). */
#include "tml_softmax_impl.h"

tml_status tml_softmax_s8(const tml_softmax_s8_params *p, const int8_t *input,
                          int8_t *output) {
  if (!p || !input || !output) return TML_ERR_NULL_POINTER;
  return tml_softmax_s8_rows(p, input, output, NULL);
}
