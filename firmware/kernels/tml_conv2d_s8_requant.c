/* CONV_2D int8: the requantization of a run of accumulators into int8
 * outputs (bias, tml_mbqm or MultiplyByQuantizedMultiplier for any shift,
 * output offset, clamp), shared by every variant. */
#include "tml_conv2d_s8_impl.h"

static const int32_t tml_cv_zero = 0;

/* Requantizes output channels oc0 .. oc0+n-1 of np consecutive pixels:
 * acc[p*CHUNK + i] into o[p*ostride + oc0 + i]. */
static TML_ALWAYS_INLINE void tml_cv_requant_loop(const tml_cv_rq *q, int32_t oc0, int32_t n,
                                              const int32_t *acc, int8_t *o, int32_t ostride,
                                              const int np) {
  const int32_t *bp = q->bias ? q->bias + oc0 : &tml_cv_zero;
  const int32_t bstep = q->bias ? 1 : 0;
  const int32_t *mult = q->mult + oc0, *shift = q->shift + oc0;
  const int32_t out_offset = q->out_offset, act_min = q->act_min, act_max = q->act_max;
  int32_t i;
  o += oc0;
  for (i = 0; i < n; ++i, ++o) {
    const int32_t m = mult[i], sh = shift[i], bv = *bp;
    bp += bstep;
#define TML_CV_EACH(OUT)                                        \
  do {                                                          \
    OUT(o[0], acc[i]);                                          \
    if (np > 1) OUT(o[ostride], acc[TML_CV_CHUNK + i]);         \
    if (np > 2) OUT(o[2 * ostride], acc[2 * TML_CV_CHUNK + i]); \
    if (np > 3) OUT(o[3 * ostride], acc[3 * TML_CV_CHUNK + i]); \
  } while (0)
    if (sh <= -2 && sh >= -31) { /* right shift e = -sh in [2, 31] */
      const int e1 = (int)(-1 - sh);
      const int32_t khi = (int32_t)1 << (e1 - 1);
#define TML_CV_FAST(dst, a)                                                              \
  (dst) = tml_clamp_out(tml_mbqm(tml_wrap_add((a), bv), m, khi, e1), out_offset,    \
                           act_min, act_max)
      TML_CV_EACH(TML_CV_FAST);
#undef TML_CV_FAST
    } else {
#define TML_CV_SLOW(dst, a)                                                              \
  (dst) = tml_clamp_out(tml_mbqm_any(tml_wrap_add((a), bv), m, sh), out_offset,     \
                           act_min, act_max)
      TML_CV_EACH(TML_CV_SLOW);
#undef TML_CV_SLOW
    }
#undef TML_CV_EACH
  }
}

void tml_cv_requant_run(const tml_cv_rq *q, int32_t oc0, int32_t n, const int32_t *acc,
                        int8_t *o, int32_t ostride, int np) {
  if (np == 4)
    tml_cv_requant_loop(q, oc0, n, acc, o, ostride, 4);
  else if (np == 2)
    tml_cv_requant_loop(q, oc0, n, acc, o, ostride, 2);
  else
    tml_cv_requant_loop(q, oc0, n, acc, o, ostride, 1);
}

