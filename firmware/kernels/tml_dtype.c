/* Element sizes of the tml_dtype values. */
#include "tml_kernels.h"

size_t tml_dtype_size(tml_dtype type) {
  switch (type) {
    case TML_FLOAT32:
    case TML_INT32:
    case TML_UINT32: return 4;
    case TML_INT16: return 2;
    case TML_INT8:
    case TML_UINT8:
    case TML_BOOL: return 1;
  }
  return 0;
}
