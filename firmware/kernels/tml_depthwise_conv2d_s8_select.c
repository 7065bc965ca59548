/* DEPTHWISE_CONV_2D int8: which variant runs (tml_depthwise_conv2d_s8_select),
 * the scratch it needs (tml_depthwise_conv2d_s8_scratch_size), the checks
 * and unpacking every entry starts with (tml_dw_prepare) and the bands of
 * output rows they run in (tml_dw_run). Kept apart from the dispatcher so
 * an entry the AOT code calls directly pulls in no other variant. The
 * memory planner's mirror of the rules is src/codegen/aot/conv-variants.ts. */
#include "tml_depthwise_conv2d_s8_impl.h"

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

tml_depthwise_conv2d_s8_variant tml_depthwise_conv2d_s8_select(
    const tml_depthwise_conv2d_s8_params *p) {
  if (tml_dw_is_conv(p)) return TML_DEPTHWISE_CONV2D_S8_AS_CONV;
  if (tml_dw_has_blocks(p)) return TML_DEPTHWISE_CONV2D_S8_BLOCKS;
  return TML_DEPTHWISE_CONV2D_S8_PIXELS;
}

size_t tml_depthwise_conv2d_s8_scratch_size(const tml_depthwise_conv2d_s8_params *p) {
  const size_t taps = (size_t)p->win.filter_h * (size_t)p->win.filter_w;
  const tml_depthwise_conv2d_s8_variant v = tml_depthwise_conv2d_s8_select(p);
  /* The blocks' tap offsets and widened filter, or later (and on cores
   * without the DSP extension) one pixel's accumulators. */
  const size_t blocks = v == TML_DEPTHWISE_CONV2D_S8_BLOCKS ? 3 * taps * sizeof(int32_t) : 0;
  const size_t pixels = TML_DW_CHUNK * sizeof(int32_t);
  if (v == TML_DEPTHWISE_CONV2D_S8_AS_CONV) {
    tml_conv2d_s8_params cp;
    tml_dw_conv_params(p, &cp);
    return tml_dw_align8(taps * (size_t)p->win.output_c) + tml_conv2d_s8_scratch_size(&cp);
  }
  return blocks > pixels ? blocks : pixels;
}

tml_status tml_dw_prepare(const tml_depthwise_conv2d_s8_params *p, int32_t band_rows,
                          const int8_t *input, const int8_t *filter, const int32_t *bias,
                          int8_t *output, void *scratch, tml_dw_call *c) {
  const tml_window *pw;
  if (!p || !input || !filter || !output || !scratch || !p->output_multiplier ||
      !p->output_shift)
    return TML_ERR_NULL_POINTER;
  if (((uintptr_t)scratch & 7u) != 0 || band_rows < 0) return TML_ERR_BAD_PARAM;
  pw = &p->win;
  if (!tml_window_valid(pw) || p->depth_multiplier <= 0 ||
      pw->output_c != pw->input_c * p->depth_multiplier)
    return TML_ERR_BAD_SHAPE;
  if (p->act_min > p->act_max) return TML_ERR_BAD_PARAM;
  c->empty = pw->batches == 0 || pw->output_h == 0 || pw->output_w == 0 || pw->output_c == 0;
  /* Locals: the int8 output stores may alias anything behind p. */
  c->w = *pw;
  c->dm = p->depth_multiplier;
  c->off = p->input_offset;
  c->q.bias = bias;
  c->q.mult = p->output_multiplier;
  c->q.shift = p->output_shift;
  c->q.out_offset = p->output_offset;
  c->q.act_min = p->act_min;
  c->q.act_max = p->act_max;
  return TML_OK;
}

/* Output rows [oy0, oy0 + n) of batch b: the same window with the batch's
 * tensors, n output rows and the padding moved up by oy0 rows (it may go
 * negative: the variants compute iy = oy * stride_h - pad_h and clip to the
 * input). */
static void tml_dw_band(const tml_dw_call *c, int32_t b, int32_t oy0, int32_t n,
                        const int8_t *input, const int8_t *filter, int8_t *output,
                        int32_t *scratch, tml_dw_body body) {
  tml_window w = c->w;
  const int8_t *in = input + (size_t)b * w.input_h * w.input_w * w.input_c;
  int8_t *out = output + ((size_t)b * w.output_h + (size_t)oy0) * w.output_w * w.output_c;
  w.batches = 1;
  w.output_h = n;
  w.pad_h = c->w.pad_h - oy0 * c->w.stride_h;
  body(&w, in, filter, out, c->dm, c->off, &c->q, 0, scratch);
}

void tml_dw_run(const tml_dw_call *c, int32_t band_rows, const int8_t *input,
                const int8_t *filter, int8_t *output, int32_t *scratch, tml_dw_body body) {
  const int32_t h = c->w.output_h;
  int32_t b, oy0;
  if (band_rows <= 0 || band_rows >= h) {
    body(&c->w, input, filter, output, c->dm, c->off, &c->q, 0, scratch);
    return;
  }
  for (b = 0; b < c->w.batches; ++b)
    for (oy0 = 0; oy0 < h; oy0 += band_rows)
      tml_dw_band(c, b, oy0, h - oy0 < band_rows ? h - oy0 : band_rows, input, filter, output,
                  scratch, body);
}
