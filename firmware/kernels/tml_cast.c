/* CAST (TFLM cast.cc: static_cast between element types). */
#include "tml_internal.h"

/* float -> int32 as Cortex-M VCVT: truncate, saturate, NaN -> 0. Identical to
 * static_cast<int32_t> wherever that is defined. */
static int32_t tml_f32_to_i32(float x) {
  if (!(x == x)) return 0;
  if (x >= 2147483648.0f) return INT32_MAX;
  if (x <= -2147483648.0f) return INT32_MIN;
  return (int32_t)x;
}

static uint32_t tml_f32_to_u32(float x) {
  if (!(x > 0.0f)) return 0; /* negative, zero and NaN */
  if (x >= 4294967296.0f) return UINT32_MAX;
  return (uint32_t)x;
}

/* Read element i of `in` as the widest carrier: integers as int64 bit
 * patterns (exact), floats as float. */
static int tml_is_float(tml_dtype t) { return t == TML_FLOAT32; }

static int64_t tml_load_int(tml_dtype t, const void *in, int32_t i) {
  switch (t) {
    case TML_INT8: return ((const int8_t *)in)[i];
    case TML_UINT8: return ((const uint8_t *)in)[i];
    case TML_BOOL: return ((const uint8_t *)in)[i] != 0;
    case TML_INT16: return ((const int16_t *)in)[i];
    case TML_INT32: return ((const int32_t *)in)[i];
    case TML_UINT32: return ((const uint32_t *)in)[i];
    default: return 0;
  }
}

tml_status tml_cast(tml_dtype input_type, const void *input,
                    tml_dtype output_type, void *output, int32_t count) {
  int32_t i;
  if (!input || !output) return TML_ERR_NULL_POINTER;
  if (count < 0) return TML_ERR_BAD_SHAPE;
  switch (input_type) {
    case TML_INT8: case TML_INT16: case TML_INT32: case TML_UINT32:
    case TML_FLOAT32: case TML_BOOL: break;
    default: return TML_ERR_UNSUPPORTED_TYPE;
  }
  switch (output_type) {
    case TML_INT8: case TML_INT16: case TML_INT32: case TML_UINT32:
    case TML_FLOAT32: break;
    default: return TML_ERR_UNSUPPORTED_TYPE;
  }
  for (i = 0; i < count; ++i) {
    if (tml_is_float(input_type)) {
      const float x = ((const float *)input)[i];
      switch (output_type) {
        case TML_FLOAT32: ((float *)output)[i] = x; break;
        case TML_UINT32: ((uint32_t *)output)[i] = tml_f32_to_u32(x); break;
        case TML_INT32: ((int32_t *)output)[i] = tml_f32_to_i32(x); break;
        /* Narrow types: via int32 then modulo, as GCC compiles static_cast. */
        case TML_INT16: ((int16_t *)output)[i] = (int16_t)tml_f32_to_i32(x); break;
        default: ((int8_t *)output)[i] = (int8_t)tml_f32_to_i32(x); break;
      }
    } else {
      const int64_t v = tml_load_int(input_type, input, i);
      switch (output_type) {
        case TML_FLOAT32:
          ((float *)output)[i] = input_type == TML_UINT32 ? (float)(uint32_t)v
                                                          : (float)(int32_t)v;
          break;
        case TML_UINT32: ((uint32_t *)output)[i] = (uint32_t)v; break;
        case TML_INT32: ((int32_t *)output)[i] = (int32_t)(uint32_t)v; break;
        case TML_INT16: ((int16_t *)output)[i] = (int16_t)(uint16_t)v; break;
        default: ((int8_t *)output)[i] = (int8_t)(uint8_t)v; break;
      }
    }
  }
  return TML_OK;
}
