/* SignalEnergy (TFLM signal/src/energy.cc, SpectrumToEnergy). */
#include "tml_signal_internal.h"

tml_status tml_signal_energy_s16(const tml_signal_energy_params *p,
                                 const int16_t *input, uint32_t *output) {
  int32_t i;
  if (!p || !input || !output) return TML_ERR_NULL_POINTER;
  if (p->start_index < 0 || p->start_index > p->end_index) return TML_ERR_BAD_PARAM;
  for (i = p->start_index; i < p->end_index; ++i) {
    const int32_t re = input[2 * i], im = input[2 * i + 1];
    /* TFLM's int32 sum can reach 2^31; the uint32 sum is its defined equivalent. */
    output[i] = (uint32_t)(re * re) + (uint32_t)(im * im);
  }
  return TML_OK;
}
