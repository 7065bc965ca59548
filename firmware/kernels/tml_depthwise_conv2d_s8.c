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
 * tensor, so the stack holds only a few words per frame.
 *
 * This file is the dispatcher (CMSIS-NN's arm_depthwise_conv_wrapper_s8):
 * it checks the params and picks the variant (tml_depthwise_conv2d_s8_select;
 * the memory planner's mirror is src/codegen/aot/conv-variants.ts). The
 * variants are tml_depthwise_conv2d_s8_{as_conv,blocks,pixels}.c. */
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

tml_status tml_depthwise_conv2d_s8(const tml_depthwise_conv2d_s8_params *p,
                                   const int8_t *input, const int8_t *filter,
                                   const int32_t *bias, int8_t *output, void *scratch) {
  return tml_depthwise_conv2d_s8_rows(p, 0, input, filter, bias, output, scratch);
}

/* The blocks and pixels variants over output rows [oy0, oy0 + n) of batch
 * b: the same window with the batch's tensors, n output rows and the
 * padding moved up by oy0 rows (it may go negative: both variants compute
 * iy = oy * stride_h - pad_h and clip to the input). */
static void tml_dw_band(const tml_window *pw, int32_t b, int32_t oy0, int32_t n,
                        const int8_t *input, const int8_t *filter, int8_t *output, int32_t dm,
                        int32_t off, const tml_dw_rq *q, tml_depthwise_conv2d_s8_variant variant,
                        int32_t *scratch) {
  tml_window w = *pw;
  int32_t oc_start = 0;
  const int8_t *in = input + (size_t)b * w.input_h * w.input_w * w.input_c;
  int8_t *out = output + ((size_t)b * w.output_h + (size_t)oy0) * w.output_w * w.output_c;
  w.batches = 1;
  w.output_h = n;
  w.pad_h = pw->pad_h - oy0 * pw->stride_h;
#if TML_DW_DSP
  if (variant == TML_DEPTHWISE_CONV2D_S8_BLOCKS)
    oc_start = tml_depthwise_conv2d_s8_blocks(&w, in, filter, out, dm, off, q, scratch);
#else
  (void)variant;
#endif
  if (oc_start < w.output_c)
    tml_depthwise_conv2d_s8_pixels(&w, in, filter, out, dm, off, q, oc_start, scratch);
}

tml_status tml_depthwise_conv2d_s8_rows(const tml_depthwise_conv2d_s8_params *p,
                                        int32_t band_rows, const int8_t *input,
                                        const int8_t *filter, const int32_t *bias,
                                        int8_t *output, void *scratch) {
  const tml_window *pw;
  tml_window w;
  int32_t dm, off, oc_start = 0;
  tml_dw_rq q;
  tml_depthwise_conv2d_s8_variant variant;
  if (!p || !input || !filter || !output || !scratch || !p->output_multiplier ||
      !p->output_shift)
    return TML_ERR_NULL_POINTER;
  if (((uintptr_t)scratch & 7u) != 0 || band_rows < 0) return TML_ERR_BAD_PARAM;
  pw = &p->win;
  if (!tml_window_valid(pw) || p->depth_multiplier <= 0 ||
      pw->output_c != pw->input_c * p->depth_multiplier)
    return TML_ERR_BAD_SHAPE;
  if (p->act_min > p->act_max) return TML_ERR_BAD_PARAM;
  if (pw->batches == 0 || pw->output_h == 0 || pw->output_w == 0 || pw->output_c == 0)
    return TML_OK;

  /* One input channel and a larger filter: a CONV_2D with the filter in
   * OHWI order (pixel by pixel already: no bands needed). */
  variant = tml_depthwise_conv2d_s8_select(p);
  if (variant == TML_DEPTHWISE_CONV2D_S8_AS_CONV)
    return tml_depthwise_conv2d_s8_as_conv(p, input, filter, bias, output, scratch);

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
  if (band_rows > 0 && band_rows < w.output_h) {
    int32_t b, oy0;
    for (b = 0; b < w.batches; ++b)
      for (oy0 = 0; oy0 < w.output_h; oy0 += band_rows) {
        const int32_t n = w.output_h - oy0 < band_rows ? w.output_h - oy0 : band_rows;
        tml_dw_band(&w, b, oy0, n, input, filter, output, dm, off, &q, variant,
                    (int32_t *)scratch);
      }
    return TML_OK;
  }
#if TML_DW_DSP
  if (variant == TML_DEPTHWISE_CONV2D_S8_BLOCKS)
    oc_start = tml_depthwise_conv2d_s8_blocks(&w, input, filter, output, dm, off, &q, (int32_t *)scratch);
#endif
  if (oc_start < w.output_c)
    tml_depthwise_conv2d_s8_pixels(&w, input, filter, output, dm, off, &q, oc_start, (int32_t *)scratch);
  return TML_OK;
}
