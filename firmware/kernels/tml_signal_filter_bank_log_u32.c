/* SignalFilterBankLog (TFLM signal/src/filter_bank_log.cc, Log32 and
 * Log2FractionPart32 in signal/src/log.cc). */
#include "tml_signal_internal.h"

static const uint16_t tml_log_lut[] = {
    0,    224,  442,  654,  861,  1063, 1259, 1450, 1636, 1817, 1992, 2163, 2329, 2490, 2646, 2797,
    2944, 3087, 3224, 3358, 3487, 3611, 3732, 3848, 3960, 4068, 4172, 4272, 4368, 4460, 4549, 4633,
    4714, 4791, 4864, 4934, 5001, 5063, 5123, 5178, 5231, 5280, 5326, 5368, 5408, 5444, 5477, 5507,
    5533, 5557, 5578, 5595, 5610, 5622, 5631, 5637, 5640, 5641, 5638, 5633, 5626, 5615, 5602, 5586,
    5568, 5547, 5524, 5498, 5470, 5439, 5406, 5370, 5332, 5291, 5249, 5203, 5156, 5106, 5054, 5000,
    4944, 4885, 4825, 4762, 4697, 4630, 4561, 4490, 4416, 4341, 4264, 4184, 4103, 4020, 3935, 3848,
    3759, 3668, 3575, 3481, 3384, 3286, 3186, 3084, 2981, 2875, 2768, 2659, 2549, 2437, 2323, 2207,
    2090, 1971, 1851, 1729, 1605, 1480, 1353, 1224, 1094, 963,  830,  695,  559,  421,  282,  142,
    0,    0};

#define TML_LOG_SEGMENTS_LOG2 7
#define TML_LOG_SCALE 65536
#define TML_LOG_SCALE_LOG2 16
#define TML_LOG_COEFF 45426

static uint32_t tml_log2_fraction_part32(uint32_t x, uint32_t log2x) {
  int32_t frac = (int32_t)((int64_t)x - ((int64_t)1 << log2x));
  uint32_t base_seg;
  int32_t c0, c1, seg_base, rel_pos;
  if (log2x < TML_LOG_SCALE_LOG2) {
    frac <<= TML_LOG_SCALE_LOG2 - log2x;
  } else {
    frac >>= log2x - TML_LOG_SCALE_LOG2;
  }
  base_seg = (uint32_t)frac >> (TML_LOG_SCALE_LOG2 - TML_LOG_SEGMENTS_LOG2);
  c0 = tml_log_lut[base_seg];
  c1 = tml_log_lut[base_seg + 1];
  seg_base = (int32_t)(((uint32_t)1 << TML_LOG_SCALE_LOG2) >> TML_LOG_SEGMENTS_LOG2) * (int32_t)base_seg;
  rel_pos = ((c1 - c0) * (frac - seg_base)) >> TML_LOG_SCALE_LOG2;
  return (uint32_t)(frac + c0 + rel_pos);
}

static uint32_t tml_log32(uint32_t x, uint32_t out_scale) {
  const uint32_t integer = tml_signal_msb32(x) - 1;
  const uint32_t fraction = tml_log2_fraction_part32(x, integer);
  const uint32_t log2 = (integer << TML_LOG_SCALE_LOG2) + fraction;
  const uint32_t round = TML_LOG_SCALE / 2;
  const uint32_t loge = (uint32_t)(((uint64_t)TML_LOG_COEFF * log2 + round) >> TML_LOG_SCALE_LOG2);
  return (out_scale * loge + round) >> TML_LOG_SCALE_LOG2;
}

tml_status tml_signal_filter_bank_log_u32(
    const tml_signal_filter_bank_log_params *p, const uint32_t *input,
    int16_t *output) {
  int32_t i;
  if (!p || !input || !output) return TML_ERR_NULL_POINTER;
  if (p->input_correction_bits < 0 || p->input_correction_bits > 31 || p->num_channels < 0) return TML_ERR_BAD_PARAM;
  for (i = 0; i < p->num_channels; ++i) {
    const uint32_t scaled = input[i] << p->input_correction_bits;
    if (scaled > 1) {
      const uint32_t v = tml_log32(scaled, p->output_scale);
      output[i] = (int16_t)(v < (uint32_t)INT16_MAX ? v : (uint32_t)INT16_MAX);
    } else {
      output[i] = 0;
    }
  }
  return TML_OK;
}
