/* DEPTHWISE_CONV_2D int8, the blocks variant (DSP extension with SSAT):
 * depth multiplier 1 or a multiple of 4, up to 64 taps, |input_offset| <=
 * 32640. Blocks of four output channels over the whole output; the block's
 * filter widened once into scratch (SXTB16), its requantization constants
 * computed once; per tap one input word (SXTAB16 adds input_offset in the
 * 16-bit lanes) or byte and four SMLAxy; outputs clamped four at a time
 * (SSAT, SSUB8/SEL) when the activation range lies inside int8. */
#include "tml_depthwise_conv2d_s8_impl.h"

#if TML_DW_DSP
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
  /* The last window start inside the input, in 64 bits so no param can
   * overflow it, then clamped to int32: the divisions stay 32-bit (libgcc's
   * 64-bit division is 1 KB of flash), and a start past INT32_MAX (more
   * output positions than the clamp leaves) addresses no buffer anyway. */
  int64_t last = (int64_t)in_size - 1 - (int64_t)(fsize - 1) * dil + pad;
  int32_t a, z;
  if (last > INT32_MAX) last = INT32_MAX;
  a = pad <= 0 ? 0 : pad / stride + (pad % stride != 0);
  z = last < 0 ? 0 : (int32_t)last / stride + 1;
  if (z > out_size) z = out_size;
  if (a > z) a = z;
  *lo = a;
  *hi = z;
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
      tml_tap_range(iy0, w.dilation_h, w.input_h, w.filter_h, &fy0, &fy1);
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
          tml_tap_range(ix0, w.dilation_w, w.input_w, w.filter_w, &fx0, &fx1);
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

/* Depth multiplier 1 or a multiple of 4, at most TML_DW_TAPS_MAX taps,
 * |input_offset| <= 32640: every block of four output channels through
 * tml_dw_block4. Returns how many output channels were done (a multiple of
 * four; with depth multiplier 1 the last input_c % 4 are left). */
int32_t tml_depthwise_conv2d_s8_blocks(const tml_window *pw, const int8_t *input,
                                       const int8_t *filter, int8_t *output, int32_t dm,
                                       int32_t off, const tml_dw_rq *q, int32_t *scratch) {
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
#endif /* TML_DW_DSP */

#if TML_DW_DSP
/* The blocks as a tml_dw_body: every channel, which the entry checked. */
static void tml_dw_blocks_body(const tml_window *w, const int8_t *input, const int8_t *filter,
                               int8_t *output, int32_t dm, int32_t off, const tml_dw_rq *q,
                               int32_t oc_start, int32_t *scratch) {
  (void)oc_start;
  (void)tml_depthwise_conv2d_s8_blocks(w, input, filter, output, dm, off, q, scratch);
}
#endif

/* The entry (tml_kernels.h): where the DSP extension is, the blocks over
 * every channel (TML_ERR_BAD_PARAM if the params select another variant or
 * leave channels to the pixels variant); the pixels variant elsewhere. */
tml_status tml_depthwise_conv2d_s8_run_blocks(const tml_depthwise_conv2d_s8_params *p,
                                              int32_t band_rows, const int8_t *input,
                                              const int8_t *filter, const int32_t *bias,
                                              int8_t *output, void *scratch) {
  tml_dw_call c;
  const tml_status st = tml_dw_prepare(p, band_rows, input, filter, bias, output, scratch, &c);
  if (st != TML_OK || c.empty) return st;
#if TML_DW_DSP
  if (tml_depthwise_conv2d_s8_select(p) != TML_DEPTHWISE_CONV2D_S8_BLOCKS ||
      (c.dm == 1 && c.w.output_c % 4 != 0))
    return TML_ERR_BAD_PARAM;
  tml_dw_run(&c, band_rows, input, filter, output, (int32_t *)scratch, tml_dw_blocks_body);
#else
  tml_dw_run(&c, band_rows, input, filter, output, (int32_t *)scratch,
             tml_depthwise_conv2d_s8_pixels);
#endif
  return TML_OK;
}
