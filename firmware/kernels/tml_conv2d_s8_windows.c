/* CONV_2D int8, the windows variant (DSP extension): one group, no
 * horizontal dilation, input_offset in [-127, 128]; each pixel's window,
 * padding included, widened once into scratch for four (or two) pixels. */
#include "tml_conv2d_s8_impl.h"

#if TML_DSP
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
void tml_conv2d_s8_windows(const tml_window *pw, const int8_t *input, const int8_t *filter,
                           int8_t *output, const tml_cv_rq *q, int32_t offp, int32_t off,
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

/* The entry (tml_kernels.h): the windows variant where the DSP extension is
 * (TML_ERR_BAD_PARAM if the params select another), the generic one elsewhere. */
tml_status tml_conv2d_s8_run_windows(const tml_conv2d_s8_params *p, const int8_t *input,
                                    const int8_t *filter, const int32_t *bias,
                                    int8_t *output, void *scratch) {
#if TML_DSP
  return tml_cv_run_widening(p, input, filter, bias, output, scratch, TML_CONV2D_S8_WINDOWS,
                             tml_conv2d_s8_windows);
#else
  return tml_conv2d_s8_run_generic(p, input, filter, bias, output, scratch);
#endif
}
