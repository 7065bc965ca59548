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
 * This file is the dispatcher (CMSIS-NN's arm_convolve_wrapper_s8): it
 * checks the params, picks the variant (tml_conv2d_s8_select; the memory
 * planner's mirror is src/codegen/aot/conv-variants.ts) and carves the
 * scratch. The variants are tml_conv2d_s8_{pointwise,windows,generic}.c. */
#include "tml_conv2d_s8_impl.h"

#if TML_DSP
/* One call's scratch carved from the caller's buffer (tml_cv_scratch). */
static void tml_cv_carve(void *scratch, int np, int32_t k, tml_cv_scratch *s) {
  s->cols = (uint64_t *)scratch;
  s->tail = (int32_t *)(s->cols + (size_t)np * (size_t)(k >> 2));
  s->acc = s->tail + 3 * np;
}
#endif

/* Pixels per widened group where the widening variants may run: 4, 2, or 0
 * (one group, no horizontal dilation, |input_offset| <= 32640 and the
 * widened windows within TML_CV_COLS double words). */
static int tml_cv_cols_pixels(const tml_conv2d_s8_params *p) {
  const tml_window *w = &p->win;
  const int32_t off = p->input_offset;
  const int32_t k = w->filter_h * w->filter_w * p->filter_input_c;
  if (!(off >= -32640 && off <= 32640 && w->input_c == p->filter_input_c && w->dilation_w == 1))
    return 0;
  if ((k >> 2) * 4 <= TML_CV_COLS) return 4;
  if ((k >> 2) * 2 <= TML_CV_COLS) return 2;
  return 0;
}

tml_conv2d_s8_variant tml_conv2d_s8_select(const tml_conv2d_s8_params *p) {
  const tml_window *w = &p->win;
  const int np = tml_cv_cols_pixels(p);
  if (np > 0 && w->filter_h == 1 && w->filter_w == 1 && w->pad_h == 0 && w->pad_w == 0 &&
      (w->output_h - 1) * w->stride_h < w->input_h && (w->output_w - 1) * w->stride_w < w->input_w)
    return TML_CONV2D_S8_POINTWISE;
  if (np > 0 && p->input_offset >= -127 && p->input_offset <= 128) return TML_CONV2D_S8_WINDOWS;
  return TML_CONV2D_S8_GENERIC;
}

size_t tml_conv2d_s8_scratch_size(const tml_conv2d_s8_params *p) {
  const int32_t k = p->win.filter_h * p->win.filter_w * p->filter_input_c;
  const int np = tml_cv_cols_pixels(p);
  if (tml_conv2d_s8_select(p) == TML_CONV2D_S8_GENERIC)
    return 2 * TML_CV_CHUNK * sizeof(int32_t); /* two pixels' accumulators */
  return (size_t)np * (size_t)(k >> 2) * sizeof(uint64_t) +
         (size_t)(3 * np + np * TML_CV_CHUNK) * sizeof(int32_t);
}

tml_status tml_conv2d_s8(const tml_conv2d_s8_params *p, const int8_t *input,
                         const int8_t *filter, const int32_t *bias,
                         int8_t *output, void *scratch) {
  const tml_window *pw;
  tml_window w;
  int32_t groups, fic, off;
  tml_cv_rq q;
#if TML_DSP
  int32_t offp;
  tml_conv2d_s8_variant variant;
  tml_cv_scratch s;
#endif
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
  if (pw->batches == 0 || pw->output_h == 0 || pw->output_w == 0 || pw->output_c == 0)
    return TML_OK;

  /* Locals: the int8 output stores may alias anything behind p. */
  w = *pw;
  fic = p->filter_input_c;
  off = p->input_offset;
  q.bias = bias;
  q.mult = p->output_multiplier;
  q.shift = p->output_shift;
  q.out_offset = p->output_offset;
  q.act_min = p->act_min;
  q.act_max = p->act_max;
#if TML_DSP
  variant = tml_conv2d_s8_select(p);
  if (variant != TML_CONV2D_S8_GENERIC) {
    const int np = tml_cv_cols_pixels(p);
    offp = (int32_t)(((uint32_t)off & 0xFFFFu) | ((uint32_t)off << 16));
    tml_cv_carve(scratch, np, w.filter_h * w.filter_w * fic, &s);
    if (variant == TML_CONV2D_S8_POINTWISE)
      tml_conv2d_s8_pointwise(&w, input, filter, output, &q, offp, off, np == 4, &s);
    else
      tml_conv2d_s8_windows(&w, input, filter, output, &q, offp, off, np == 4, &s);
    return TML_OK;
  }
#endif
  tml_conv2d_s8_generic(&w, input, filter, output, &q, fic, off, (int32_t *)scratch);
  return TML_OK;
}
