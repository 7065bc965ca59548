/* CONCATENATION, any element type (TFLM reference_ops::Concatenation). */
#include <string.h>
#include "tml_internal.h"

tml_status tml_concat(const tml_concat_params *p, const void *const *inputs,
                      void *output) {
  unsigned char *out = (unsigned char *)output;
  int32_t k, i;
  if (!p || !inputs || !output || !p->copy_size) return TML_ERR_NULL_POINTER;
  if (p->num_inputs < 0 || p->outer_size < 0) return TML_ERR_BAD_SHAPE;
  if (p->elem_size == 0) return TML_ERR_BAD_PARAM;
  for (i = 0; i < p->num_inputs; ++i) {
    if (!inputs[i]) return TML_ERR_NULL_POINTER;
    if (p->copy_size[i] < 0) return TML_ERR_BAD_SHAPE;
  }
  for (k = 0; k < p->outer_size; ++k) {
    for (i = 0; i < p->num_inputs; ++i) {
      const size_t n = (size_t)p->copy_size[i] * p->elem_size;
      memcpy(out, (const unsigned char *)inputs[i] + (size_t)k * n, n);
      out += n;
    }
  }
  return TML_OK;
}
