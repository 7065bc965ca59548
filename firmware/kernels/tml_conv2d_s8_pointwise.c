/* CONV_2D int8, the pointwise variant (DSP extension): 1x1 filter, one
 * group, every tap inside the input, so each pixel's window is input_c
 * contiguous bytes, widened once into scratch for four (or two) pixels. */
#include "tml_conv2d_s8_impl.h"

#if TML_DSP
/* Pointwise convolution (1x1 filter, one group, every tap inside the input):
 * each output pixel's window is input_c contiguous bytes. Pixels are taken
 * in order, four (np4 set) or two at a time. */
void tml_conv2d_s8_pointwise(const tml_window *pw, const int8_t *input, const int8_t *filter,
                             int8_t *output, const tml_cv_rq *q, int32_t offp, int32_t off,
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
#endif /* TML_DSP */

/* The entry (tml_kernels.h): the pointwise variant where the DSP extension is
 * (TML_ERR_BAD_PARAM if the params select another), the generic one elsewhere. */
tml_status tml_conv2d_s8_run_pointwise(const tml_conv2d_s8_params *p, const int8_t *input,
                                    const int8_t *filter, const int32_t *bias,
                                    int8_t *output, void *scratch) {
#if TML_DSP
  return tml_cv_run_widening(p, input, filter, bias, output, scratch, TML_CONV2D_S8_POINTWISE,
                             tml_conv2d_s8_pointwise);
#else
  return tml_conv2d_s8_run_generic(p, input, filter, bias, output, scratch);
#endif
}
