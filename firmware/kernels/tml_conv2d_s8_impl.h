/* tml_conv2d_s8_impl.h — what the CONV_2D int8 variants share (internal).
 * tml_conv2d_s8.c is the dispatcher: it picks the variant with
 * tml_conv2d_s8_select() (tml_conv2d_s8_select.c, with the scratch size and
 * the checks every entry makes) and calls its entry; each variant lives in
 * a file of its own with its entry tml_conv2d_s8_run_<variant> (CMSIS-NN's
 * layout):
 *   tml_conv2d_s8_pointwise.c  1x1, no padding, windows widened (DSP)
 *   tml_conv2d_s8_windows.c    any window, widened with padding (DSP)
 *   tml_conv2d_s8_generic.c    everything, on the runs of each window
 * and this header holds what they share: requantization, widened windows
 * and the dot products over them. */
#ifndef TML_CONV2D_S8_IMPL_H
#define TML_CONV2D_S8_IMPL_H

#include "tml_fast_int8.h"

/* Output channels accumulated (per pixel) before they are requantized. */
#define TML_CV_CHUNK 16
/* Pixels computed together at most. */
#define TML_CV_GROUP 4
/* Room for the widened windows: 128 double words (1 KB) of scratch at most. */
#define TML_CV_COLS 128

/* What the requantization of every output needs. */
typedef struct {
  const int32_t *bias, *mult, *shift;
  int32_t out_offset, act_min, act_max;
} tml_cv_rq;

/* One call's scratch carved from the caller's buffer (8-byte aligned):
 * np * (k / 4) widened words, 3 * np tail taps, np * TML_CV_CHUNK
 * accumulators, for np pixels per group and windows of k taps. */
typedef struct {
  uint64_t *cols;
  int32_t *tail, *acc;
} tml_cv_scratch;

/* The valid taps of one output pixel: rows x cols runs of len bytes; run
 * (r, c) starts at in + r*in_row + c*in_col in the input and at
 * r*f_row + c*f_col from the filter of the output channel. */
typedef struct {
  int32_t rows, cols, len;
  int32_t in_row, in_col, f_row, f_col;
} tml_cv_geo;

/* One call's params, checked and unpacked into the locals the variants take
 * (the int8 output stores may alias anything behind the params). */
typedef struct {
  tml_window w;
  tml_cv_rq q;
  int32_t fic, off;
  int empty; /* an output dimension is 0: nothing to do */
#if TML_DSP
  tml_conv2d_s8_variant variant; /* tml_conv2d_s8_select(p) */
  int32_t offp; /* input_offset in both 16-bit lanes */
  int np4;      /* the widening variants take four pixels per group (else two) */
  tml_cv_scratch s;
#endif
} tml_cv_call;

/* The checks every entry makes (TML_OK, or the error tml_conv2d_s8 returns). */
tml_status tml_cv_prepare(const tml_conv2d_s8_params *p, const int8_t *input,
                          const int8_t *filter, const int32_t *bias, int8_t *output,
                          void *scratch, tml_cv_call *c);

/* Pixels per widened group where the widening variants may run: 4, 2, or 0
 * (one group, no horizontal dilation, |input_offset| <= 32640 and the
 * widened windows within TML_CV_COLS double words). */
int tml_cv_cols_pixels(const tml_conv2d_s8_params *p);

/* The generic variant (any params, any CPU); acc: 2 * TML_CV_CHUNK int32 of scratch. */
void tml_conv2d_s8_generic(const tml_window *pw, const int8_t *input, const int8_t *filter,
                           int8_t *output, const tml_cv_rq *q, int32_t fic, int32_t off,
                           int32_t *acc);

#if TML_DSP
/* The widening variants: np4 set for four pixels per group, else two. */
void tml_conv2d_s8_pointwise(const tml_window *pw, const int8_t *input, const int8_t *filter,
                             int8_t *output, const tml_cv_rq *q, int32_t offp, int32_t off,
                             int np4, const tml_cv_scratch *s);
