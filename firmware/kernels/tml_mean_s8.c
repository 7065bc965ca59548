/* MEAN, int8 (TFLM reference_ops::QuantizedMeanOrSum, compute_sum = false). */
#include "tml_mean_impl.h"

size_t tml_mean_s8_scratch_size(const tml_mean_s8_params *p) {
  tml_reduce_iter r;
  if (!p || tml_reduce_init(&r, &p->input, p->axis_mask) != TML_OK) return 0;
  return (size_t)r.out_count * sizeof(int32_t);
}

tml_status tml_mean_s8(const tml_mean_s8_params *p, const int8_t *input,
                       int8_t *output, int32_t *scratch) {
  tml_reduce_iter r;
  tml_status st;
  int32_t i, multiplier, num;
  int shift, log2n;
  if (!p || !input || !output || !scratch) return TML_ERR_NULL_POINTER;
  st = tml_reduce_init(&r, &p->input, p->axis_mask);
  if (st != TML_OK) return st;
  if (p->shift < -31 || p->shift > 30) return TML_ERR_BAD_PARAM;
  for (i = 0; i < r.out_count; ++i) {
    output[i] = 0;
    scratch[i] = 0;
  }
  if (r.in_count == 0) return TML_OK;
  for (i = 0; i < r.in_count; ++i) {
    scratch[r.out_off] = tml_wrap_add(scratch[r.out_off], input[i]);
    tml_reduce_next(&r);
  }
  /* Fold 1/num into the multiplier as TFLM does at Eval time. */
  num = r.reduced_count;
  log2n = 31 - tml_clz32((uint32_t)num);
  shift = log2n < 32 ? log2n : 32;
  if (shift > 31 + p->shift) shift = 31 + p->shift;
  multiplier = (int32_t)(((int64_t)p->multiplier << shift) / num);
  shift = p->shift - shift;
  for (i = 0; i < r.out_count; ++i) {
    const int32_t shifted_sum =
        (int32_t)((int64_t)scratch[i] - (int64_t)p->input_zero_point * num);
    const int32_t out =
        tml_multiply_by_quantized_multiplier(shifted_sum, multiplier, shift) +
        p->output_zero_point;
    output[i] = (int8_t)tml_clamp_i32(out, INT8_MIN, INT8_MAX);
  }
  return TML_OK;
}
