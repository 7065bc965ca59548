/* CONV_2D, int8 activations and weights, per-channel requantization
 * (TFLM reference_integer_ops::ConvPerChannel).
 *
 * Bit-exact with the reference loop nest
 *   acc = sum over taps inside the input of f * (x + input_offset)
 * (int32, wrapping modulo 2^32 like TFLM's builds), then bias, requantize,
 * output_offset, clamp, for every input. Every sum here is also taken
 * modulo 2^32 (SMLAD wraps; C sums are uint32), so the order of the terms
 * cannot change a bit; the requantization is tml_mbqm (proof below) or
 * tml_multiply_by_quantized_multiplier itself.
 *
 * On cores with the DSP extension (Cortex-M4/M7/M33), for one group, no
 * horizontal dilation and a window of up to 259 taps (filter_h * filter_w *
 * input_c), the windows of four (or two) consecutive output pixels are
 * widened once into at most 1 KB of caller-owned scratch, input_offset added in the 16-bit lanes
 * (SXTAB16: exact while |input_offset| <= 32640), and every filter then
 * streams past them: one filter word, two SXTB16 and eight SMLAD give 16
 * MACs. Taps in the padding are widened from the byte -input_offset, i.e.
 * as 0, which adds nothing, exactly like the skipped taps of the reference
 * (this needs input_offset in [-127, 128]; 1x1 convolutions without padding
 * need nothing). Everything else (portable C for other CPUs, larger
 * offsets, groups, dilation_w > 1, larger windows) computes two pixels with
 * the same valid window and two output channels at a time straight from
 * the runs of their windows (SMLAD, or uint32 C).
 *
 * Every buffer the variants need (widened windows, tails, accumulators) is
 * the caller's scratch of tml_conv2d_s8_scratch_size() bytes, planned in the
 * arena like a tensor, so the stack holds only a few words per frame.
 *
 * This file is the dispatcher (CMSIS-NN's arm_convolve_wrapper_s8): it picks
 * the variant (tml_conv2d_s8_select in tml_conv2d_s8_select.c; the memory
 * planner's mirror is src/codegen/aot/conv-variants.ts) and calls its entry,
 * tml_conv2d_s8_run_{pointwise,windows,generic}, one per variant file. The
 * AOT generator calls the entries itself, so an image links only the
 * variants its model runs. */
#include "tml_conv2d_s8_impl.h"

tml_status tml_conv2d_s8(const tml_conv2d_s8_params *p, const int8_t *input,
                         const int8_t *filter, const int32_t *bias,
                         int8_t *output, void *scratch) {
#if TML_DSP
  if (p) switch (tml_conv2d_s8_select(p)) {
      case TML_CONV2D_S8_POINTWISE:
        return tml_conv2d_s8_run_pointwise(p, input, filter, bias, output, scratch);
      case TML_CONV2D_S8_WINDOWS:
        return tml_conv2d_s8_run_windows(p, input, filter, bias, output, scratch);
      default:
        break;
    }
#endif
  return tml_conv2d_s8_run_generic(p, input, filter, bias, output, scratch);
}
