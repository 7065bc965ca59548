/* HARD_SWISH, int8 (TFLM reference_ops::HardSwish<int8_t>): int16 fixed point
 * throughout; every int16 narrowing below wraps as in TFLM. */
#include "tml_internal.h"

static int16_t tml_i16(int32_t x) { return (int16_t)(uint16_t)(uint32_t)x; }

/* gemmlowp::SaturatingRoundingDoublingHighMul for int16. */
static int16_t tml_srdhm16(int16_t a, int16_t b) {
  const int32_t ab = (int32_t)a * (int32_t)b;
  const int32_t nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
  if (a == b && a == INT16_MIN) return INT16_MAX;
  return tml_i16((ab + nudge) / (1 << 15));
}

/* gemmlowp::RoundingDivideByPOT for int16, 0 <= exponent <= 15. */
static int16_t tml_rdbpot16(int16_t x, int exponent) {
  const int16_t mask = tml_i16((1 << exponent) - 1);
  const int16_t remainder = (int16_t)(x & mask);
  const int16_t threshold = tml_i16((mask >> 1) + (x < 0 ? 1 : 0));
  return tml_i16((x >> exponent) + (remainder > threshold ? 1 : 0));
}

/* TFLM SaturatingLeftShift (int16). */
static int16_t tml_sat_shl16(int16_t v, int amount) {
  int32_t r = (int32_t)v * (1 << amount);
  if (r > INT16_MAX) r = INT16_MAX;
  if (r < INT16_MIN) r = INT16_MIN;
  return (int16_t)r;
}

/* TFLM SaturatingDoublingHighMul (int16, truncating). */
static int16_t tml_sdhm16(int16_t a, int16_t b) {
  if (a == b && a == INT16_MIN) return INT16_MAX;
  return tml_i16(((int32_t)a * (int32_t)b) / (1 << 15));
}

tml_status tml_hard_swish_s8(const tml_hard_swish_s8_params *p,
                             const int8_t *input, int8_t *output,
                             int32_t count) {
  int32_t i;
  if (!p || !input || !output) return TML_ERR_NULL_POINTER;
  if (count < 0) return TML_ERR_BAD_SHAPE;
  if (p->output_multiplier_exponent > 0 || p->output_multiplier_exponent < -15 ||
      p->reluish_multiplier_exponent > 15 || p->reluish_multiplier_exponent < -15 ||
      p->reluish_multiplier_fixedpoint_int16 < INT16_MIN ||
      p->reluish_multiplier_fixedpoint_int16 > INT16_MAX ||
      p->output_multiplier_fixedpoint_int16 < INT16_MIN ||
      p->output_multiplier_fixedpoint_int16 > INT16_MAX)
    return TML_ERR_BAD_PARAM;
  for (i = 0; i < count; i++) {
    const int16_t in_value = tml_i16((int32_t)input[i] - p->input_zero_point);
    const int16_t hires = tml_i16((int32_t)in_value * (1 << 7));
    const int16_t preshift_out =
        tml_srdhm16(hires, (int16_t)p->output_multiplier_fixedpoint_int16);
    int16_t reluish = hires;
    int16_t preshift_output_value, out;
    if (p->reluish_multiplier_exponent > 0)
      reluish = tml_sat_shl16(reluish, p->reluish_multiplier_exponent - 1);
    reluish = tml_srdhm16(reluish, (int16_t)p->reluish_multiplier_fixedpoint_int16);
    if (p->reluish_multiplier_exponent > 0) reluish = tml_sat_shl16(reluish, 1);
    if (p->reluish_multiplier_exponent < 0)
      reluish = tml_rdbpot16(reluish, -p->reluish_multiplier_exponent);
    reluish = tml_i16(((int32_t)reluish + (1 << 15)) >> 1);
    preshift_output_value = tml_sdhm16(reluish, preshift_out);
    out = tml_rdbpot16(preshift_output_value, -p->output_multiplier_exponent);
    out = tml_i16((int32_t)out + p->output_zero_point);
    if (out > INT8_MAX) out = INT8_MAX;
    if (out < INT8_MIN) out = INT8_MIN;
    output[i] = (int8_t)out;
  }
  return TML_OK;
}
