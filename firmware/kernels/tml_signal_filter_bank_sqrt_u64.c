/* SignalFilterBankSquareRoot (TFLM signal/src/filter_bank_square_root.cc,
 * Sqrt64 / Sqrt32 in square_root_64.cc / square_root_32.cc). */
#include "tml_signal_internal.h"

static uint16_t tml_sqrt32(uint32_t num) {
  uint32_t res = 0, bit;
  int32_t max_bit_number, iterations;
  if (num == 0) return 0;
  max_bit_number = 32 - (int32_t)tml_signal_msb32(num);
  max_bit_number |= 1;
  bit = 1u << (31 - max_bit_number);
  iterations = (31 - max_bit_number) / 2 + 1;
  while (iterations--) {
    if (num >= res + bit) {
      num -= res + bit;
      res = (res >> 1u) + bit;
    } else {
      res >>= 1u;
    }
    bit >>= 2u;
  }
  if (num > res && res != 0xFFFFu) ++res;
  return (uint16_t)res;
}

static uint32_t tml_sqrt64(uint64_t num) {
  uint64_t res = 0, bit;
  int32_t max_bit_number, iterations;
  /* TFLM's shortcut (slightly off near 2^32, kept for bit-exactness). */
  if ((num >> 32) == 0) return tml_sqrt32((uint32_t)num);
  max_bit_number = 64 - (int32_t)tml_signal_msb64(num);
  max_bit_number |= 1;
  bit = (uint64_t)1 << (63 - max_bit_number);
  iterations = (63 - max_bit_number) / 2 + 1;
  while (iterations--) {
    if (num >= res + bit) {
      num -= res + bit;
      res = (res >> 1u) + bit;
    } else {
      res >>= 1u;
    }
    bit >>= 2u;
  }
  if (num > res && res != 0xFFFFFFFFu) ++res;
  return (uint32_t)res;
}

tml_status tml_signal_filter_bank_sqrt_u64(int32_t num_channels,
                                           const uint64_t *input,
                                           const int32_t *scale_bits,
                                           uint32_t *output) {
  int32_t i, shift;
  if (!input || !scale_bits || !output) return TML_ERR_NULL_POINTER;
  if (num_channels < 0) return TML_ERR_BAD_SHAPE;
  shift = *scale_bits;
  for (i = 0; i < num_channels; ++i) {
    /* A shift outside 0..31 is undefined in C; FftAutoScale yields 0..15. */
    output[i] = (shift >= 0 && shift < 32) ? tml_sqrt64(input[i]) >> shift : 0u;
  }
  return TML_OK;
}
