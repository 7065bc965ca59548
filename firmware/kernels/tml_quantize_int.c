/* QUANTIZE integer -> integer (TFLM reference_ops::Requantize). */
#include "tml_internal.h"

tml_status tml_quantize_int(const tml_requantize_params *p, const void *input,
                            void *output, int32_t count) {
  int32_t i, lo, hi;
  tml_dtype it, ot;
  if (!p || !input || !output) return TML_ERR_NULL_POINTER;
  if (count < 0) return TML_ERR_BAD_SHAPE;
  it = p->input_type;
  ot = p->output_type;
  if (!((it == TML_INT8 && (ot == TML_INT8 || ot == TML_UINT8 || ot == TML_INT16 ||
                            ot == TML_INT32)) ||
        (it == TML_INT16 && (ot == TML_INT8 || ot == TML_INT16 || ot == TML_INT32)) ||
        (it == TML_INT32 && (ot == TML_INT8 || ot == TML_INT16)) ||
        (it == TML_UINT8 && ot == TML_INT8)))
    return TML_ERR_UNSUPPORTED_TYPE;
  if (p->shift < -31 || p->shift > 30) return TML_ERR_BAD_PARAM;
  switch (ot) {
    case TML_INT8: lo = INT8_MIN; hi = INT8_MAX; break;
    case TML_UINT8: lo = 0; hi = UINT8_MAX; break;
    case TML_INT16: lo = INT16_MIN; hi = INT16_MAX; break;
    default: lo = INT32_MIN; hi = INT32_MAX; break;
  }
  /* TFLM's int8<->uint8 same-scale XOR shortcut equals this formula exactly. */
  for (i = 0; i < count; ++i) {
    int32_t x, y;
    switch (it) {
      case TML_INT8: x = ((const int8_t *)input)[i]; break;
      case TML_UINT8: x = ((const uint8_t *)input)[i]; break;
      case TML_INT16: x = ((const int16_t *)input)[i]; break;
      default: x = ((const int32_t *)input)[i]; break;
    }
    y = tml_multiply_by_quantized_multiplier(tml_wrap_sub(x, p->input_zero_point),
                                             p->multiplier, p->shift);
    y = tml_clamp_i32(tml_wrap_add(y, p->output_zero_point), lo, hi);
    switch (ot) {
      case TML_INT8: ((int8_t *)output)[i] = (int8_t)y; break;
      case TML_UINT8: ((uint8_t *)output)[i] = (uint8_t)y; break;
      case TML_INT16: ((int16_t *)output)[i] = (int16_t)y; break;
      default: ((int32_t *)output)[i] = y; break;
    }
  }
  return TML_OK;
}
