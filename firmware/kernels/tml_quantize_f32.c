/* QUANTIZE float32 -> int8 / int16 (TFLM reference_ops::AffineQuantize). */
#include <math.h>
#include "tml_internal.h"

static int32_t tml_affine_quantize(float x, float scale, int32_t zero_point,
                                   int32_t lo, int32_t hi) {
  const float r = roundf(x / scale); /* TfLiteRound(val / float(scale)) */
  int32_t q;
  /* Out-of-int32-range values are undefined in TFLM; saturate them. */
  if (!(r == r)) q = 0;
  else if (r >= 2147483648.0f) q = INT32_MAX;
  else if (r <= -2147483648.0f) q = INT32_MIN;
  else q = (int32_t)r;
  return tml_clamp_i32(tml_wrap_add(q, zero_point), lo, hi);
}

tml_status tml_quantize_f32_s8(const tml_quantize_f32_params *p,
                               const float *input, int8_t *output,
                               int32_t count) {
  int32_t i;
  if (!p || !input || !output) return TML_ERR_NULL_POINTER;
  if (count < 0) return TML_ERR_BAD_SHAPE;
  for (i = 0; i < count; ++i)
    output[i] = (int8_t)tml_affine_quantize(input[i], p->scale, p->zero_point,
                                            INT8_MIN, INT8_MAX);
  return TML_OK;
}

tml_status tml_quantize_f32_s16(const tml_quantize_f32_params *p,
                                const float *input, int16_t *output,
                                int32_t count) {
  int32_t i;
  if (!p || !input || !output) return TML_ERR_NULL_POINTER;
  if (count < 0) return TML_ERR_BAD_SHAPE;
  for (i = 0; i < count; ++i)
    output[i] = (int16_t)tml_affine_quantize(input[i], p->scale, p->zero_point,
                                             INT16_MIN, INT16_MAX);
  return TML_OK;
}
