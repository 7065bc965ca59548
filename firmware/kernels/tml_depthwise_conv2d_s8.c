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
 * it picks the variant (tml_depthwise_conv2d_s8_select in
 * tml_depthwise_conv2d_s8_select.c; the memory planner's mirror is
 * src/codegen/aot/conv-variants.ts) and runs it, the pixels variant doing
 * the channels the blocks leave. The variants are
 * tml_depthwise_conv2d_s8_{as_conv,blocks,pixels}.c; blocks and pixels have
 * entries of their own (tml_depthwise_conv2d_s8_run_*) that the AOT
 * generator calls, so an image links only the variants its model runs. */
#include "tml_depthwise_conv2d_s8_impl.h"

tml_status tml_depthwise_conv2d_s8(const tml_depthwise_conv2d_s8_params *p,
                                   const int8_t *input, const int8_t *filter,
                                   const int32_t *bias, int8_t *output, void *scratch) {
  return tml_depthwise_conv2d_s8_rows(p, 0, input, filter, bias, output, scratch);
}

/* The blocks of four channels where the DSP extension is, then the pixels
 * variant for the channels they leave (all of them elsewhere). */
static void tml_dw_blocks_then_pixels(const tml_window *w, const int8_t *input,
                                      const int8_t *filter, int8_t *output, int32_t dm,
                                      int32_t off, const tml_dw_rq *q, int32_t oc_start,
                                      int32_t *scratch) {
#if TML_DW_DSP
  oc_start = tml_depthwise_conv2d_s8_blocks(w, input, filter, output, dm, off, q, scratch);
#endif
  if (oc_start < w->output_c)
    tml_depthwise_conv2d_s8_pixels(w, input, filter, output, dm, off, q, oc_start, scratch);
}

tml_status tml_depthwise_conv2d_s8_rows(const tml_depthwise_conv2d_s8_params *p,
                                        int32_t band_rows, const int8_t *input,
                                        const int8_t *filter, const int32_t *bias,
                                        int8_t *output, void *scratch) {
  tml_dw_call c;
  const tml_status st = tml_dw_prepare(p, band_rows, input, filter, bias, output, scratch, &c);
  if (st != TML_OK || c.empty) return st;
  /* One input channel and a larger filter: a CONV_2D with the filter in
   * OHWI order (pixel by pixel already: no bands needed). */
  switch (tml_depthwise_conv2d_s8_select(p)) {
    case TML_DEPTHWISE_CONV2D_S8_AS_CONV:
      return tml_depthwise_conv2d_s8_as_conv(p, input, filter, bias, output, scratch);
    case TML_DEPTHWISE_CONV2D_S8_BLOCKS:
      tml_dw_run(&c, band_rows, input, filter, output, (int32_t *)scratch, tml_dw_blocks_then_pixels);
      return TML_OK;
    default:
      tml_dw_run(&c, band_rows, input, filter, output, (int32_t *)scratch, tml_depthwise_conv2d_s8_pixels);
      return TML_OK;
  }
}
