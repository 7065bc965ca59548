/* MEAN, float32 (TFLM reference_ops::Mean: sum in input order, then divide). */
#include "tml_mean_impl.h"

tml_status tml_mean_f32(const tml_mean_f32_params *p, const float *input,
                        float *output) {
  tml_reduce_iter r;
  tml_status st;
  int32_t i;
  if (!p || !input || !output) return TML_ERR_NULL_POINTER;
  st = tml_reduce_init(&r, &p->input, p->axis_mask);
  if (st != TML_OK) return st;
  for (i = 0; i < r.out_count; ++i) output[i] = 0.f;
  for (i = 0; i < r.in_count; ++i) {
    output[r.out_off] = input[i] + output[r.out_off];
    tml_reduce_next(&r);
  }
  if (r.reduced_count > 0)
    for (i = 0; i < r.out_count; ++i)
      output[i] = output[i] / (float)r.reduced_count;
  return TML_OK;
}
