/* MINIMUM, int8/int16/int32/float32 (TFLM MaximumMinimumBroadcastSlow
 * with MinimumOp: a < b ? a : b). */
#include "tml_internal.h"

#define TML_MINIMUM_LOOP(T)                                    \
  do {                                                           \
    const T *x1 = (const T *)input1, *x2 = (const T *)input2;    \
    T *y = (T *)output;                                          \
    for (i = 0; i < b.count; ++i) {                              \
      const T a = x1[b.off1], c = x2[b.off2];                    \
      y[i] = a < c ? a : c;                                     \
      tml_bcast_next(&b);                                        \
    }                                                            \
  } while (0)

tml_status tml_minimum(tml_dtype type, const tml_binary_shapes *s,
                       const void *input1, const void *input2, void *output) {
  tml_bcast b;
  tml_status st;
  int32_t i;
  if (!s || !input1 || !input2 || !output) return TML_ERR_NULL_POINTER;
  st = tml_bcast_init(&b, s);
  if (st != TML_OK) return st;
  switch (type) {
    case TML_INT8: TML_MINIMUM_LOOP(int8_t); break;
    case TML_INT16: TML_MINIMUM_LOOP(int16_t); break;
    case TML_INT32: TML_MINIMUM_LOOP(int32_t); break;
    case TML_FLOAT32: TML_MINIMUM_LOOP(float); break;
    default: return TML_ERR_UNSUPPORTED_TYPE;
  }
  return TML_OK;
}
