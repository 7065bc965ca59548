/* SignalFftAutoScale (TFLM signal/src/fft_auto_scale.cc, MaxAbs16 in max_abs.cc). */
#include "tml_signal_internal.h"

tml_status tml_signal_fft_auto_scale_s16(int32_t size, const int16_t *input,
                                         int16_t *output, int32_t *scale_bits) {
  int16_t max = 0;
  int32_t i, bits;
  if (!input || !output || !scale_bits) return TML_ERR_NULL_POINTER;
  if (size < 0) return TML_ERR_BAD_SHAPE;
  for (i = 0; i < size; ++i) {
    const int16_t v = input[i];
    if (v > max) {
      max = v;
    } else if (-v > max) {
      max = tml_signal_s16(-v); /* -(-32768) stored back to int16 wraps */
    }
  }
  /* MostSignificantBit32 takes the int16 max converted to uint32. */
  bits = 16 - (int32_t)tml_signal_msb32((uint32_t)(int32_t)max) - 1;
  if (bits <= 0) bits = 0;
  for (i = 0; i < size; ++i) output[i] = tml_signal_s16(input[i] * (1 << bits));
  *scale_bits = bits;
  return TML_OK;
}
