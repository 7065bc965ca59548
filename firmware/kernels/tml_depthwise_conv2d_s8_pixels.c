/* DEPTHWISE_CONV_2D int8, the pixels variant (any CPU, any params): per
 * output pixel, a chunk of channels at a time over the pixel's valid
 * window, four channels at a time for depth multiplier 1 (SMLAxy with the
 * DSP extension, uint32 C elsewhere; both wrap like the reference). It also
 * does the input_c % 4 channels the blocks variant leaves. */
#include "tml_depthwise_conv2d_s8_impl.h"

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

/* Output channels oc_start.. of every output pixel, a chunk of channels
 * at a time over the pixel's valid window. */
void tml_depthwise_conv2d_s8_pixels(const tml_window *pw, const int8_t *input,
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
      tml_tap_range(iy0, w.dilation_h, w.input_h, w.filter_h, &fy0, &fy1);
      for (ox = 0; ox < w.output_w; ++ox) {
        const int32_t ix0 = ox * w.stride_w - w.pad_w;
        int8_t *out = output + ((size_t)(b * w.output_h + oy) * w.output_w + ox) * w.output_c;
        int32_t fx0, fx1, oc0;
        tml_tap_range(ix0, w.dilation_w, w.input_w, w.filter_w, &fx0, &fx1);
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

/* The entry (tml_kernels.h): the pixels variant, right for any params. */
tml_status tml_depthwise_conv2d_s8_run_pixels(const tml_depthwise_conv2d_s8_params *p,
                                              int32_t band_rows, const int8_t *input,
                                              const int8_t *filter, const int32_t *bias,
                                              int8_t *output, void *scratch) {
  tml_dw_call c;
  const tml_status st = tml_dw_prepare(p, band_rows, input, filter, bias, output, scratch, &c);
  if (st != TML_OK || c.empty) return st;
  tml_dw_run(&c, band_rows, input, filter, output, (int32_t *)scratch,
             tml_depthwise_conv2d_s8_pixels);
  return TML_OK;
}
