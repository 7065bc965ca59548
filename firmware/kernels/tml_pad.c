/* PAD / PADV2, any element type (TFLM reference_ops::PadImpl). */
#include <string.h>
#include "tml_internal.h"

tml_status tml_pad(const tml_pad_params *p, const void *input,
                   const void *pad_value, void *output) {
  const unsigned char *in = (const unsigned char *)input;
  unsigned char *out = (unsigned char *)output;
  int32_t out_dims[TML_MAX_DIMS], idx[TML_MAX_DIMS];
  int32_t total = 1, i;
  int d, rank;
  size_t es;
  if (!p || !input || !pad_value || !output) return TML_ERR_NULL_POINTER;
  if (!tml_shape_valid(&p->input)) return TML_ERR_BAD_SHAPE;
  if (p->elem_size == 0) return TML_ERR_BAD_PARAM;
  rank = p->input.rank;
  es = p->elem_size;
  for (d = 0; d < rank; ++d) {
    if (p->before[d] < 0 || p->after[d] < 0) return TML_ERR_BAD_PARAM;
    out_dims[d] = p->before[d] + p->input.dims[d] + p->after[d];
    idx[d] = 0;
    total *= out_dims[d];
  }
  /* Walk the output in row-major order; the input is consumed in order. */
  for (i = 0; i < total; ++i) {
    int inside = 1;
    for (d = 0; d < rank; ++d)
      if (idx[d] < p->before[d] || idx[d] >= p->before[d] + p->input.dims[d]) {
        inside = 0;
        break;
      }
    if (inside) {
      memcpy(out, in, es);
      in += es;
    } else {
      memcpy(out, pad_value, es);
    }
    out += es;
    for (d = rank - 1; d >= 0; --d) {
      if (++idx[d] < out_dims[d]) break;
      idx[d] = 0;
    }
  }
  return TML_OK;
}
