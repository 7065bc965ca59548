/* CONV_2D int8: which variant runs (tml_conv2d_s8_select), the scratch it
 * needs (tml_conv2d_s8_scratch_size), and the checks and unpacking every
 * variant's entry starts with (tml_cv_prepare). Kept apart from the
 * dispatcher so an entry the AOT code calls directly pulls in no other
 * variant. The memory planner's mirror of the rules is
 * src/codegen/aot/conv-variants.ts. */
#include "tml_conv2d_s8_impl.h"

int tml_cv_cols_pixels(const tml_conv2d_s8_params *p) {
  const tml_window *w = &p->win;
  const int32_t off = p->input_offset;
  const int32_t k = w->filter_h * w->filter_w * p->filter_input_c;
  if (!(off >= -32640 && off <= 32640 && w->input_c == p->filter_input_c && w->dilation_w == 1))
    return 0;
  if ((k >> 2) * 4 <= TML_CV_COLS) return 4;
  if ((k >> 2) * 2 <= TML_CV_COLS) return 2;
  return 0;
}

/* The rule, given tml_cv_cols_pixels(p): prepare has it already. */
static tml_conv2d_s8_variant tml_cv_select(const tml_conv2d_s8_params *p, int np) {
  const tml_window *w = &p->win;
  if (np > 0 && w->filter_h == 1 && w->filter_w == 1 && w->pad_h == 0 && w->pad_w == 0 &&
      (w->output_h - 1) * w->stride_h < w->input_h && (w->output_w - 1) * w->stride_w < w->input_w)
    return TML_CONV2D_S8_POINTWISE;
  if (np > 0 && p->input_offset >= -127 && p->input_offset <= 128) return TML_CONV2D_S8_WINDOWS;
  return TML_CONV2D_S8_GENERIC;
}

tml_conv2d_s8_variant tml_conv2d_s8_select(const tml_conv2d_s8_params *p) {
  return tml_cv_select(p, tml_cv_cols_pixels(p));
}

size_t tml_conv2d_s8_scratch_size(const tml_conv2d_s8_params *p) {
  const int32_t k = p->win.filter_h * p->win.filter_w * p->filter_input_c;
  const int np = tml_cv_cols_pixels(p);
  if (tml_conv2d_s8_select(p) == TML_CONV2D_S8_GENERIC)
    return 2 * TML_CV_CHUNK * sizeof(int32_t); /* two pixels' accumulators */
  return (size_t)np * (size_t)(k >> 2) * sizeof(uint64_t) +
         (size_t)(3 * np + np * TML_CV_CHUNK) * sizeof(int32_t);
}

tml_status tml_cv_prepare(const tml_conv2d_s8_params *p, const int8_t *input,
                          const int8_t *filter, const int32_t *bias, int8_t *output,
                          void *scratch, tml_cv_call *c) {
  const tml_window *pw;
  int32_t groups;
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
  c->empty = pw->batches == 0 || pw->output_h == 0 || pw->output_w == 0 || pw->output_c == 0;

  /* Locals: the int8 output stores may alias anything behind p. */
  c->w = *pw;
  c->fic = p->filter_input_c;
  c->off = p->input_offset;
  c->q.bias = bias;
  c->q.mult = p->output_multiplier;
  c->q.shift = p->output_shift;
  c->q.out_offset = p->output_offset;
  c->q.act_min = p->act_min;
  c->q.act_max = p->act_max;
#if TML_DSP
  {
    /* The widening variants' scratch: np * (k / 4) widened words, 3 * np
     * tail taps, np * TML_CV_CHUNK accumulators (8-byte aligned). */
    const int np = tml_cv_cols_pixels(p);
    const int32_t k = pw->filter_h * pw->filter_w * p->filter_input_c;
    c->variant = tml_cv_select(p, np);
    c->offp = (int32_t)(((uint32_t)c->off & 0xFFFFu) | ((uint32_t)c->off << 16));
    c->np4 = np == 4;
    c->s.cols = (uint64_t *)scratch;
    c->s.tail = (int32_t *)(c->s.cols + (size_t)np * (size_t)(k >> 2));
    c->s.acc = c->s.tail + 3 * np;
  }
#endif
  return TML_OK;
}

#if TML_DSP
tml_status tml_cv_run_widening(const tml_conv2d_s8_params *p, const int8_t *input,
                               const int8_t *filter, const int32_t *bias, int8_t *output,
                               void *scratch, tml_conv2d_s8_variant variant,
                               tml_cv_widening run) {
  tml_cv_call c;
  const tml_status st = tml_cv_prepare(p, input, filter, bias, output, scratch, &c);
  if (st != TML_OK || c.empty) return st;
  if (c.variant != variant) return TML_ERR_BAD_PARAM;
  run(&c.w, input, filter, output, &c.q, c.offp, c.off, c.np4, &c.s);
  return TML_OK;
}
#endif