void tml_conv2d_s8_windows(const tml_window *pw, const int8_t *input, const int8_t *filter,
                           int8_t *output, const tml_cv_rq *q, int32_t offp, int32_t off,
                           int np4, const tml_cv_scratch *s);

typedef void (*tml_cv_widening)(const tml_window *pw, const int8_t *input, const int8_t *filter,
                                int8_t *output, const tml_cv_rq *q, int32_t offp, int32_t off,
                                int np4, const tml_cv_scratch *s);

/* The entry of a widening variant (tml_conv2d_s8_select.c): the checks,
 * then `run` if the params select `variant`, else TML_ERR_BAD_PARAM.
 * Without the DSP extension the widening entries are the generic one. */
tml_status tml_cv_run_widening(const tml_conv2d_s8_params *p, const int8_t *input,
                               const int8_t *filter, const int32_t *bias, int8_t *output,
                               void *scratch, tml_conv2d_s8_variant variant,
                               tml_cv_widening run);

/* Four input bytes (x0, x1, x2, x3) as SMLAD operands with input_offset
 * added (offp holds it in both 16-bit lanes): (x0, x2) in the low word,
 * (x1, x3) in the high word, the lanes SXTB16 gives for a filter word. */
static inline uint64_t tml_cv_widen(int32_t offp, uint32_t v) {
  return (uint64_t)(uint32_t)__sxtab16(offp, (int32_t)v) |
         (uint64_t)(uint32_t)tml_sxtab16_r8(offp, v) << 32;
}

/* Appends one byte to the word being gathered; every fourth byte the word
 * is widened into the next group of cols. */
#define TML_CV_PUSH(byte)                                         \
  do {                                                            \
    word |= (uint32_t)(uint8_t)(byte) << (8 * nb);                \
    if (++nb == 4) {                                              \
      *cols = tml_cv_widen(offp, word);                           \
      cols += np;                                                 \
      word = 0;                                                   \
      nb = 0;                                                     \
    }                                                             \
  } while (0)

/* The window of pixel `lane` of np (rows runs of len bytes, in_row apart)
 * widened: taps 4g .. 4g+3 in cols[np*g + lane], the last k % 4 taps (plus
 * input_offset) in tail[3*lane + t]. */
static inline void tml_cv_im2col(const int8_t *x, int32_t rows, int32_t len, int32_t in_row,
                                 int32_t offp, int32_t off, uint64_t *cols, int32_t *tail,
                                 int lane, int np) {
  int32_t r, j;
  cols += lane;
  if ((len & 3) == 0) {
    for (r = 0; r < rows; ++r) {
      const int8_t *xr = x + r * in_row;
      for (j = 0; j < len; j += 4) {
        *cols = tml_cv_widen(offp, tml_ld32(xr + j));
        cols += np;
      }
    }
  } else {
    /* Rows of other lengths: bytes gathered four at a time. */
    uint32_t word = 0;
    int nb = 0;
    for (r = 0; r < rows; ++r) {
      const int8_t *xr = x + r * in_row;
      for (j = 0; j < len; ++j) TML_CV_PUSH(xr[j]);
    }
    for (j = 0; j < nb; ++j) tail[3 * lane + j] = (int8_t)(uint8_t)(word >> (8 * j)) + off;
  }
}
#endif /* TML_DSP */

/* The hot helpers every variant shares (the dot products below) are
 * static in each variant's file, not one extern copy: GCC then allocates
 * registers across the calls (-fipa-ra) as it did with one file, which
 * keeps the instruction counts. */

/* Requantizes output channels oc0 .. oc0+n-1 of np (1, 2 or 4) consecutive
 * pixels: acc[p*CHUNK + i] into o[p*ostride + oc0 + i]. One extern copy
 * (tml_conv2d_s8_requant.c) for every variant: it runs once per pixel group
 * and chunk of channels, not per MAC, so the call costs nothing measurable
 * and an image with two variants carries it once (1.1 KB on Cortex-M4). */
