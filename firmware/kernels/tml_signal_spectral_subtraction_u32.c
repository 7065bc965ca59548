/* SignalFilterBankSpectralSubtraction (TFLM
 * signal/src/filter_bank_spectral_subtraction.cc and the kernel's
 * FilterBankSpectralSubtractionResetState / Eval). */
#include "tml_signal_internal.h"

size_t tml_signal_spectral_subtraction_u32_state_size(
    const tml_signal_spectral_subtraction_params *p) {
  return p && p->num_channels > 0 ? (size_t)p->num_channels * sizeof(uint32_t) : 0u;
}

void tml_signal_spectral_subtraction_u32_reset(
    const tml_signal_spectral_subtraction_params *p, uint32_t *state) {
  int32_t i;
  if (!p || !state) return;
  for (i = 0; i < p->num_channels; ++i) state[i] = 0;
}

tml_status tml_signal_spectral_subtraction_u32(
    const tml_signal_spectral_subtraction_params *p, const uint32_t *input,
    uint32_t *output, uint32_t *noise_output, uint32_t *state) {
  int32_t i;
  if (!p || !input || !output || !noise_output || !state) return TML_ERR_NULL_POINTER;
  if (p->num_channels < 1 || p->noise_output_size < 0 || p->noise_output_size > p->num_channels ||
      p->smoothing_bits > 31u || p->spectral_subtraction_bits > 63u) {
    return TML_ERR_BAD_PARAM;
  }
  for (i = 0; i < p->num_channels; ++i) {
    /* Odd channels use the alternate coefficients. */
    const uint32_t smoothing = (i & 1) ? p->alternate_smoothing : p->smoothing;
    const uint32_t one_minus = (i & 1) ? p->alternate_one_minus_smoothing : p->one_minus_smoothing;
    const uint32_t signal_scaled_up = input[i] << p->smoothing_bits;
    uint32_t estimate_scaled_up, floor_value, subtracted;
    state[i] = (uint32_t)(((uint64_t)signal_scaled_up * smoothing + (uint64_t)state[i] * one_minus) >>
                          p->spectral_subtraction_bits);
    estimate_scaled_up = state[i];
    if (estimate_scaled_up > signal_scaled_up) {
      estimate_scaled_up = signal_scaled_up;
      if (p->clamping) state[i] = estimate_scaled_up;
    }
    floor_value = (uint32_t)(((uint64_t)input[i] * p->min_signal_remaining) >> p->spectral_subtraction_bits);
    subtracted = (signal_scaled_up - estimate_scaled_up) >> p->smoothing_bits;
    output[i] = subtracted > floor_value ? subtracted : floor_value;
  }
  for (i = 0; i < p->noise_output_size; ++i) noise_output[i] = state[i];
  return TML_OK;
}
