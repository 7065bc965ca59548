/* DEPTHWISE_CONV_2D, int8, per-channel requantization
 * (TFLM reference_integer_ops::DepthwiseConvPerChannel). */
#include "tml_internal.h"

tml_status tml_depthwise_conv2d_s8(const tml_depthwise_conv2d_s8_params *p,
                                   const int8_t *input, const int8_t *filter,
                                   const int32_t *bias, int8_t *output) {
  const tml_window *w;
  int32_t b, oy, ox, ic, m;
  if (!p || !input || !filter || !output || !p->output_multiplier ||
      !p->output_shift)
    return TML_ERR_NULL_POINTER;
  w = &p->win;
  if (!tml_window_valid(w) || p->depth_multiplier <= 0 ||
      w->output_c != w->input_c * p->depth_multiplier)
    return TML_ERR_BAD_SHAPE;
  if (p->act_min > p->act_max) return TML_ERR_BAD_PARAM;

  for (b = 0; b < w->batches; ++b) {
    for (oy = 0; oy < w->output_h; ++oy) {
      const int32_t in_y_origin = oy * w->stride_h - w->pad_h;
      for (ox = 0; ox < w->output_w; ++ox) {
        const int32_t in_x_origin = ox * w->stride_w - w->pad_w;
        int8_t *out = output + ((b * w->output_h + oy) * w->output_w + ox) * w->output_c;
        for (ic = 0; ic < w->input_c; ++ic) {
          for (m = 0; m < p->depth_multiplier; ++m) {
            const int32_t oc = m + ic * p->depth_multiplier;
            int32_t acc = 0, fy, fx;
            for (fy = 0; fy < w->filter_h; ++fy) {
              const int32_t in_y = in_y_origin + w->dilation_h * fy;
              for (fx = 0; fx < w->filter_w; ++fx) {
                const int32_t in_x = in_x_origin + w->dilation_w * fx;
                if (in_x >= 0 && in_x < w->input_w && in_y >= 0 && in_y < w->input_h) {
                  const int32_t iv =
                      input[((b * w->input_h + in_y) * w->input_w + in_x) * w->input_c + ic];
                  const int32_t fv = filter[(fy * w->filter_w + fx) * w->output_c + oc];
                  acc += fv * (iv + p->input_offset);
                }
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
  }
  return TML_OK;
}
