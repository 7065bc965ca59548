/* Index bookkeeping shared by the MEAN kernels (TFLM's Reduce over a mask of
 * axes): input elements are visited in row-major order and accumulated into
 * the output element obtained by dropping the reduced coordinates. */
#ifndef TML_MEAN_IMPL_H
#define TML_MEAN_IMPL_H

#include "tml_internal.h"

typedef struct {
  int rank;
  int32_t dims[TML_MAX_DIMS];
  int32_t out_stride[TML_MAX_DIMS]; /* 0 for reduced dims */
  int32_t idx[TML_MAX_DIMS];
  int32_t out_off;
  int32_t in_count, out_count, reduced_count;
} tml_reduce_iter;

static inline tml_status tml_reduce_init(tml_reduce_iter *r, const tml_shape *s,
                                         uint32_t axis_mask) {
  int i;
  int32_t acc = 1;
  if (!tml_shape_valid(s)) return TML_ERR_BAD_SHAPE;
  if (s->rank < 32 && (axis_mask >> s->rank) != 0) return TML_ERR_BAD_PARAM;
  r->rank = s->rank;
  r->in_count = 1;
  r->reduced_count = 1;
  r->out_off = 0;
  for (i = s->rank - 1; i >= 0; --i) {
    r->dims[i] = s->dims[i];
    r->idx[i] = 0;
    r->in_count *= s->dims[i];
    if (axis_mask & (1u << i)) {
      r->out_stride[i] = 0;
      r->reduced_count *= s->dims[i];
    } else {
      r->out_stride[i] = acc;
      acc *= s->dims[i];
    }
  }
  r->out_count = acc;
  return TML_OK;
}

static inline void tml_reduce_next(tml_reduce_iter *r) {
  int i;
  for (i = r->rank - 1; i >= 0; --i) {
    r->out_off += r->out_stride[i];
    if (++r->idx[i] < r->dims[i]) return;
    r->out_off -= r->out_stride[i] * r->dims[i];
    r->idx[i] = 0;
  }
}

#endif /* TML_MEAN_IMPL_H */
