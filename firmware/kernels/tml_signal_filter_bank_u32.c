/* SignalFilterBank (TFLM signal/src/filter_bank.cc, FilterbankAccumulateChannels). */
#include "tml_signal_internal.h"

tml_status tml_signal_filter_bank_u32(const tml_signal_filter_bank_params *p,
                                      const uint32_t *input,
                                      const int16_t *weights,
                                      const int16_t *unweights,
                                      const int16_t *channel_frequency_starts,
                                      const int16_t *channel_weight_starts,
                                      const int16_t *channel_widths,
                                      uint64_t *output) {
  uint64_t weight_acc = 0, unweight_acc = 0;
  int32_t i, j;
  if (!p || !input || !weights || !unweights || !channel_frequency_starts || !channel_weight_starts ||
      !channel_widths || !output) {
    return TML_ERR_NULL_POINTER;
  }
  if (p->num_channels < 1 || p->output_size < 0 || p->output_size > p->num_channels) return TML_ERR_BAD_PARAM;
  for (i = 0; i < p->num_channels + 1; ++i) {
    const int32_t freq_start = channel_frequency_starts[i];
    const int32_t weight_start = channel_weight_starts[i];
    for (j = 0; j < channel_widths[i]; ++j) {
      /* int16 weights convert to uint64 (a negative weight wraps), as TFLM. */
      const uint64_t x = input[freq_start + j];
      weight_acc += (uint64_t)(int64_t)weights[weight_start + j] * x;
      unweight_acc += (uint64_t)(int64_t)unweights[weight_start + j] * x;
    }
    /* TFLM's work_area[0] is scratch; channel i lands in output[i - 1]. */
    if (i >= 1 && i <= p->output_size) output[i - 1] = weight_acc;
    weight_acc = unweight_acc;
    unweight_acc = 0;
  }
  return TML_OK;
}
