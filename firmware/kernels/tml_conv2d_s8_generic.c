/* CONV_2D int8, the generic variant: any params on any CPU. Output pixels
 * in order, two consecutive ones with the same valid window at a time, two
 * output channels at a time straight from the runs of their windows (SMLAD
 * where the DSP extension is there and |input_offset| <= 32640, else uint32
 * C; both wrap like the reference). */
#include "tml_conv2d_s8_impl.h"

/* One output pixel: input at its first valid tap (group 0), output, and the
 * window (pixels are computed together when fy0, fx0, ny, nx are equal). */
typedef struct {
  const int8_t *in;
  int8_t *out;
  int32_t fy0, fx0, ny, nx;
} tml_cv_px;

#if TML_DSP
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
#endif

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
  tml_tap_range(iy0, w->dilation_h, w->input_h, w->filter_h, &fy0, &fy1);
  tml_tap_range(ix0, w->dilation_w, w->input_w, w->filter_w, &fx0, &fx1);
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

static inline int tml_cv_same(const tml_cv_px *a, const tml_cv_px *b) {
  return a->fy0 == b->fy0 && a->fx0 == b->fx0 && a->ny == b->ny && a->nx == b->nx;
}

/* Everything else (portable C, large offsets, grouped or horizontally
 * dilated convolutions, large windows): output pixels in order, two
 * consecutive ones with the same window shape at a time, SMLAD or C on the
 * runs of their windows. */
void tml_conv2d_s8_generic(const tml_window *pw, const int8_t *input, const int8_t *filter,
                           int8_t *output, const tml_cv_rq *q, int32_t fic, int32_t off,
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

/* The entry (tml_kernels.h): the generic variant, right for any params. */
tml_status tml_conv2d_s8_run_generic(const tml_conv2d_s8_params *p, const int8_t *input,
                                     const int8_t *filter, const int32_t *bias,
                                     int8_t *output, void *scratch) {
  tml_cv_call c;
  const tml_status st = tml_cv_prepare(p, input, filter, bias, output, scratch, &c);
  if (st != TML_OK || c.empty) return st;
  tml_conv2d_s8_generic(&c.w, input, filter, output, &c.q, c.fic, c.off, (int32_t *)scratch);
  return TML_OK;
}