void tml_cv_requant_run(const tml_cv_rq *q, int32_t oc0, int32_t n, const int32_t *acc,
                        int8_t *o, int32_t ostride, int np);

#if TML_DSP
/* acc = (x0.f0, x0.f1, 0, 0). */
static TML_NOINLINE TML_MAYBE_UNUSED void tml_cv_dot12(const tml_cv_geo *g, const int8_t *x0,
                                         const int8_t *f0, const int8_t *f1, int32_t offp,
                                         int32_t off, int32_t acc[4]) {
  int32_t a00 = 0, a01 = 0;
  int32_t r, c;
  for (r = 0; r < g->rows; ++r) {
    const int8_t *xr0 = x0 + r * g->in_row;
    const int8_t *fr0 = f0 + r * g->f_row, *fr1 = f1 + r * g->f_row;
    for (c = 0; c < g->cols; ++c) {
      const int8_t *p0 = xr0 + c * g->in_col;
      const int8_t *q0 = fr0 + c * g->f_col, *q1 = fr1 + c * g->f_col;
      int32_t n = g->len;
      for (; n >= 4; n -= 4) {
        const uint32_t w0 = tml_ld32(p0);
        const uint32_t v0 = tml_ld32(q0), v1 = tml_ld32(q1);
        const int32_t x0e = __sxtab16(offp, (int32_t)w0), x0o = tml_sxtab16_r8(offp, w0);
        const int32_t f0e = __sxtb16((int32_t)v0), f0o = tml_sxtb16_r8(v0);
        const int32_t f1e = __sxtb16((int32_t)v1), f1o = tml_sxtb16_r8(v1);
        a00 = __smlad(x0e, f0e, a00);
        a00 = __smlad(x0o, f0o, a00);
        a01 = __smlad(x0e, f1e, a01);
        a01 = __smlad(x0o, f1o, a01);
        p0 += 4;
        q0 += 4;
        q1 += 4;
      }
      for (; n > 0; --n) {
        const int32_t xv0 = *p0++ + off;
        a00 = tml_wrap_add(a00, xv0 * *q0++);
        a01 = tml_wrap_add(a01, xv0 * *q1++);
      }
    }
  }
  acc[0] = a00;
  acc[1] = a01;
  acc[2] = 0;
  acc[3] = 0;
}

/* The two words of *(*p)++ (GCC would split a 64-bit load it only uses in
 * halves into two LDRs). */
static inline void tml_cv_ld64(const uint64_t **p, int32_t *lo, int32_t *hi) {
#if defined(__arm__) && defined(__GNUC__)
  __asm__("ldrd %0, %1, [%2], #8" : "=&r"(*lo), "=&r"(*hi), "+r"(*p) : "m"(**p));
#else
  const uint64_t v = *(*p)++;
  *lo = (int32_t)(uint32_t)v;
  *hi = (int32_t)(uint32_t)(v >> 32);
#endif
}

/* Accumulators of n output channels (filters f, k taps each) for two
 * pixels whose full windows tml_cv_im2col laid out in cols/tail: two filters
 * at a time stream past them. acc[i] and acc[TML_CV_CHUNK + i]. */
