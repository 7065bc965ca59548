/* CONV_2D, float32 (TFLM reference_ops::Conv). */
#include "tml_internal.h"

tml_status tml_conv2d_f32(const tml_conv2d_f32_params *p, const float *input,
                          const float *filter, const float *bias,
                          float *output) {
  const tml_window *w;
  int32_t groups, filters_per_group, b, oy, ox, oc;
  if (!p || !input || !filter || !output) return TML_ERR_NULL_POINTER;
  w = &p->win;
  if (!tml_window_valid(w) || p->filter_input_c <= 0 ||
      w->input_c % p->filter_input_c != 0)
    return TML_ERR_BAD_SHAPE;
  groups = w->input_c / p->filter_input_c;
  if (groups == 0 || w->output_c % groups != 0) return TML_ERR_BAD_SHAPE;
  filters_per_group = w->output_c / groups;

  for (b = 0; b < w->batches; ++b) {
    for (oy = 0; oy < w->output_h; ++oy) {
      const int32_t in_y_origin = oy * w->stride_h - w->pad_h;
      for (ox = 0; ox < w->output_w; ++ox) {
        const int32_t in_x_origin = ox * w->stride_w - w->pad_w;
        float *out = output + ((b * w->output_h + oy) * w->output_w + ox) * w->output_c;
        for (oc = 0; oc < w->output_c; ++oc) {
          const int32_t group = oc / filters_per_group;
          const float *f = filter + (size_t)oc * w->filter_h * w->filter_w * p->filter_input_c;
          float total = 0.f;
          int32_t fy, fx, ic;
          for (fy = 0; fy < w->filter_h; ++fy) {
            const int32_t in_y = in_y_origin + w->dilation_h * fy;
            for (fx = 0; fx < w->filter_w; ++fx) {
              const int32_t in_x = in_x_origin + w->dilation_w * fx;
              const float *in;
              const float *ff;
              if (in_x < 0 || in_x >= w->input_w || in_y < 0 || in_y >= w->input_h)
                continue;
              in = input + ((b * w->input_h + in_y) * w->input_w + in_x) * w->input_c +
                   group * p->filter_input_c;
              ff = f + (fy * w->filter_w + fx) * p->filter_input_c;
              for (ic = 0; ic < p->filter_input_c; ++ic) total += in[ic] * ff[ic];
            }
          }
          out[oc] = tml_clamp_f32(total + (bias ? bias[oc] : 0.0f), p->act_min,
                                  p->act_max);
        }
      }
    }
  }
  return TML_OK;
}
