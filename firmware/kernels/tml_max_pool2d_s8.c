/* MAX_POOL_2D, int8 (TFLM reference_integer_ops::MaxPool). */
#include "tml_internal.h"

tml_status tml_max_pool2d_s8(const tml_pool_s8_params *p, const int8_t *input,
                             int8_t *output) {
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
          int32_t max = INT8_MIN;
          for (fy = fy_start; fy < fy_end; ++fy)
            for (fx = fx_start; fx < fx_end; ++fx)
              max = tml_max_i32(max, input[((b * w->input_h + in_y_origin + fy) * w->input_w +
                                            in_x_origin + fx) * w->input_c + c]);
          output[((b * w->output_h + oy) * w->output_w + ox) * w->output_c + c] =
              (int8_t)tml_clamp_i32(max, p->act_min, p->act_max);
        }
      }
    }
  }
  return TML_OK;
}
