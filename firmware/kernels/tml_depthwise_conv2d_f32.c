/* DEPTHWISE_CONV_2D, float32 (TFLM reference_ops::DepthwiseConv). */
#include "tml_internal.h"

tml_status tml_depthwise_conv2d_f32(const tml_depthwise_conv2d_f32_params *p,
                                    const float *input, const float *filter,
                                    const float *bias, float *output) {
  const tml_window *w;
  int32_t b, oy, ox, ic, m;
  if (!p || !input || !filter || !output) return TML_ERR_NULL_POINTER;
  w = &p->win;
  if (!tml_window_valid(w) || p->depth_multiplier <= 0 ||
      w->output_c != w->input_c * p->depth_multiplier)
    return TML_ERR_BAD_SHAPE;

  for (b = 0; b < w->batches; ++b) {
    for (oy = 0; oy < w->output_h; ++oy) {
      for (ox = 0; ox < w->output_w; ++ox) {
        float *out = output + ((b * w->output_h + oy) * w->output_w + ox) * w->output_c;
        for (ic = 0; ic < w->input_c; ++ic) {
          for (m = 0; m < p->depth_multiplier; ++m) {
            const int32_t oc = m + ic * p->depth_multiplier;
            const int32_t in_x_origin = ox * w->stride_w - w->pad_w;
            const int32_t in_y_origin = oy * w->stride_h - w->pad_h;
            float total = 0.f;
            int32_t fy, fx;
            for (fy = 0; fy < w->filter_h; ++fy) {
              for (fx = 0; fx < w->filter_w; ++fx) {
                const int32_t in_x = in_x_origin + w->dilation_w * fx;
                const int32_t in_y = in_y_origin + w->dilation_h * fy;
                if (in_x >= 0 && in_x < w->input_w && in_y >= 0 && in_y < w->input_h) {
                  const float iv =
                      input[((b * w->input_h + in_y) * w->input_w + in_x) * w->input_c + ic];
                  const float fv = filter[(fy * w->filter_w + fx) * w->output_c + oc];
                  total += iv * fv;
                }
              }
            }
            out[oc] = tml_clamp_f32(total + (bias ? bias[oc] : 0.0f), p->act_min,
                                    p->act_max);
          }
        }
      }
    }
  }
  return TML_OK;
}
