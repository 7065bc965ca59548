/* tml_mbqm_any (tml_fast_int8.h): MultiplyByQuantizedMultiplier for any
 * shift, the requantization's rare path, out of line and shared. */
#include "tml_fast_int8.h"

int32_t tml_mbqm_any(int32_t x, int32_t m, int32_t sh) {
  return tml_multiply_by_quantized_multiplier(x, m, (int)sh);
}