static TML_NOINLINE TML_MAYBE_UNUSED void tml_cv_cols_acc(const uint64_t *cols, const int32_t *tail,
                                            int32_t k, const int8_t *f, int32_t n,
                                            int32_t *acc) {
  const int32_t groups = k >> 2, rest = k & 3;
  int32_t i;
  for (i = 0; i < n; i += 2) {
    const int8_t *f0 = f + (size_t)i * k;
    const int8_t *f1 = i + 1 < n ? f0 + k : f0;
    const uint64_t *c = cols;
    int32_t a00 = 0, a01 = 0, a10 = 0, a11 = 0;
    int32_t g, t;
    for (g = groups; g > 0; --g) {
      const uint32_t v0 = tml_ld32(f0), v1 = tml_ld32(f1);
      const int32_t f0e = __sxtb16((int32_t)v0), f0o = tml_sxtb16_r8(v0);
      const int32_t f1e = __sxtb16((int32_t)v1), f1o = tml_sxtb16_r8(v1);
      int32_t lo, hi;
      tml_cv_ld64(&c, &lo, &hi);
      a00 = __smlad(lo, f0e, a00);
      a01 = __smlad(lo, f1e, a01);
      a00 = __smlad(hi, f0o, a00);
      a01 = __smlad(hi, f1o, a01);
      tml_cv_ld64(&c, &lo, &hi);
      a10 = __smlad(lo, f0e, a10);
      a11 = __smlad(lo, f1e, a11);
      a10 = __smlad(hi, f0o, a10);
      a11 = __smlad(hi, f1o, a11);
      f0 += 4;
      f1 += 4;
    }
    for (t = 0; t < rest; ++t) {
      a00 = tml_wrap_add(a00, tail[t] * f0[t]);
      a10 = tml_wrap_add(a10, tail[3 + t] * f0[t]);
      a01 = tml_wrap_add(a01, tail[t] * f1[t]);
      a11 = tml_wrap_add(a11, tail[3 + t] * f1[t]);
    }
    acc[i] = a00;
    acc[TML_CV_CHUNK + i] = a10;
    if (i + 1 < n) {
      acc[i + 1] = a01;
      acc[TML_CV_CHUNK + i + 1] = a11;
    }
  }
}

/* Accumulators of n output channels for four pixels laid out by
 * tml_cv_im2col (np = 4): one filter word serves four pixels.
 * acc[p*TML_CV_CHUNK + i]. */
static TML_NOINLINE TML_MAYBE_UNUSED void tml_cv_cols_acc4(const uint64_t *cols, const int32_t *tail,
                                             int32_t k, const int8_t *f, int32_t n,
                                             int32_t *acc) {
  const int32_t groups = k >> 2, rest = k & 3;
  int32_t i;
  for (i = 0; i < n; ++i) {
    const int8_t *f0 = f + (size_t)i * k;
    const uint64_t *c = cols;
    int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    int32_t g, t;
    for (g = groups; g > 0; --g) {
      const uint32_t v = tml_ld32(f0);
      const int32_t fe = __sxtb16((int32_t)v), fo = tml_sxtb16_r8(v);
      int32_t lo, hi;
      tml_cv_ld64(&c, &lo, &hi);
      a0 = __smlad(lo, fe, a0);
      a0 = __smlad(hi, fo, a0);
      tml_cv_ld64(&c, &lo, &hi);
      a1 = __smlad(lo, fe, a1);
      a1 = __smlad(hi, fo, a1);
      tml_cv_ld64(&c, &lo, &hi);
      a2 = __smlad(lo, fe, a2);
      a2 = __smlad(hi, fo, a2);
      tml_cv_ld64(&c, &lo, &hi);
      a3 = __smlad(lo, fe, a3);
      a3 = __smlad(hi, fo, a3);
      f0 += 4;
    }
    for (t = 0; t < rest; ++t) {
      const int32_t fv = f0[t];
      a0 = tml_wrap_add(a0, tail[t] * fv);
      a1 = tml_wrap_add(a1, tail[3 + t] * fv);
      a2 = tml_wrap_add(a2, tail[6 + t] * fv);
      a3 = tml_wrap_add(a3, tail[9 + t] * fv);
    }
    acc[i] = a0;
    acc[TML_CV_CHUNK + i] = a1;
    acc[2 * TML_CV_CHUNK + i] = a2;
    acc[3 * TML_CV_CHUNK + i] = a3;
  }
}
#endif /* TML_DSP */

#endif /* TML_CONV2D_S8_IMPL_H */
