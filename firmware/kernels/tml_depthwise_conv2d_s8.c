/* DEPTHWISE_CONV_2D, int8, per-channel requantization
 * (TFLM reference_integer_ops::DepthwiseConvPerChannel).
 *
 * Bit-exact with the reference loop nest
 *   acc = sum over taps inside the input of f * (x + input_offset)
 * (int32, wrapping modulo 2^32 like TFLM's builds), then bias, requantize,
 * output_offset, clamp, for every input. Every sum here is also taken
 * modulo 2^32 (SMLAxy wraps; C sums are uint32), so the order of the terms
 * cannot change a bit; the requantization is tml_mbqm (proof below) or
 * tml_multiply_by_quantized_multiplier itself. Taps outside the input are
 * never visited: each output pixel's valid window is computed once.
 *  - One input channel and 16 taps or more (audio front ends): the op is a
 *    CONV_2D with one input channel, so the filter is transposed to OHWI in
 *    at most 1 KB of scratch and tml_conv2d_s8 does the work.
 *  - Cores with the DSP extension, depth multiplier 1 or a multiple of 4,
 *    up to 64 taps, |input_offset| <= 32640: blocks of four output channels
 *    over the whole output, the block's filter widened once into a scratch
 *    table (SXTB16) and its requantization constants computed once; per
 *    tap one input word (SXTAB16 adds input_offset in the 16-bit lanes) or
 *    byte and four SMLAxy; outputs clamped four at a time (SSAT, SSUB8/SEL)
 *    when the activation range lies inside int8.
 *  - Anything else (portable C for other CPUs, other depth multipliers, the
 *    input_c % 4 channels left over): per pixel, a chunk of channels at a
 *    time, four channels at a time for depth multiplier 1.
 * Those tables and the accumulators are the caller's scratch of
 * tml_depthwise_conv2d_s8_scratch_size() bytes, planned in the arena like a
 * tensor, so the stack holds only a few words per frame. */
#include "tml_fast_int8.h"

/* The DSP path also clamps four outputs at once with SSAT. */
#if TML_DSP && defined(__ARM_FEATURE_SAT) && __ARM_FEATURE_SAT
#define TML_DW_DSP 1
#else
#define TML_DW_DSP 0
#endif

/* Output channels accumulated per pixel before they are requantized. */
#define TML_DW_CHUNK 32
/* Largest filter (taps x output channels) transposed into scratch when the
 * input has one channel. */
#define TML_DW_TRANSPOSE_MAX 1024
/* Most taps of the DSP channel blocks' widened filter. */
#define TML_DW_TAPS_MAX 64

/* What the requantization of every output needs. */
typedef struct {
  const int32_t *bias, *mult, *shift;
  int32_t out_offset, act_min, act_max;
} tml_dw_rq;

static const int32_t tml_dw_zero = 0;

/* Requantizes output channels oc0 .. oc0+n-1 of one pixel (acc[0..n)):
 * bias, MultiplyByQuantizedMultiplier, output offset, clamp. */
static TML_NOINLINE void tml_dw_requant_run(const tml_dw_rq *q, int32_t oc0, int32_t n,
                                               const int32_t *acc, int8_t *out) {
  const int32_t *bp = q->bias ? q->bias + oc0 : &tml_dw_zero;
  const int32_t bstep = q->bias ? 1 : 0;
  const int32_t *mult = q->mult + oc0, *shift = q->shift + oc0;
  const int32_t out_offset = q->out_offset, act_min = q->act_min, act_max = q->act_max;
  int32_t i;
  out += oc0;
  for (i = 0; i < n; ++i) {
    const int32_t m = mult[i], sh = shift[i];
    const int32_t x = tml_wrap_add(acc[i], *bp);
    int32_t h;
    bp += bstep;
    if (sh <= -2 && sh >= -31) { /* right shift e = -sh in [2, 31] */
      const int e1 = (int)(-1 - sh);
      h = tml_mbqm(x, m, (int32_t)1 << (e1 - 1), e1);
    } else {
      h = tml_mbqm_any(x, m, sh);
    }
    out[i] = tml_clamp_out(h, out_offset, act_min, act_max);
  }
}

