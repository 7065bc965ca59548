/* The binary int8 ops' fast paths: the output as runs along the innermost
 * dimensions, and TFLite's double-rounding requantization as one 64-bit
 * multiply-accumulate with constants computed once per call. */
#ifndef TML_BINARY_RUNS_H
#define TML_BINARY_RUNS_H

#include "tml_fast_int8.h"
#include "tml_internal.h"

/* Runs of `len` output elements in which each input either advances by one
 * element (st = 1) or repeats one element (st = 0, broadcast along the run).
 * The innermost dimensions are merged while both inputs keep that pattern
 * (the whole tensor is one run without broadcasting); the dimensions
 * [0, outer) are stepped between runs as tml_bcast_next steps all of them,
 * so the broadcast iterator's per-element bookkeeping leaves the hot loop. */
typedef struct {
  tml_bcast b;
  int outer;
  int32_t len, runs;
  int32_t st1, st2;
} tml_runs;

static inline tml_status tml_runs_init(tml_runs *r, const tml_binary_shapes *s) {
  int i;
  const tml_status st = tml_bcast_init(&r->b, s);
  if (st != TML_OK) return st;
  r->len = 1;
  r->st1 = r->st2 = -1; /* no dimension above 1 seen yet */
  for (i = r->b.rank - 1; i >= 0; --i) {
    const int32_t d = r->b.dims[i], s1 = r->b.stride1[i], s2 = r->b.stride2[i];
    if (d == 1) continue;
    if (r->st1 < 0) {
      r->st1 = s1 != 0;
      r->st2 = s2 != 0;
    } else if (s1 != r->st1 * r->len || s2 != r->st2 * r->len) {
      break;
    }
    r->len *= d;
  }
  if (r->st1 < 0) r->st1 = r->st2 = 0; /* one element */
  r->outer = i + 1;
  r->runs = r->b.count == 0 ? 0 : r->b.count / r->len;
  return TML_OK;
}

/* Steps b.off1/b.off2 to the next run's first element. */
static inline void tml_runs_next(tml_runs *r) {
  tml_bcast *b = &r->b;
  int i;
  for (i = r->outer - 1; i >= 0; --i) {
    b->off1 += b->stride1[i];
    b->off2 += b->stride2[i];
    if (++b->idx[i] < b->dims[i]) return;
    b->off1 -= b->stride1[i] * b->dims[i];
    b->off2 -= b->stride2[i] * b->dims[i];
    b->idx[i] = 0;
  }
}

/* RoundingDivideByPOT(SRDHM(a, m), e) for m >= 0 and 0 <= e <= 31, as
 *   (int32)(hi32(a' * m + k + ([a < 0] ? kd : 0))) >> post.
 * With P = a*m, SRDHM is floor((P + 2^30) / 2^31) for either sign of P and
 * RoundingDivideByPOT(h, e) is floor((h + 2^(e-1) - [h<0]) / 2^e), so for
 * e >= 1 the two nested floors are floor((P + 2^30 + 2^(30+e) - [h<0]*2^31)
 * / 2^(31+e)) (tml_mbqm in tml_fast_int8.h derives it; [h<0] may be [a<0]
 * as m >= 0: they differ only where h is 0 and both roundings give 0):
 * a' = a, k = 2^30 + 2^(30+e), kd = -2^31, post = e - 1. For e = 0 there is
 * no second rounding: a' = 2a (the caller guarantees it fits), k = 2^31,
 * kd = 0, post = 0, the high word of 2P + 2^31. */
typedef struct {
  int32_t m, kd, post, twice;
  int64_t k;
} tml_rescale;

static inline void tml_rescale_init(tml_rescale *c, int32_t m, int32_t e) {
  c->m = m;
  c->twice = e == 0;
  c->kd = e == 0 ? 0 : INT32_MIN;
  c->post = e == 0 ? 0 : e - 1;
  c->k = e == 0 ? ((int64_t)1 << 31) : ((int64_t)1 << 30) + ((int64_t)1 << (30 + e));
}

/* a' * m + k + kd·[a<0] where a' is already doubled when c->twice. */
static inline int32_t tml_rescale_apply(int32_t a2, int32_t neg, int32_t m, int64_t k,
                                        int32_t kd, int32_t post) {
  const int64_t t = (int64_t)a2 * m + k + (int64_t)(neg & kd);
  return (int32_t)(t >> 32) >> post;
}

/* SMMULR: (a * b + 2^31) >> 32, so SMMULR(2a, m) is TFLite's
 * SaturatingRoundingDoublingHighMul(a, m) = floor((a*m + 2^30) / 2^31)
 * wherever 2a fits (it never saturates then). */
static TML_ALWAYS_INLINE int32_t tml_smmulr(int32_t a, int32_t b) {
#if TML_DSP && defined(__arm__) && defined(__GNUC__)
  int32_t r;
  __asm__("smmulr %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
  return r;
#else
  return (int32_t)(((int64_t)a * b + ((int64_t)1 << 31)) >> 32);
#endif
}

/* RoundingDivideByPOT(h, e) for e in [1, 31], |h| + 2^(e-1) < 2^31:
 * floor((h + 2^(e-1) - [h<0]) / 2^e), half away from zero. */
static TML_ALWAYS_INLINE int32_t tml_rdbpot_1(int32_t h, int32_t half, int32_t e) {
  return (h + half + (h >> 31)) >> e;
}

/* Whether |v| << shift stays below 2^31 for every |v| <= bound. */
static inline int tml_fits_shl(int64_t bound, int32_t shift) {
  return shift >= 0 && shift <= 31 && bound <= (int64_t)(INT32_MAX >> shift);
}

/* The largest |x + offset| over int8 x. */
static inline int64_t tml_s8_offset_bound(int32_t offset) {
  const int64_t lo = -128 + (int64_t)offset, hi = 127 + (int64_t)offset;
  return lo < 0 ? (-lo > hi ? -lo : hi) : hi;
}

#endif /* TML_BINARY_RUNS_H */
