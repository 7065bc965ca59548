/*
 * tml_internal.h — helpers shared by the kernel sources (not public API):
 * shape arithmetic and the broadcast iterator of the binary elementwise ops.
 */
#ifndef TML_INTERNAL_H
#define TML_INTERNAL_H

#include "tml_kernels.h"
#include "tml_fixedpoint.h"

static inline int tml_shape_valid(const tml_shape *s) {
  int i;
  if (s->rank < 0 || s->rank > TML_MAX_DIMS) return 0;
  for (i = 0; i < s->rank; ++i)
    if (s->dims[i] < 0) return 0;
  return 1;
}

/* Element count of a valid shape (1 for a scalar). */
static inline int32_t tml_shape_size(const tml_shape *s) {
  int32_t n = 1;
  int i;
  for (i = 0; i < s->rank; ++i) n *= s->dims[i];
  return n;
}

static inline int tml_window_valid(const tml_window *w) {
  return w->batches >= 0 && w->input_h >= 0 && w->input_w >= 0 &&
         w->input_c >= 0 && w->filter_h >= 0 && w->filter_w >= 0 &&
         w->output_h >= 0 && w->output_w >= 0 && w->output_c >= 0 &&
         w->stride_h > 0 && w->stride_w > 0 && w->dilation_h > 0 &&
         w->dilation_w > 0;
}

/*
 * Broadcast iterator. Shapes are right-aligned to `rank` dimensions; an input
 * dimension of 1 facing a larger output dimension gets stride 0 (TFLM's
 * BroadcastBinaryOpSimple). Output elements are visited in row-major order.
 */
typedef struct {
  int rank;
  int32_t count; /* output elements */
  int32_t dims[TML_MAX_DIMS];
  int32_t stride1[TML_MAX_DIMS];
  int32_t stride2[TML_MAX_DIMS];
  int32_t idx[TML_MAX_DIMS];
  int32_t off1, off2;
  int same; /* no broadcasting: offsets equal the output index */
} tml_bcast;

static inline tml_status tml_bcast_init(tml_bcast *b, const tml_binary_shapes *s) {
  int rank, i;
  int32_t acc1 = 1, acc2 = 1;
  if (!tml_shape_valid(&s->input1) || !tml_shape_valid(&s->input2) ||
      !tml_shape_valid(&s->output))
    return TML_ERR_BAD_SHAPE;
  rank = s->output.rank;
  if (s->input1.rank > rank) rank = s->input1.rank;
  if (s->input2.rank > rank) rank = s->input2.rank;
  b->rank = rank;
  b->count = 1;
  b->same = 1;
  b->off1 = b->off2 = 0;
  for (i = rank - 1; i >= 0; --i) {
    const int k1 = i - (rank - s->input1.rank);
    const int k2 = i - (rank - s->input2.rank);
    const int ko = i - (rank - s->output.rank);
    const int32_t d1 = k1 >= 0 ? s->input1.dims[k1] : 1;
    const int32_t d2 = k2 >= 0 ? s->input2.dims[k2] : 1;
    const int32_t dout = ko >= 0 ? s->output.dims[ko] : 1;
    if ((d1 != dout && d1 != 1) || (d2 != dout && d2 != 1))
      return TML_ERR_BAD_SHAPE;
    if (d1 != dout || d2 != dout) b->same = 0;
    b->dims[i] = dout;
    b->stride1[i] = (d1 == 1 && dout != 1) ? 0 : acc1;
    b->stride2[i] = (d2 == 1 && dout != 1) ? 0 : acc2;
    b->idx[i] = 0;
    acc1 *= d1;
    acc2 *= d2;
    b->count *= dout;
  }
  return TML_OK;
}

/* Advance to the next output element, updating off1/off2. */
static inline void tml_bcast_next(tml_bcast *b) {
  int i;
  for (i = b->rank - 1; i >= 0; --i) {
    b->off1 += b->stride1[i];
    b->off2 += b->stride2[i];
    if (++b->idx[i] < b->dims[i]) return;
    b->off1 -= b->stride1[i] * b->dims[i];
    b->off2 -= b->stride2[i] * b->dims[i];
    b->idx[i] = 0;
  }
}

/* Float clamp with std::min(std::max(x, lo), hi) semantics (NaN passes through). */
static inline float tml_clamp_f32(float x, float lo, float hi) {
  const float m = (x < lo) ? lo : x; /* std::max(x, lo) */
  return (hi < m) ? hi : m;          /* std::min(m, hi) */
}

#endif /* TML_INTERNAL_H */
