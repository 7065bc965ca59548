/* TRANSPOSE, any element type (TFLM reference_ops::Transpose). */
#include <string.h>
#include "tml_internal.h"

tml_status tml_transpose(const tml_transpose_params *p, const void *input,
                         void *output) {
  const unsigned char *in = (const unsigned char *)input;
  unsigned char *out = (unsigned char *)output;
  int32_t in_stride[TML_MAX_DIMS], out_dims[TML_MAX_DIMS], step[TML_MAX_DIMS],
      idx[TML_MAX_DIMS];
  int32_t acc = 1, total, i, off = 0;
  int d, rank;
  unsigned seen = 0;
  size_t es;
  if (!p || !input || !output) return TML_ERR_NULL_POINTER;
  if (!tml_shape_valid(&p->input)) return TML_ERR_BAD_SHAPE;
  if (p->elem_size == 0) return TML_ERR_BAD_PARAM;
  rank = p->input.rank;
  es = p->elem_size;
  for (d = 0; d < rank; ++d) {
    if (p->perm[d] < 0 || p->perm[d] >= rank || (seen & (1u << p->perm[d])))
      return TML_ERR_BAD_PARAM;
    seen |= 1u << p->perm[d];
  }
  for (d = rank - 1; d >= 0; --d) {
    in_stride[d] = acc;
    acc *= p->input.dims[d];
  }
  total = acc;
  for (d = 0; d < rank; ++d) {
    out_dims[d] = p->input.dims[p->perm[d]];
    step[d] = in_stride[p->perm[d]];
    idx[d] = 0;
  }
  for (i = 0; i < total; ++i) {
    memcpy(out + (size_t)i * es, in + (size_t)off * es, es);
    for (d = rank - 1; d >= 0; --d) {
      off += step[d];
      if (++idx[d] < out_dims[d]) break;
      off -= step[d] * out_dims[d];
      idx[d] = 0;
    }
  }
  return TML_OK;
}
