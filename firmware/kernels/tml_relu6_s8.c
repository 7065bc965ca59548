/* RELU6, int8 (TFLM Relu6Quantized: clamp to [zero, six] in the input scale). */
#include "tml_internal.h"

tml_status tml_relu6_s8(const tml_relu6_s8_params *p, const int8_t *input,
                        int8_t *output, int32_t count) {
  int32_t i;
  if (!p || !input || !output) return TML_ERR_NULL_POINTER;
  if (count < 0) return TML_ERR_BAD_SHAPE;
  if (p->zero < INT8_MIN || p->zero > INT8_MAX || p->six < INT8_MIN || p->six > INT8_MAX)
    return TML_ERR_BAD_PARAM;
  for (i = 0; i < count; ++i) {
    const int8_t v = input[i];
    output[i] = (int8_t)(v > p->six ? p->six : v < p->zero ? p->zero : v);
  }
  return TML_OK;
}