/* Filter taps k in [0, n) with 0 <= origin + dil * k < size: [*lo, *hi). */
static inline void tml_dw_range(int32_t origin, int32_t dil, int32_t size, int32_t n,
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

/* The valid window of one output pixel: ny rows x nx taps; x and f point at
 * its first tap (channel 0); a tap's input is in_col bytes after the
 * previous one's and its filter f_col bytes; rows in_row and f_row. */
typedef struct {
  const int8_t *x, *f;
  int32_t ny, nx;
  int32_t in_row, in_col, f_row, f_col;
} tml_dw_win;

#if TML_DW_DSP
/* Depth multiplier 1: accumulators of channels c0 .. c0+n-1, four at a time
 * (offp holds input_offset in both 16-bit lanes). */
static TML_NOINLINE void tml_dw_acc_dm1(const tml_dw_win *wn, int32_t c0, int32_t n,
                                           int32_t offp, int32_t off, int32_t *acc) {
  const int32_t ny = wn->ny, nx = wn->nx;
  const int32_t in_row = wn->in_row, in_col = wn->in_col, f_row = wn->f_row,
                f_col = wn->f_col;
  int32_t c = 0, r, k;
  for (; c + 4 <= n; c += 4) {
    const int8_t *xr = wn->x + c0 + c, *fr = wn->f + c0 + c;
    int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    for (r = 0; r < ny; ++r) {
      const int8_t *xp = xr, *fp = fr;
      for (k = 0; k < nx; ++k) {
        const uint32_t xw = tml_ld32(xp), fw = tml_ld32(fp);
        const int32_t xe = __sxtab16(offp, (int32_t)xw), xo = tml_sxtab16_r8(offp, xw);
        const int32_t fe = __sxtb16((int32_t)fw), fo = tml_sxtb16_r8(fw);
        a0 = __smlabb(xe, fe, a0);
        a2 = __smlatt(xe, fe, a2);
        a1 = __smlabb(xo, fo, a1);
        a3 = __smlatt(xo, fo, a3);
        xp += in_col;
        fp += f_col;
      }
      xr += in_row;
      fr += f_row;
    }
    acc[c] = a0;
    acc[c + 1] = a1;
    acc[c + 2] = a2;
    acc[c + 3] = a3;
  }
  for (; c < n; ++c) {
    const int8_t *xr = wn->x + c0 + c, *fr = wn->f + c0 + c;
    int32_t a = 0;
    for (r = 0; r < ny; ++r) {
      const int8_t *xp = xr, *fp = fr;
      for (k = 0; k < nx; ++k) {
        a = tml_wrap_add(a, (*xp + off) * *fp);
        xp += in_col;
        fp += f_col;
      }
      xr += in_row;
      fr += f_row;
    }
    acc[c] = a;
  }
}

/* Channel blocks over the whole output (DSP). For a block of four output
 * channels the filter is widened once (SXTB16) into a scratch table and the
 * requantization constants are computed once; every output pixel then runs
 * its taps, from a table of input offsets when its window lies inside the
 * input, row by row when the padding clips it. */

/* Output positions along one axis whose window lies inside the input:
 * [*lo, *hi) (o*stride - pad >= 0, o*stride - pad + (fsize-1)*dil < in). */
static inline void tml_dw_interior(int32_t pad, int32_t stride, int32_t dil, int32_t fsize,
                                   int32_t in_size, int32_t out_size, int32_t *lo,
                                   int32_t *hi) {
  const int64_t last = (int64_t)in_size - 1 - (int64_t)(fsize - 1) * dil + pad;
  int64_t a = pad <= 0 ? 0 : ((int64_t)pad + stride - 1) / stride;
  int64_t z = last < 0 ? 0 : last / stride + 1;
  if (z > out_size) z = out_size;
  if (a > z) a = z;
  *lo = (int32_t)a;
  *hi = (int32_t)z;
}

/* Requantization of one channel of a block. */
typedef struct {
  int32_t bias, m, sh, khi, e1;
} tml_dw_chq;

/* tml_mbqm for a right shift of 2..31. */
static inline int32_t tml_dw_fast2(int32_t x, const tml_dw_chq *c) {
  return tml_mbqm(x, c->m, c->khi, (int)c->e1);
}

/* Any shift. */
static inline int32_t tml_dw_any(int32_t x, const tml_dw_chq *c) {
  if (c->sh <= -2 && c->sh >= -31) return tml_dw_fast2(x, c);
  return tml_mbqm_any(x, c->m, c->sh);
}

typedef struct {
  tml_dw_chq ch[4];
  int fast2;       /* every channel has a right shift of 2..31 */
  int simd_clamp;  /* act_min/act_max within int8: saturate, then SSUB8/SEL */
  uint32_t lo4, hi4; /* act_min, act_max in each byte */
  int32_t out_offset, act_min, act_max;
} tml_dw_blockq;

/* Four requantized outputs, byte i from a_i. */
static inline uint32_t tml_dw_out4(const tml_dw_blockq *bq, int32_t a0, int32_t a1, int32_t a2,
                                   int32_t a3) {
  int32_t h0, h1, h2, h3;
  if (bq->fast2) {
    h0 = tml_dw_fast2(tml_wrap_add(a0, bq->ch[0].bias), &bq->ch[0]);
    h1 = tml_dw_fast2(tml_wrap_add(a1, bq->ch[1].bias), &bq->ch[1]);
    h2 = tml_dw_fast2(tml_wrap_add(a2, bq->ch[2].bias), &bq->ch[2]);
    h3 = tml_dw_fast2(tml_wrap_add(a3, bq->ch[3].bias), &bq->ch[3]);
  } else {
    h0 = tml_dw_any(tml_wrap_add(a0, bq->ch[0].bias), &bq->ch[0]);
    h1 = tml_dw_any(tml_wrap_add(a1, bq->ch[1].bias), &bq->ch[1]);
    h2 = tml_dw_any(tml_wrap_add(a2, bq->ch[2].bias), &bq->ch[2]);
    h3 = tml_dw_any(tml_wrap_add(a3, bq->ch[3].bias), &bq->ch[3]);
  }
  h0 = tml_wrap_add(h0, bq->out_offset);
  h1 = tml_wrap_add(h1, bq->out_offset);
  h2 = tml_wrap_add(h2, bq->out_offset);
  h3 = tml_wrap_add(h3, bq->out_offset);
  if (bq->simd_clamp) {
    /* Clamping to a range inside int8 equals saturating to int8 first. */
    const uint32_t even = (uint32_t)__ssat(h0, 8) & 0xFFu, odd = (uint32_t)__ssat(h1, 8) & 0xFFu;
    uint32_t v = even | odd << 8 | ((uint32_t)__ssat(h2, 8) & 0xFFu) << 16 |
                 (uint32_t)__ssat(h3, 8) << 24;
    (void)__ssub8((int32_t)v, (int32_t)bq->lo4); /* GE where v >= act_min */
    v = __sel(v, bq->lo4);
    (void)__ssub8((int32_t)bq->hi4, (int32_t)v); /* GE where act_max >= v */
    return __sel(v, bq->hi4);
  }
  return (uint32_t)(uint8_t)tml_clamp_i32(h0, bq->act_min, bq->act_max) |
         (uint32_t)(uint8_t)tml_clamp_i32(h1, bq->act_min, bq->act_max) << 8 |
         (uint32_t)(uint8_t)tml_clamp_i32(h2, bq->act_min, bq->act_max) << 16 |
         (uint32_t)(uint8_t)tml_clamp_i32(h3, bq->act_min, bq->act_max) << 24;
}

/* The shape and the window tables shared by every block. */
typedef struct {
  tml_window w;
  const int32_t *toff; /* input offsets of the taps of a full window */
  int32_t *fexp;       /* the block's widened filter: two words per tap */
  int32_t oy_lo, oy_hi, ox_lo, ox_hi; /* output pixels with full windows */
  int32_t offp, off;
} tml_dw_plan;

static TML_ALWAYS_INLINE void tml_dw_block4(const tml_dw_plan *pl, const int8_t *input,
                                        const int8_t *filter, int8_t *output, int32_t oc0,
                                        int32_t dm, const tml_dw_rq *pq, const int scalar_x) {
  int32_t *const fexp = pl->fexp;
  tml_dw_blockq bq;
  /* Locals: the output stores may alias anything behind the pointers. */
  const tml_window w = pl->w;
  const int32_t *const toff = pl->toff;
  const int32_t offp = pl->offp, off = pl->off;
  const int32_t taps = w.filter_h * w.filter_w, C = w.input_c, OC = w.output_c;
  const int32_t in_row = w.dilation_h * w.input_w * C, in_col = w.dilation_w * C;
  const int32_t x_step = w.stride_w * C;
  const int32_t ic = oc0 / dm;
  const int32_t *const fend = fexp + 2 * taps;
  int32_t t, b, oy, ox, i;
  for (t = 0; t < taps; ++t) {
    const uint32_t v = tml_ld32(filter + (size_t)t * OC + oc0);
    fexp[2 * t] = __sxtb16((int32_t)v);
    fexp[2 * t + 1] = tml_sxtb16_r8(v);
  }
  bq.fast2 = 1;
  for (i = 0; i < 4; ++i) {
    tml_dw_chq *c = &bq.ch[i];
    c->bias = pq->bias ? pq->bias[oc0 + i] : 0;
    c->m = pq->mult[oc0 + i];
    c->sh = pq->shift[oc0 + i];
    c->e1 = c->sh <= -2 && c->sh >= -31 ? -1 - c->sh : 1;
    c->khi = (int32_t)1 << (c->e1 - 1);
    if (!(c->sh <= -2 && c->sh >= -31)) bq.fast2 = 0;
  }
  bq.out_offset = pq->out_offset;
  bq.act_min = pq->act_min;
  bq.act_max = pq->act_max;
  bq.simd_clamp = pq->act_min >= -128 && pq->act_max <= 127;
  bq.lo4 = ((uint32_t)pq->act_min & 0xFFu) * 0x01010101u;
  bq.hi4 = ((uint32_t)pq->act_max & 0xFFu) * 0x01010101u;

#define TML_DW_TAP(xptr, fe)                                                 \
  do {                                                                       \
    if (scalar_x) {                                                          \
      const int32_t xv = *(xptr) + off;                                      \
      a0 = __smlabb(xv, (fe)[0], a0);                                        \
      a2 = __smlabt(xv, (fe)[0], a2);                                        \
      a1 = __smlabb(xv, (fe)[1], a1);                                        \
      a3 = __smlabt(xv, (fe)[1], a3);                                        \
    } else {                                                                 \
      const uint32_t xw = tml_ld32(xptr);                                 \
      const int32_t xe = __sxtab16(offp, (int32_t)xw);                       \
      const int32_t xo = tml_sxtab16_r8(offp, xw);                        \
      a0 = __smlabb(xe, (fe)[0], a0);                                        \
      a2 = __smlatt(xe, (fe)[0], a2);                                        \
      a1 = __smlabb(xo, (fe)[1], a1);                                        \
      a3 = __smlatt(xo, (fe)[1], a3);                                        \
    }                                                                        \
  } while (0)

  for (b = 0; b < w.batches; ++b) {
    for (oy = 0; oy < w.output_h; ++oy) {
      const int32_t iy0 = oy * w.stride_h - w.pad_h;
      const int row_full = oy >= pl->oy_lo && oy < pl->oy_hi;
      int32_t fy0, fy1;
      int8_t *const out_row = output + (size_t)(b * w.output_h + oy) * w.output_w * OC + oc0;
      tml_dw_range(iy0, w.dilation_h, w.input_h, w.filter_h, &fy0, &fy1);
      ox = 0;
      while (ox < w.output_w) {
        int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        uint32_t packed;
        if (row_full && ox == pl->ox_lo && pl->ox_lo < pl->ox_hi) {
          /* The run of full windows in this row: taps from the offset table. */
          const int8_t *xb = input +
                             ((size_t)(b * w.input_h + iy0) * w.input_w +
                              (size_t)(ox * w.stride_w - w.pad_w)) * C + ic;
          int8_t *o = out_row + (size_t)ox * OC;
          for (; ox < pl->ox_hi; ++ox, xb += x_step, o += OC) {
            const int32_t *to = toff, *fe = fexp;
            a0 = a1 = a2 = a3 = 0;
            do {
              TML_DW_TAP(xb + *to, fe);
              ++to;
              fe += 2;
            } while (fe != fend);
            packed = tml_dw_out4(&bq, a0, a1, a2, a3);
            memcpy(o, &packed, sizeof packed);
          }
        } else {
          /* A window clipped by the padding: its valid rows and columns. */
          const int32_t ix0 = ox * w.stride_w - w.pad_w;
          int32_t fx0, fx1;
          tml_dw_range(ix0, w.dilation_w, w.input_w, w.filter_w, &fx0, &fx1);
          if (fy1 > fy0 && fx1 > fx0) {
            const int8_t *xr =
                input + ((size_t)(b * w.input_h + iy0 + w.dilation_h * fy0) * w.input_w +
                         (size_t)(ix0 + w.dilation_w * fx0)) * C + ic;
            int32_t fy, fx;
            for (fy = fy0; fy < fy1; ++fy, xr += in_row) {
              const int8_t *xp = xr;
              const int32_t *fe = fexp + 2 * (fy * w.filter_w + fx0);
              for (fx = fx0; fx < fx1; ++fx, xp += in_col, fe += 2) TML_DW_TAP(xp, fe);
            }
          }
          packed = tml_dw_out4(&bq, a0, a1, a2, a3);
          memcpy(out_row + (size_t)ox * OC, &packed, sizeof packed);
          ++ox;
        }
      }
    }
  }
#undef TML_DW_TAP
}

/* Depth multiplier 1: input channels oc0..oc0+3, one word per tap. */
static TML_NOINLINE void tml_dw_block4_dm1(const tml_dw_plan *pl, const int8_t *input,
                                              const int8_t *filter, int8_t *output,
                                              int32_t oc0, const tml_dw_rq *q) {
  tml_dw_block4(pl, input, filter, output, oc0, 1, q, 0);
}

/* Depth multiplier a multiple of 4: one input channel per block. */
static TML_NOINLINE void tml_dw_block4_dm4(const tml_dw_plan *pl, const int8_t *input,
                                              const int8_t *filter, int8_t *output,
                                              int32_t oc0, int32_t dm, const tml_dw_rq *q) {
  tml_dw_block4(pl, input, filter, output, oc0, dm, q, 1);
}
#endif /* TML_DW_DSP */

/* Portable, depth multiplier 1: four channels at a time. */
static TML_NOINLINE void tml_dw_acc_dm1_c(const tml_dw_win *wn, int32_t c0, int32_t n,
                                             int32_t off, int32_t *acc) {
  const uint32_t uoff = (uint32_t)off;
  int32_t c = 0, r, k;
  for (; c + 4 <= n; c += 4) {
    const int8_t *xr = wn->x + c0 + c, *fr = wn->f + c0 + c;
    uint32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    for (r = 0; r < wn->ny; ++r) {
      const int8_t *xp = xr, *fp = fr;
      for (k = 0; k < wn->nx; ++k) {
        a0 += ((uint32_t)xp[0] + uoff) * (uint32_t)fp[0];
        a1 += ((uint32_t)xp[1] + uoff) * (uint32_t)fp[1];
        a2 += ((uint32_t)xp[2] + uoff) * (uint32_t)fp[2];
        a3 += ((uint32_t)xp[3] + uoff) * (uint32_t)fp[3];
        xp += wn->in_col;
        fp += wn->f_col;
      }
      xr += wn->in_row;
      fr += wn->f_row;
    }
    acc[c] = (int32_t)a0;
    acc[c + 1] = (int32_t)a1;
    acc[c + 2] = (int32_t)a2;
    acc[c + 3] = (int32_t)a3;
  }
  for (; c < n; ++c) {
    const int8_t *xr = wn->x + c0 + c, *fr = wn->f + c0 + c;
    uint32_t a = 0;
    for (r = 0; r < wn->ny; ++r) {
      const int8_t *xp = xr, *fp = fr;
      for (k = 0; k < wn->nx; ++k) {
        a += ((uint32_t)*xp + uoff) * (uint32_t)*fp;
        xp += wn->in_col;
        fp += wn->f_col;
      }
      xr += wn->in_row;
      fr += wn->f_row;
    }
    acc[c] = (int32_t)a;
  }
}

/* Portable, any depth multiplier: output channel oc reads input channel
 * oc / dm. */
static TML_NOINLINE void tml_dw_acc_c(const tml_dw_win *wn, int32_t dm, int32_t oc0,
                                         int32_t n, int32_t off, int32_t *acc) {
  const uint32_t uoff = (uint32_t)off;
  int32_t i, r, k;
  for (i = 0; i < n; ++i) {
    const int32_t oc = oc0 + i;
    const int8_t *xr = wn->x + oc / dm, *fr = wn->f + oc;
    uint32_t a = 0;
    for (r = 0; r < wn->ny; ++r) {
      const int8_t *xp = xr, *fp = fr;
      for (k = 0; k < wn->nx; ++k) {
        a += ((uint32_t)*xp + uoff) * (uint32_t)*fp;
        xp += wn->in_col;
        fp += wn->f_col;
      }
      xr += wn->in_row;
      fr += wn->f_row;
    }
    acc[i] = (int32_t)a;
  }
}

static size_t tml_dw_align8(size_t n) { return (n + 7u) & ~(size_t)7u; }

/* The CONV_2D that DEPTHWISE_CONV_2D with one input channel is. */
static void tml_dw_conv_params(const tml_depthwise_conv2d_s8_params *p, tml_conv2d_s8_params *cp) {
  cp->win = p->win;
  cp->filter_input_c = 1;
  cp->input_offset = p->input_offset;
  cp->output_offset = p->output_offset;
  cp->act_min = p->act_min;
  cp->act_max = p->act_max;
  cp->output_multiplier = p->output_multiplier;
  cp->output_shift = p->output_shift;
}

/* One input channel and a larger filter: a CONV_2D with the filter in OHWI order. */
static int tml_dw_is_conv(const tml_depthwise_conv2d_s8_params *p) {
  const tml_window *w = &p->win;
  return w->input_c == 1 && (int64_t)w->filter_h * w->filter_w >= 16 &&
         (int64_t)w->filter_h * w->filter_w * w->output_c <= TML_DW_TRANSPOSE_MAX;
}

/* Where the DSP extension is there: blocks of four channels. */
static int tml_dw_has_blocks(const tml_depthwise_conv2d_s8_params *p) {
  const tml_window *w = &p->win;
  const int32_t off = p->input_offset, dm = p->depth_multiplier;
  return off >= -32640 && off <= 32640 && dm > 0 && (dm == 1 || dm % 4 == 0) &&
         w->filter_h > 0 && w->filter_w > 0 && w->filter_h * w->filter_w <= TML_DW_TAPS_MAX;
}

size_t tml_depthwise_conv2d_s8_scratch_size(const tml_depthwise_conv2d_s8_params *p) {
  const size_t taps = (size_t)p->win.filter_h * (size_t)p->win.filter_w;
  /* The blocks' tap offsets and widened filter, or later one pixel's accumulators. */
  const size_t blocks = tml_dw_has_blocks(p) ? 3 * taps * sizeof(int32_t) : 0;
  const size_t pixels = TML_DW_CHUNK * sizeof(int32_t);
  if (tml_dw_is_conv(p)) {
    tml_conv2d_s8_params cp;
    tml_dw_conv_params(p, &cp);
    return tml_dw_align8(taps * (size_t)p->win.output_c) + tml_conv2d_s8_scratch_size(&cp);
  }
  return blocks > pixels ? blocks : pixels;
}

/* input_c == 1: output channel oc = m is the convolution of the only input
 * channel with filter[.., .., m], i.e. CONV_2D with one input channel and
 * the filter transposed from 1HWO to OHWI (at most TML_DW_TRANSPOSE_MAX
 * bytes) at the start of the scratch, the convolution's scratch after it. */
static TML_NOINLINE tml_status tml_dw_as_conv(const tml_depthwise_conv2d_s8_params *p,
                                                 const int8_t *input, const int8_t *filter,
                                                 const int32_t *bias, int8_t *output,
                                                 void *scratch) {
  int8_t *const ohwi = (int8_t *)scratch;
  tml_conv2d_s8_params cp;
  const int32_t taps = p->win.filter_h * p->win.filter_w, oc_n = p->win.output_c;
  int32_t oc, t;
  for (oc = 0; oc < oc_n; ++oc)
    for (t = 0; t < taps; ++t) ohwi[oc * taps + t] = filter[t * oc_n + oc];
  tml_dw_conv_params(p, &cp);
  return tml_conv2d_s8(&cp, input, ohwi, bias, output,
                       ohwi + tml_dw_align8((size_t)taps * (size_t)oc_n));
}

#if TML_DW_DSP
/* Depth multiplier 1 or a multiple of 4, at most TML_DW_TAPS_MAX taps,
 * |input_offset| <= 32640: every block of four output channels through
 * tml_dw_block4. Returns how many output channels were done (a multiple of
 * four; with depth multiplier 1 the last input_c % 4 are left). */
static TML_NOINLINE int32_t tml_dw_blocks(const tml_window *pw, const int8_t *input,
                                             const int8_t *filter, int8_t *output,
                                             int32_t dm, int32_t off, const tml_dw_rq *q,
                                             int32_t *scratch) {
  const tml_window w = *pw;
  int32_t *const toff = scratch;
  int32_t fy, fx, oc0;
  tml_dw_plan pl;
  for (fy = 0; fy < w.filter_h; ++fy)
    for (fx = 0; fx < w.filter_w; ++fx)
      toff[fy * w.filter_w + fx] = (fy * w.dilation_h * w.input_w + fx * w.dilation_w) * w.input_c;
  pl.w = w;
  pl.toff = toff;
  pl.fexp = toff + w.filter_h * w.filter_w;
  pl.offp = (int32_t)(((uint32_t)off & 0xFFFFu) | ((uint32_t)off << 16));
  pl.off = off;
  tml_dw_interior(w.pad_h, w.stride_h, w.dilation_h, w.filter_h, w.input_h, w.output_h,
                  &pl.oy_lo, &pl.oy_hi);
  tml_dw_interior(w.pad_w, w.stride_w, w.dilation_w, w.filter_w, w.input_w, w.output_w,
                  &pl.ox_lo, &pl.ox_hi);
  for (oc0 = 0; oc0 + 4 <= w.output_c; oc0 += 4) {
    if (dm == 1)
      tml_dw_block4_dm1(&pl, input, filter, output, oc0, q);
    else
      tml_dw_block4_dm4(&pl, input, filter, output, oc0, dm, q);
  }
  return oc0;
}
#endif

/* Output channels oc_start.. of every output pixel, a chunk of channels
 * at a time over the pixel's valid window. */
static TML_NOINLINE void tml_dw_pixels(const tml_window *pw, const int8_t *input,
                                          const int8_t *filter, int8_t *output, int32_t dm,
                                          int32_t off, const tml_dw_rq *q, int32_t oc_start,
                                          int32_t *acc) {
  const tml_window w = *pw;
  int32_t b, oy, ox;
  tml_dw_win wn;
#if TML_DW_DSP
  const int use_dsp = dm == 1 && off >= -32640 && off <= 32640;
  const int32_t offp = (int32_t)(((uint32_t)off & 0xFFFFu) | ((uint32_t)off << 16));
#endif
  wn.in_row = w.dilation_h * w.input_w * w.input_c;
  wn.in_col = w.dilation_w * w.input_c;
  wn.f_row = w.filter_w * w.output_c;
  wn.f_col = w.output_c;
  for (b = 0; b < w.batches; ++b) {
    for (oy = 0; oy < w.output_h; ++oy) {
      const int32_t iy0 = oy * w.stride_h - w.pad_h;
      int32_t fy0, fy1;
      tml_dw_range(iy0, w.dilation_h, w.input_h, w.filter_h, &fy0, &fy1);
      for (ox = 0; ox < w.output_w; ++ox) {
        const int32_t ix0 = ox * w.stride_w - w.pad_w;
        int8_t *out = output + ((size_t)(b * w.output_h + oy) * w.output_w + ox) * w.output_c;
        int32_t fx0, fx1, oc0;
        tml_dw_range(ix0, w.dilation_w, w.input_w, w.filter_w, &fx0, &fx1);
        wn.ny = fy1 - fy0;
        wn.nx = fx1 - fx0;
        if (wn.ny > 0 && wn.nx > 0) {
          wn.x = input + ((size_t)(b * w.input_h + iy0 + w.dilation_h * fy0) * w.input_w +
                          (size_t)(ix0 + w.dilation_w * fx0)) *
                             w.input_c;
          wn.f = filter + (size_t)(fy0 * w.filter_w + fx0) * w.output_c;
        } else {
          wn.ny = 0;
          wn.nx = 0;
          wn.x = input;
          wn.f = filter;
        }
        for (oc0 = oc_start; oc0 < w.output_c; oc0 += TML_DW_CHUNK) {
          const int32_t n = w.output_c - oc0 < TML_DW_CHUNK ? w.output_c - oc0 : TML_DW_CHUNK;
#if TML_DW_DSP
          if (use_dsp)
            tml_dw_acc_dm1(&wn, oc0, n, offp, off, acc);
          else
#endif
          if (dm == 1)
            tml_dw_acc_dm1_c(&wn, oc0, n, off, acc);
          else
            tml_dw_acc_c(&wn, dm, oc0, n, off, acc);
          tml_dw_requant_run(q, oc0, n, acc, out);
        }
      }
    }
  }
}

tml_status tml_depthwise_conv2d_s8(const tml_depthwise_conv2d_s8_params *p,
                                   const int8_t *input, const int8_t *filter,
                                   const int32_t *bias, int8_t *output, void *scratch) {
  const tml_window *pw;
  tml_window w;
  int32_t dm, off, oc_start = 0;
  tml_dw_rq q;
  if (!p || !input || !filter || !output || !scratch || !p->output_multiplier ||
      !p->output_shift)
    return TML_ERR_NULL_POINTER;
  if (((uintptr_t)scratch & 7u) != 0) return TML_ERR_BAD_PARAM;
  pw = &p->win;
  if (!tml_window_valid(pw) || p->depth_multiplier <= 0 ||
      pw->output_c != pw->input_c * p->depth_multiplier)
    return TML_ERR_BAD_SHAPE;
  if (p->act_min > p->act_max) return TML_ERR_BAD_PARAM;
  if (pw->batches == 0 || pw->output_h == 0 || pw->output_w == 0 || pw->output_c == 0)
    return TML_OK;

  /* One input channel and a larger filter: a CONV_2D with the filter in
   * OHWI order. */
  if (tml_dw_is_conv(p)) return tml_dw_as_conv(p, input, filter, bias, output, scratch);

  /* Locals: the int8 output stores may alias anything behind p. */
  w = *pw;
  dm = p->depth_multiplier;
  off = p->input_offset;
  q.bias = bias;
  q.mult = p->output_multiplier;
  q.shift = p->output_shift;
  q.out_offset = p->output_offset;
  q.act_min = p->act_min;
  q.act_max = p->act_max;
#if TML_DW_DSP
  if (tml_dw_has_blocks(p))
    oc_start = tml_dw_blocks(&w, input, filter, output, dm, off, &q, (int32_t *)scratch);
#endif
  if (oc_start < w.output_c)
    tml_dw_pixels(&w, input, filter, output, dm, off, &q, oc_start, (int32_t *)scratch);
  return TML_OK;
}
