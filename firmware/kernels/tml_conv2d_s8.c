/* CONV_2D, int8 activations and weights, per-channel requantization
 * (TFLM reference_integer_ops::ConvPerChannel). */
#include "tml_internal.h"

tml_status tml_conv2d_s8(const tml_conv2d_s8_params *p, const int8_t *input,
                         const int8_t *filter, const int32_t *bias,
                         int8_t *output) {
  const tml_window *w;
  int32_t groups, filters_per_group, b, oy, ox, oc;
  if (!p || !input || !filter || !output || !p->output_multiplier ||
      !p->output_shift)
    return TML_ERR_NULL_POINTER;
  w = &p->win;
  if (!tml_window_valid(w) || p->filter_input_c <= 0 ||
      w->input_c % p->filter_input_c != 0)
    return TML_ERR_BAD_SHAPE;
  groups = w->input_c / p->filter_input_c;
  if (groups == 0 || w->output_c % groups != 0) return TML_ERR_BAD_SHAPE;
  filters_per_group = w->output_c / groups;
  if (p->act_min > p->act_max) return TML_ERR_BAD_PARAM;

  for (b = 0; b < w->batches; ++b) {
    for (oy = 0; oy < w->output_h; ++oy) {
      const int32_t in_y_origin = oy * w->stride_h - w->pad_h;
      for (ox = 0; ox < w->output_w; ++ox) {
        const int32_t in_x_origin = ox * w->stride_w - w->pad_w;
        int8_t *out = output + ((b * w->output_h + oy) * w->output_w + ox) * w->output_c;
        for (oc = 0; oc < w->output_c; ++oc) {
          const int32_t group = oc / filters_per_group;
          const int8_t *f = filter + (size_t)oc * w->filter_h * w->filter_w * p->filter_input_c;
          int32_t acc = 0, fy, fx, ic;
          for (fy = 0; fy < w->filter_h; ++fy) {
            const int32_t in_y = in_y_origin + w->dilation_h * fy;
            if (in_y < 0 || in_y >= w->input_h) continue;
            for (fx = 0; fx < w->filter_w; ++fx) {
              const int32_t in_x = in_x_origin + w->dilation_w * fx;
              const int8_t *in;
              const int8_t *ff;
              if (in_x < 0 || in_x >= w->input_w) continue;
              in = input + ((b * w->input_h + in_y) * w->input_w + in_x) * w->input_c +
                   group * p->filter_input_c;
              ff = f + (fy * w->filter_w + fx) * p->filter_input_c;
              for (ic = 0; ic < p->filter_input_c; ++ic)
                acc += (int32_t)ff[ic] * ((int32_t)in[ic] + p->input_offset);
            }
          }
          if (bias) acc += bias[oc];
          acc = tml_multiply_by_quantized_multiplier(acc, p->output_multiplier[oc],
                                                     p->output_shift[oc]);
          acc += p->output_offset;
          out[oc] = (int8_t)tml_clamp_i32(acc, p->act_min, p->act_max);
        }
      }
    }
  }
  return TML_OK;
}
