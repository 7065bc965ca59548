/* CONV_2D, int8 activations and weights, per-channel requantization
 * (TFLM reference_integer_ops::ConvPerChannel).
 *
 * Bit-exact with the reference loop nest
 *   acc = sum over taps inside the input of f * (x + input_offset)
 * (int32, wrapping modulo 2^32 like TFLM's builds), then bias, requantize,
 * output_offset, clamp, for every input. Every sum here is also taken
 * modulo 2^32 (SMLAD wraps; C sums are uint32), so the order of the terms
 * cannot change a bit; the requantization is tml_mbqm (proof below) or
 * tml_multiply_by_quantized_multiplier itself.
 *
 * On cores with the DSP extension (Cortex-M4/M7/M33), for one group, no
 * horizontal dilation and a window of up to 259 taps (filter_h * filter_w *
 * input_c), the windows of four (or two) consecutive output pixels are
 * widened once into at most 1 KB of caller-owned scratch, input_offset added in the 16-bit lanes
 * (SXTAB16: exact while |input_offset| <= 32640), and every filter then
 * streams past them: one filter word, two SXTB16 and eight SMLAD give 16
 * MACs. Taps in the padding are widened from the byte -input_offset, i.e.
 * as 0, which adds nothing, exactly like the skipped taps of the reference
 * (this needs input_offset in [-127, 128]; 1x1 convolutions without padding
 * need nothing). Everything else (portable C for other CPUs, larger
 * offsets, groups, dilation_w > 1, larger windows) computes two pixels with
 * the same valid window and two output channels at a time straight from
 * the runs of their windows (SMLAD, or uint32 C).
 *
 * Every buffer the variants need (widened windows, tails, accumulators) is
 * the caller's scratch of tml_conv2d_s8_scratch_size() bytes, planned in the
 * arena like a tensor, so the stack holds only a few words per frame. */
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

static const int32_t tml_cv_zero = 0;

#if TML_DSP
/* One call's scratch carved from the caller's buffer (8-byte aligned):
 * np * (k / 4) widened words, 3 * np tail taps, np * TML_CV_CHUNK
 * accumulators, for np pixels per group and windows of k taps. */
typedef struct {
  uint64_t *cols;
  int32_t *tail, *acc;
} tml_cv_scratch;

static void tml_cv_carve(void *scratch, int np, int32_t k, tml_cv_scratch *s) {
  s->cols = (uint64_t *)scratch;
  s->tail = (int32_t *)(s->cols + (size_t)np * (size_t)(k >> 2));
  s->acc = s->tail + 3 * np;
}
#endif

/* Pixels per widened group where the widening variants may run: 4, 2, or 0
 * (one group, no horizontal dilation, |input_offset| <= 32640 and the
 * widened windows within TML_CV_COLS double words). */
static int tml_cv_cols_pixels(const tml_conv2d_s8_params *p) {
  const tml_window *w = &p->win;
  const int32_t off = p->input_offset;
  const int32_t k = w->filter_h * w->filter_w * p->filter_input_c;
  if (!(off >= -32640 && off <= 32640 && w->input_c == p->filter_input_c && w->dilation_w == 1))
    return 0;
  if ((k >> 2) * 4 <= TML_CV_COLS) return 4;
  if ((k >> 2) * 2 <= TML_CV_COLS) return 2;
  return 0;
}

tml_conv2d_s8_variant tml_conv2d_s8_select(const tml_conv2d_s8_params *p) {
  const tml_window *w = &p->win;
  const int np = tml_cv_cols_pixels(p);
  if (np > 0 && w->filter_h == 1 && w->filter_w == 1 && w->pad_h == 0 && w->pad_w == 0 &&
      (w->output_h - 1) * w->stride_h < w->input_h && (w->output_w - 1) * w->stride_w < w->input_w)
    return TML_CONV2D_S8_POINTWISE;
  if (np > 0 && p->input_offset >= -127 && p->input_offset <= 128) return TML_CONV2D_S8_WINDOWS;
  return TML_CONV2D_S8_GENERIC;
}

