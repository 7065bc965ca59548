/* STRIDED_SLICE, any element type (TFLM reference_ops::StridedSlice with the
 * start/stop already resolved by StartForAxis/StopForAxis at build time). */
#include <string.h>
#include "tml_internal.h"

static int tml_ss_done(int32_t i, int32_t stop, int32_t stride) {
  return stride > 0 ? i >= stop : i <= stop;
}

tml_status tml_strided_slice(const tml_strided_slice_params *p,
                             const void *input, void *output) {
  const unsigned char *in = (const unsigned char *)input;
  unsigned char *out = (unsigned char *)output;
  int32_t idx[TML_MAX_DIMS], stride_in[TML_MAX_DIMS];
  int32_t acc = 1;
  int d, rank;
  size_t es;
  if (!p || !input || !output) return TML_ERR_NULL_POINTER;
  if (!tml_shape_valid(&p->input)) return TML_ERR_BAD_SHAPE;
  if (p->elem_size == 0) return TML_ERR_BAD_PARAM;
  rank = p->input.rank;
  es = p->elem_size;
  for (d = rank - 1; d >= 0; --d) {
    if (p->stride[d] == 0) return TML_ERR_BAD_PARAM;
    stride_in[d] = acc;
    acc *= p->input.dims[d];
  }
  /* Every index the loops visit must lie inside the input. */
  for (d = 0; d < rank; ++d) {
    if (!tml_ss_done(p->start[d], p->stop[d], p->stride[d])) {
      const int64_t n = p->stride[d] > 0
          ? ((int64_t)p->stop[d] - p->start[d] + p->stride[d] - 1) / p->stride[d]
          : ((int64_t)p->start[d] - p->stop[d] - p->stride[d] - 1) / -p->stride[d];
      const int64_t last = p->start[d] + (n - 1) * p->stride[d];
      if (p->start[d] < 0 || p->start[d] >= p->input.dims[d] || last < 0 ||
          last >= p->input.dims[d])
        return TML_ERR_BAD_PARAM;
    } else {
      return TML_OK; /* empty output */
    }
    idx[d] = p->start[d];
  }
  if (rank == 0) {
    memcpy(out, in, es);
    return TML_OK;
  }
  for (;;) {
    int32_t off = 0;
    for (d = 0; d < rank; ++d) off += idx[d] * stride_in[d];
    memcpy(out, in + (size_t)off * es, es);
    out += es;
    for (d = rank - 1; d >= 0; --d) {
      idx[d] += p->stride[d];
      if (!tml_ss_done(idx[d], p->stop[d], p->stride[d])) break;
      idx[d] = p->start[d];
    }
    if (d < 0) break;
  }
  return TML_OK;
}
