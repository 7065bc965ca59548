/* SignalPCAN (TFLM signal/src/pcan_argc_fixed.cc: WideDynamicFunction,
 * PcanShrink, ApplyPcanAutoGainControlFixed). */
#include "tml_signal_internal.h"

#define TML_PCAN_SNR_BITS 12
#define TML_PCAN_OUTPUT_BITS 6

static int16_t tml_wide_dynamic_function(uint32_t x, const int16_t *lut) {
  int32_t interval, result;
  int16_t frac;
  if (x <= 2) return lut[x];
  interval = (int32_t)tml_signal_msb32(x);
  lut += 4 * interval - 6;
  frac = (int16_t)(((interval < 11) ? (x << (11 - interval)) : (x >> (interval - 11))) & 0x3FF);
  result = ((int32_t)lut[2] * frac) >> 5;
  result += (int32_t)((uint32_t)(int32_t)lut[1] << 5);
  /* TFLM's int32 product and rounding add, wrapping as GCC's do. */
  result = (int32_t)((uint32_t)result * (uint32_t)(int32_t)frac);
  result = (int32_t)((uint32_t)result + (1u << 14)) >> 15;
  result += lut[0];
  return tml_signal_s16(result);
}

static uint32_t tml_pcan_shrink(uint32_t x) {
  if (x < (2u << TML_PCAN_SNR_BITS)) {
    return (x * x) >> (2 + 2 * TML_PCAN_SNR_BITS - TML_PCAN_OUTPUT_BITS);
  }
  return (x >> (TML_PCAN_SNR_BITS - TML_PCAN_OUTPUT_BITS)) - (1u << TML_PCAN_OUTPUT_BITS);
}

tml_status tml_signal_pcan_u32(const tml_signal_pcan_params *p,
                               const uint32_t *input,
                               const uint32_t *noise_estimate,
                               const int16_t *gain_lut, uint32_t *output) {
  int32_t i;
  if (!p || !input || !noise_estimate || !gain_lut || !output) return TML_ERR_NULL_POINTER;
  if (p->snr_shift < 0 || p->snr_shift > 63 || p->num_channels < 0) return TML_ERR_BAD_PARAM;
  for (i = 0; i < p->num_channels; ++i) {
    /* The int16 gain converts to uint32 (sign-extended), as TFLM. */
    const uint32_t gain = (uint32_t)(int32_t)tml_wide_dynamic_function(noise_estimate[i], gain_lut);
    const uint32_t snr = (uint32_t)(((uint64_t)input[i] * gain) >> p->snr_shift);
    output[i] = tml_pcan_shrink(snr);
  }
  return TML_OK;
}