size_t tml_conv2d_s8_scratch_size(const tml_conv2d_s8_params *p) {
  const int32_t k = p->win.filter_h * p->win.filter_w * p->filter_input_c;
  const int np = tml_cv_cols_pixels(p);
  if (tml_conv2d_s8_select(p) == TML_CONV2D_S8_GENERIC)
    return 2 * TML_CV_CHUNK * sizeof(int32_t); /* two pixels' accumulators */
  return (size_t)np * (size_t)(k >> 2) * sizeof(uint64_t) +
         (size_t)(3 * np + np * TML_CV_CHUNK) * sizeof(int32_t);
}

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

/* np is 1, 2 or 4. */
static TML_NOINLINE void tml_cv_requant_run(const tml_cv_rq *q, int32_t oc0, int32_t n,
                                               const int32_t *acc, int8_t *o, int32_t ostride,
                                               int np) {
  if (np == 4)
    tml_cv_requant_loop(q, oc0, n, acc, o, ostride, 4);
  else if (np == 2)
    tml_cv_requant_loop(q, oc0, n, acc, o, ostride, 2);
  else
    tml_cv_requant_loop(q, oc0, n, acc, o, ostride, 1);
}

/* Filter taps k in [0, n) with 0 <= origin + dil * k < size: [*lo, *hi). */
static inline void tml_cv_range(int32_t origin, int32_t dil, int32_t size, int32_t n,
                                int32_t *lo, int32_t *hi) {
  int32_t a = 0, z = n;
  if (dil == 1) {
    if (origin < 0) a = -origin;
    if (size - origin < z) z = size - origin;
  } else {
    if (origin < 0) a = (dil - 1 - origin) / dil;
    if (origin >= size) {
      z = 0;
    } else {
      const int32_t m = (size - 1 - origin) / dil + 1;
      if (m < z) z = m;
    }
  }
  if (z < 0) z = 0;
  if (a > z) a = z;
  *lo = a;
  *hi = z;
}

/* The valid taps of one output pixel: rows x cols runs of len bytes; run
 * (r, c) starts at in + r*in_row + c*in_col in the input and at
 * r*f_row + c*f_col from the filter of the output channel. */
typedef struct {
  int32_t rows, cols, len;
  int32_t in_row, in_col, f_row, f_col;
} tml_cv_geo;

/* One output pixel: input at its first valid tap (group 0), output, and the
 * window (pixels are computed together when fy0, fx0, ny, nx are equal). */
typedef struct {
  const int8_t *in;
  int8_t *out;
  int32_t fy0, fx0, ny, nx;
} tml_cv_px;

#if TML_DSP
/* SXTB16 / SXTAB16 of the operand rotated right by 8 (bytes 1 and 3). */
/* acc = (x0.f0, x0.f1, x1.f0, x1.f1) over g's runs. */
static TML_NOINLINE void tml_cv_dot22(const tml_cv_geo *g, const int8_t *x0,
                                         const int8_t *x1, const int8_t *f0, const int8_t *f1,
                                         int32_t offp, int32_t off, int32_t acc[4]) {
  int32_t a00 = 0, a01 = 0, a10 = 0, a11 = 0;
  int32_t r, c;
  for (r = 0; r < g->rows; ++r) {
    const int8_t *xr0 = x0 + r * g->in_row, *xr1 = x1 + r * g->in_row;
    const int8_t *fr0 = f0 + r * g->f_row, *fr1 = f1 + r * g->f_row;
    for (c = 0; c < g->cols; ++c) {
      const int8_t *p0 = xr0 + c * g->in_col, *p1 = xr1 + c * g->in_col;
      const int8_t *q0 = fr0 + c * g->f_col, *q1 = fr1 + c * g->f_col;
      int32_t n = g->len;
      for (; n >= 4; n -= 4) {
        const uint32_t w0 = tml_ld32(p0), w1 = tml_ld32(p1);
        const uint32_t v0 = tml_ld32(q0), v1 = tml_ld32(q1);
        const int32_t x0e = __sxtab16(offp, (int32_t)w0), x0o = tml_sxtab16_r8(offp, w0);
        const int32_t x1e = __sxtab16(offp, (int32_t)w1), x1o = tml_sxtab16_r8(offp, w1);
        const int32_t f0e = __sxtb16((int32_t)v0), f0o = tml_sxtb16_r8(v0);
        const int32_t f1e = __sxtb16((int32_t)v1), f1o = tml_sxtb16_r8(v1);
        a00 = __smlad(x0e, f0e, a00);
        a00 = __smlad(x0o, f0o, a00);
        a10 = __smlad(x1e, f0e, a10);
        a10 = __smlad(x1o, f0o, a10);
        a01 = __smlad(x0e, f1e, a01);
        a01 = __smlad(x0o, f1o, a01);
        a11 = __smlad(x1e, f1e, a11);
        a11 = __smlad(x1o, f1o, a11);
        p0 += 4;
        p1 += 4;
        q0 += 4;
        q1 += 4;
      }
      for (; n > 0; --n) {
        const int32_t xv0 = *p0++ + off, xv1 = *p1++ + off;
        const int32_t fv0 = *q0++, fv1 = *q1++;
        a00 = tml_wrap_add(a00, xv0 * fv0);
        a10 = tml_wrap_add(a10, xv1 * fv0);
        a01 = tml_wrap_add(a01, xv0 * fv1);
        a11 = tml_wrap_add(a11, xv1 * fv1);
      }
    }
  }
  acc[0] = a00;
  acc[1] = a01;
  acc[2] = a10;
  acc[3] = a11;
}

