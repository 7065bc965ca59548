/* AVERAGE_POOL_2D, float32 (TFLM reference_ops::AveragePool). */
#include "tml_internal.h"

tml_status tml_avg_pool2d_f32(const tml_pool_f32_params *p, const float *input,
                             float *output) {
  const tml_window *w;
  int32_t b, oy, ox, c;
  if (!p || !input || !output) return TML_ERR_NULL_POINTER;
  w = &p->win;
  if (!tml_window_valid(w) || w->output_c != w->input_c) return TML_ERR_BAD_SHAPE;
  for (b = 0; b < w->batches; ++b) {
    for (oy = 0; oy < w->output_h; ++oy) {
      for (ox = 0; ox < w->output_w; ++ox) {
        for (c = 0; c < w->input_c; ++c) {
          const int32_t in_x_origin = ox * w->stride_w - w->pad_w;
          const int32_t in_y_origin = oy * w->stride_h - w->pad_h;
          const int32_t fx_start = tml_max_i32(0, -in_x_origin);
          const int32_t fx_end = tml_min_i32(w->filter_w, w->input_w - in_x_origin);
          const int32_t fy_start = tml_max_i32(0, -in_y_origin);
          const int32_t fy_end = tml_min_i32(w->filter_h, w->input_h - in_y_origin);
          int32_t fy, fx;
          float total = 0.f, count = 0.f;
          for (fy = fy_start; fy < fy_end; ++fy)
            for (fx = fx_start; fx < fx_end; ++fx) {
              total += input[((b * w->input_h + in_y_origin + fy) * w->input_w +
                              in_x_origin + fx) * w->input_c + c];
              count += 1.f;
            }
          if (count == 0.f) return TML_ERR_BAD_PARAM;
          output[((b * w->output_h + oy) * w->output_w + ox) * w->output_c + c] =
              tml_clamp_f32(total / count, p->act_min, p->act_max);
        }
      }
    }
  }
  return TML_OK;
}
