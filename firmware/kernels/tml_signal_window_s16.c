/* SignalWindow (TFLM signal/micro/kernels/window.cc, tflm_signal::ApplyWindow). */
#include "tml_signal_internal.h"

tml_status tml_signal_window_s16(const tml_signal_window_params *p,
                                 const int16_t *input, const int16_t *weights,
                                 int16_t *output) {
  int32_t base, i;
  if (!p || !input || !weights || !output) return TML_ERR_NULL_POINTER;
  if (p->weight_size <= 0 || p->input_size < 0 || p->input_size % p->weight_size != 0) return TML_ERR_BAD_SHAPE;
  if (p->shift < 0 || p->shift > 31) return TML_ERR_BAD_PARAM;
  for (base = 0; base < p->input_size; base += p->weight_size) {
    for (i = 0; i < p->weight_size; ++i) {
      /* The product fits int32; >> of a negative value is arithmetic on GCC. */
      const int32_t raw = ((int32_t)input[base + i] * weights[i]) >> p->shift;
      output[base + i] = (int16_t)(raw < INT16_MIN ? INT16_MIN : raw > INT16_MAX ? INT16_MAX : raw);
    }
  }
  return TML_OK;
}