/* acc = (x0.f0, x0.f1, 0, 0). */
static TML_NOINLINE void tml_cv_dot12(const tml_cv_geo *g, const int8_t *x0,
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
static TML_NOINLINE void tml_cv_cols_acc(const uint64_t *cols, const int32_t *tail,
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
static TML_NOINLINE void tml_cv_cols_acc4(const uint64_t *cols, const int32_t *tail,
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

/* Portable (any input_offset): uint32 accumulators wrap like the reference. */
static TML_NOINLINE void tml_cv_dot22_c(const tml_cv_geo *g, const int8_t *x0,
                                           const int8_t *x1, const int8_t *f0,
                                           const int8_t *f1, int32_t off, int32_t acc[4]) {
  const uint32_t uoff = (uint32_t)off;
  uint32_t a00 = 0, a01 = 0, a10 = 0, a11 = 0;
  int32_t r, c, k;
  for (r = 0; r < g->rows; ++r) {
    const int8_t *xr0 = x0 + r * g->in_row, *xr1 = x1 + r * g->in_row;
    const int8_t *fr0 = f0 + r * g->f_row, *fr1 = f1 + r * g->f_row;
    for (c = 0; c < g->cols; ++c) {
      const int8_t *p0 = xr0 + c * g->in_col, *p1 = xr1 + c * g->in_col;
      const int8_t *q0 = fr0 + c * g->f_col, *q1 = fr1 + c * g->f_col;
      for (k = 0; k < g->len; ++k) {
        const uint32_t xv0 = (uint32_t)p0[k] + uoff, xv1 = (uint32_t)p1[k] + uoff;
        const uint32_t fv0 = (uint32_t)q0[k], fv1 = (uint32_t)q1[k];
        a00 += xv0 * fv0;
        a10 += xv1 * fv0;
        a01 += xv0 * fv1;
        a11 += xv1 * fv1;
      }
    }
  }
  acc[0] = (int32_t)a00;
  acc[1] = (int32_t)a01;
  acc[2] = (int32_t)a10;
  acc[3] = (int32_t)a11;
}

static inline void tml_cv_pixel(const tml_window *w, const int8_t *input, int8_t *output,
                                int32_t b, int32_t oy, int32_t ox, tml_cv_px *px) {
  const int32_t iy0 = oy * w->stride_h - w->pad_h;
  const int32_t ix0 = ox * w->stride_w - w->pad_w;
  int32_t fy0, fy1, fx0, fx1;
  tml_cv_range(iy0, w->dilation_h, w->input_h, w->filter_h, &fy0, &fy1);
  tml_cv_range(ix0, w->dilation_w, w->input_w, w->filter_w, &fx0, &fx1);
  px->fy0 = fy0;
  px->fx0 = fx0;
  px->ny = fy1 - fy0;
  px->nx = fx1 - fx0;
  if (px->ny > 0 && px->nx > 0)
    px->in = input + ((size_t)(b * w->input_h + iy0 + w->dilation_h * fy0) * w->input_w +
                      (size_t)(ix0 + w->dilation_w * fx0)) *
                         w->input_c;
  else
    px->in = input;
  px->out = output + ((size_t)(b * w->output_h + oy) * w->output_w + ox) * w->output_c;
}

/* Steps (b, oy, ox) to the next output pixel; 0 past the last one. */
static inline int tml_cv_step(const tml_window *w, int32_t *b, int32_t *oy, int32_t *ox) {
  if (++*ox == w->output_w) {
    *ox = 0;
    if (++*oy == w->output_h) {
      *oy = 0;
      ++*b;
    }
  }
  return *b < w->batches;
}

#if TML_DSP
/* Pointwise convolution (1x1 filter, one group, every tap inside the input):
 * each output pixel's window is input_c contiguous bytes. Pixels are taken
 * in order, four (np4 set) or two at a time. */
static TML_NOINLINE void tml_cv_pointwise(const tml_window *pw, const int8_t *input,
                                             const int8_t *filter, int8_t *output,
                                             const tml_cv_rq *q, int32_t offp, int32_t off,
                                             int np4, const tml_cv_scratch *s) {
  const tml_window w = *pw;
  const int32_t k = w.input_c, oc_n = w.output_c;
  const int32_t total = w.batches * w.output_h * w.output_w;
  const int32_t row_step = w.stride_h * w.input_w * k, col_step = w.stride_w * k;
  uint64_t *const cols = s->cols;
  int32_t *const tail = s->tail, *const acc = s->acc;
  const int8_t *row = input, *x = input;
  int32_t b = 0, oy = 0, ox = 0, pix = 0;
  while (pix < total) {
    const int32_t left = total - pix;
    const int np = left >= 4 && np4 ? 4 : left >= 2 ? 2 : 1;
    int8_t *out = output + (size_t)pix * oc_n;
    const int8_t *const x0 = x; /* a single pixel's window */
    int l;
    int32_t oc0;
    for (l = 0; l < np; ++l) {
      if (np > 1) tml_cv_im2col(x, 1, k, 0, offp, off, cols, tail, l, np);
      /* Next pixel. */
      if (++ox == w.output_w) {
        ox = 0;
        if (++oy == w.output_h) {
          oy = 0;
          ++b;
          row = input + (size_t)b * w.input_h * w.input_w * k;
        } else {
          row += row_step;
        }
        x = row;
      } else {
        x += col_step;
      }
    }
    for (oc0 = 0; oc0 < oc_n; oc0 += TML_CV_CHUNK) {
      const int32_t cn = oc_n - oc0 < TML_CV_CHUNK ? oc_n - oc0 : TML_CV_CHUNK;
      const int8_t *f = filter + (size_t)oc0 * k;
      if (np == 4) {
        tml_cv_cols_acc4(cols, tail, k, f, cn, acc);
      } else if (np == 2) {
        tml_cv_cols_acc(cols, tail, k, f, cn, acc);
      } else {
        tml_cv_geo g;
        int32_t i;
        g.rows = 1;
        g.cols = 1;
        g.len = k;
        g.in_row = g.in_col = g.f_row = g.f_col = 0;
        for (i = 0; i < cn; i += 2) {
          int32_t a[4];
          const int8_t *f0 = f + (size_t)i * k;
          tml_cv_dot12(&g, x0, f0, i + 1 < cn ? f0 + k : f0, offp, off, a);
          acc[i] = a[0];
          if (i + 1 < cn) acc[i + 1] = a[1];
        }
      }
      tml_cv_requant_run(q, oc0, cn, acc, out, oc_n, np);
    }
    pix += np;
  }
}

/* The window of one output pixel as lane `lane` of np (tml_cv_im2col's
 * layout), for one group and no horizontal dilation. Taps outside the input
 * are widened from the byte -input_offset (pad8), i.e. as x + input_offset
 * == 0: they add nothing, exactly like the reference skipping them. */
static void tml_cv_widen_pixel(const tml_window *w, const int8_t *input, int32_t b,
                               int32_t iy0, int32_t ix0, int8_t pad8, int32_t offp,
                               int32_t off, uint64_t *cols, int32_t *tail, int lane, int np) {
  const int32_t C = w->input_c, rowlen = w->filter_w * C;
  const int32_t fx0 = ix0 < 0 ? -ix0 : 0;
  const int32_t fx1 = w->input_w - ix0 < w->filter_w ? w->input_w - ix0 : w->filter_w;
  if (iy0 >= 0 && iy0 + (w->filter_h - 1) * w->dilation_h < w->input_h && fx0 == 0 &&
      fx1 == w->filter_w) {
    tml_cv_im2col(input + ((size_t)(b * w->input_h + iy0) * w->input_w + (size_t)ix0) * C,
                  w->filter_h, rowlen, w->dilation_h * w->input_w * C, offp, off, cols, tail,
                  lane, np);
  } else {
    /* Runs of padding and of input bytes, whole words once aligned. */
    const uint64_t padw = tml_cv_widen(offp, (uint32_t)(uint8_t)pad8 * 0x01010101u);
    uint32_t word = 0;
    int nb = 0;
    int32_t fy, j;
    cols += lane;
#define TML_CV_PADS(count)                                  \
  do {                                                      \
    int32_t c_ = (count);                                   \
    for (; c_ > 0 && nb != 0; --c_) TML_CV_PUSH(pad8);      \
    for (; c_ >= 4; c_ -= 4) {                              \
      *cols = padw;                                         \
      cols += np;                                           \
    }                                                       \
    for (; c_ > 0; --c_) TML_CV_PUSH(pad8);                 \
  } while (0)
    for (fy = 0; fy < w->filter_h; ++fy) {
      const int32_t iy = iy0 + fy * w->dilation_h;
      if (iy >= 0 && iy < w->input_h && fx1 > fx0) {
        const int32_t lo = fx0 * C, hi = fx1 * C;
        const int8_t *src =
            input + ((size_t)(b * w->input_h + iy) * w->input_w + (size_t)(ix0 + fx0)) * C;
        const int8_t *end = src + (hi - lo);
        TML_CV_PADS(lo);
        for (; src != end && nb != 0; ++src) TML_CV_PUSH(*src);
        for (; end - src >= 4; src += 4) {
          *cols = tml_cv_widen(offp, tml_ld32(src));
          cols += np;
        }
        for (; src != end; ++src) TML_CV_PUSH(*src);
        TML_CV_PADS(rowlen - hi);
      } else {
        TML_CV_PADS(rowlen);
      }
    }
#undef TML_CV_PADS
    for (j = 0; j < nb; ++j) tail[3 * lane + j] = (int8_t)(uint8_t)(word >> (8 * j)) + off;
  }
}

/* Every output pixel, four (np4 set) or two at a time, through widened
 * windows (one group, no horizontal dilation, input_offset in [-127, 128]
 * so that -input_offset is a byte). A lone last pixel is computed as a pair
 * with itself. */
static TML_NOINLINE void tml_cv_windows(const tml_window *pw, const int8_t *input,
                                           const int8_t *filter, int8_t *output,
                                           const tml_cv_rq *q, int32_t offp, int32_t off,
                                           int np4, const tml_cv_scratch *s) {
  const tml_window w = *pw;
  const int32_t k = w.filter_h * w.filter_w * w.input_c, oc_n = w.output_c;
  const int32_t total = w.batches * w.output_h * w.output_w;
  const int8_t pad8 = (int8_t)-off;
  uint64_t *const cols = s->cols;
  int32_t *const tail = s->tail, *const acc = s->acc;
  int32_t b = 0, oy = 0, ox = 0, pix = 0;
  while (pix < total) {
    const int32_t left = total - pix;
    const int np = left >= 4 && np4 ? 4 : 2;
    const int nreal = left < np ? (int)left : np;
    int l;
    int32_t oc0;
    for (l = 0; l < nreal; ++l) {
      tml_cv_widen_pixel(&w, input, b, oy * w.stride_h - w.pad_h, ox * w.stride_w - w.pad_w,
                         pad8, offp, off, cols, tail, l, np);
      if (++ox == w.output_w) {
        ox = 0;
        if (++oy == w.output_h) {
          oy = 0;
          ++b;
        }
      }
    }
    if (nreal < np) { /* one pixel left: lane 1 repeats lane 0 */
      int32_t g, t;
      for (g = 0; g < (k >> 2); ++g) cols[g * 2 + 1] = cols[g * 2];
      for (t = 0; t < 3; ++t) tail[3 + t] = tail[t];
    }
    for (oc0 = 0; oc0 < oc_n; oc0 += TML_CV_CHUNK) {
      const int32_t cn = oc_n - oc0 < TML_CV_CHUNK ? oc_n - oc0 : TML_CV_CHUNK;
      const int8_t *f = filter + (size_t)oc0 * k;
      if (np == 4)
        tml_cv_cols_acc4(cols, tail, k, f, cn, acc);
      else
        tml_cv_cols_acc(cols, tail, k, f, cn, acc);
      tml_cv_requant_run(q, oc0, cn, acc, output + (size_t)pix * oc_n, oc_n, nreal);
    }
    pix += nreal;
  }
}
#endif

static inline int tml_cv_same(const tml_cv_px *a, const tml_cv_px *b) {
  return a->fy0 == b->fy0 && a->fx0 == b->fx0 && a->ny == b->ny && a->nx == b->nx;
}

/* Everything else (portable C, large offsets, grouped or horizontally
 * dilated convolutions, large windows): output pixels in order, two
 * consecutive ones with the same window shape at a time, SMLAD or C on the
 * runs of their windows. */
static TML_NOINLINE void tml_cv_generic(const tml_window *pw, const int8_t *input,
                                           const int8_t *filter, int8_t *output,
                                           const tml_cv_rq *q, int32_t fic, int32_t off,
                                           int32_t *acc) {
  const tml_window w = *pw;
  const int32_t groups = w.input_c / fic, filters_per_group = w.output_c / groups;
  const int32_t filter_size = w.filter_h * w.filter_w * fic;
  int32_t b, oy, ox;
  tml_cv_px px[2], next;
  int have_next;
  tml_cv_geo full;
#if TML_DSP
  const int use_dsp = off >= -32640 && off <= 32640;
  const int32_t offp = (int32_t)(((uint32_t)off & 0xFFFFu) | ((uint32_t)off << 16));
#endif
  /* Geometry of a full window (the one interior pixels have). */
  full.rows = w.filter_h;
  full.in_row = w.dilation_h * w.input_w * w.input_c;
  full.f_row = w.filter_w * fic;
  if (groups == 1 && w.dilation_w == 1) {
    full.cols = 1;
    full.len = w.filter_w * fic;
    full.in_col = 0;
    full.f_col = 0;
  } else {
    full.cols = w.filter_w;
    full.len = fic;
    full.in_col = w.dilation_w * w.input_c;
    full.f_col = fic;
  }
  b = 0;
  oy = 0;
  ox = 0;
  tml_cv_pixel(&w, input, output, b, oy, ox, &next);
  have_next = 1;
  while (have_next) {
    int n = 0, is_full;
    tml_cv_geo g;
    px[n++] = next;
    have_next = tml_cv_step(&w, &b, &oy, &ox);
    if (have_next) tml_cv_pixel(&w, input, output, b, oy, ox, &next);
    if (have_next && tml_cv_same(&next, &px[0])) {
      px[n++] = next;
      have_next = tml_cv_step(&w, &b, &oy, &ox);
      if (have_next) tml_cv_pixel(&w, input, output, b, oy, ox, &next);
    }

    is_full = px[0].ny == w.filter_h && px[0].nx == w.filter_w;
    if (is_full) {
      g = full;
    } else {
      g.rows = px[0].ny > 0 && px[0].nx > 0 ? px[0].ny : 0;
      g.in_row = full.in_row;
      g.f_row = full.f_row;
      if (full.cols == 1) {
        g.cols = 1;
        g.len = px[0].nx * fic;
      } else {
        g.cols = px[0].nx;
        g.len = fic;
      }
      g.in_col = full.in_col;
      g.f_col = full.f_col;
    }

    {
      const int np = n;
      int32_t oc0;
      for (oc0 = 0; oc0 < w.output_c; oc0 += TML_CV_CHUNK) {
        const int32_t cn = w.output_c - oc0 < TML_CV_CHUNK ? w.output_c - oc0 : TML_CV_CHUNK;
        int32_t oc;
        for (oc = oc0; oc < oc0 + cn;) {
          const int32_t grp = oc / filters_per_group;
          const int two_oc = oc + 1 < oc0 + cn && oc + 1 < (grp + 1) * filters_per_group;
          const int8_t *x0 = px[0].in + (size_t)grp * fic;
          const int8_t *x1 = np > 1 ? px[1].in + (size_t)grp * fic : x0;
          const int8_t *f0 = filter + (size_t)oc * filter_size +
                             (size_t)(px[0].fy0 * w.filter_w + px[0].fx0) * fic;
          const int8_t *f1 = two_oc ? f0 + filter_size : f0;
          int32_t a[4];
#if TML_DSP
          if (use_dsp) {
            if (np > 1)
              tml_cv_dot22(&g, x0, x1, f0, f1, offp, off, a);
            else
              tml_cv_dot12(&g, x0, f0, f1, offp, off, a);
          } else
#endif
          {
            tml_cv_dot22_c(&g, x0, x1, f0, f1, off, a);
          }
          acc[oc - oc0] = a[0];
          acc[TML_CV_CHUNK + oc - oc0] = a[2];
          if (two_oc) {
            acc[oc + 1 - oc0] = a[1];
            acc[TML_CV_CHUNK + oc + 1 - oc0] = a[3];
          }
          oc += two_oc ? 2 : 1;
        }
        /* Consecutive pixels: their outputs are output_c bytes apart. */
        tml_cv_requant_run(q, oc0, cn, acc, px[0].out, w.output_c, np);
      }
    }
  }
}

tml_status tml_conv2d_s8(const tml_conv2d_s8_params *p, const int8_t *input,
                         const int8_t *filter, const int32_t *bias,
                         int8_t *output, void *scratch) {
  const tml_window *pw;
  tml_window w;
  int32_t groups, fic, off;
  tml_cv_rq q;
#if TML_DSP
  int32_t offp;
  tml_conv2d_s8_variant variant;
  tml_cv_scratch s;
#endif
  if (!p || !input || !filter || !output || !scratch || !p->output_multiplier ||
      !p->output_shift)
    return TML_ERR_NULL_POINTER;
  if (((uintptr_t)scratch & 7u) != 0) return TML_ERR_BAD_PARAM;
  pw = &p->win;
  if (!tml_window_valid(pw) || p->filter_input_c <= 0 ||
      pw->input_c % p->filter_input_c != 0)
    return TML_ERR_BAD_SHAPE;
  groups = pw->input_c / p->filter_input_c;
  if (groups == 0 || pw->output_c % groups != 0) return TML_ERR_BAD_SHAPE;
  if (p->act_min > p->act_max) return TML_ERR_BAD_PARAM;
  if (pw->batches == 0 || pw->output_h == 0 || pw->output_w == 0 || pw->output_c == 0)
    return TML_OK;

  /* Locals: the int8 output stores may alias anything behind p. */
  w = *pw;
  fic = p->filter_input_c;
  off = p->input_offset;
  q.bias = bias;
  q.mult = p->output_multiplier;
  q.shift = p->output_shift;
  q.out_offset = p->output_offset;
  q.act_min = p->act_min;
  q.act_max = p->act_max;
#if TML_DSP
  variant = tml_conv2d_s8_select(p);
  if (variant != TML_CONV2D_S8_GENERIC) {
    const int np = tml_cv_cols_pixels(p);
    offp = (int32_t)(((uint32_t)off & 0xFFFFu) | ((uint32_t)off << 16));
    tml_cv_carve(scratch, np, w.filter_h * w.filter_w * fic, &s);
    if (variant == TML_CONV2D_S8_POINTWISE)
      tml_cv_pointwise(&w, input, filter, output, &q, offp, off, np == 4, &s);
    else
      tml_cv_windows(&w, input, filter, output, &q, offp, off, np == 4, &s);
    return TML_OK;
  }
#endif
  tml_cv_generic(&w, input, filter, output, &q, fic, off, (int32_t *)scratch);
  return TML_OK;
}
