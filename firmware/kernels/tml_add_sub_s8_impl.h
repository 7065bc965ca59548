/* ADD and SUB int8 (TFLM AddElementwise / SubElementwise and their
 * broadcasting loops): one body, sign +1 or -1.
 *
 * The fast path runs along tml_runs and computes each of TFLM's three
 * MultiplyByQuantizedMultiplierSmallerThanOneExp steps as one 64-bit
 * multiply-accumulate (tml_rescale_apply), with the input offset and TFLM's
 * left shift folded into one multiply-add of the int8 value. It is taken
 * when those folds are exact: (x + offset) << left_shift (doubled for a
 * step without a right shift) fits in int32 for every int8 x, every
 * multiplier is non-negative and the output step shifts right. Otherwise,
 * and for any other params, the element-by-element reference loop. Both
 * give the bits of tml_add_sub_q. */
#ifndef TML_ADD_SUB_S8_IMPL_H
#define TML_ADD_SUB_S8_IMPL_H

#include "tml_binary_impl.h"
#include "tml_binary_runs.h"

/* One input's step: a = x * scale + bias is (x + offset) << left_shift,
 * doubled when the step has no right shift (tml_rescale). */
typedef struct {
  int32_t scale, bias;
  tml_rescale r;
} tml_add_in;

static inline int tml_add_in_init(tml_add_in *in, int32_t offset, int32_t left_shift,
                                  int32_t m, int32_t shift) {
  int32_t sh;
  if (m < 0) return 0;
  tml_rescale_init(&in->r, m, -shift);
  sh = left_shift + in->r.twice;
  if (!tml_fits_shl(tml_s8_offset_bound(offset), sh)) return 0;
  in->scale = (int32_t)((uint32_t)1 << sh);
  in->bias = (int32_t)((uint32_t)offset << sh);
  return 1;
}

static TML_ALWAYS_INLINE void tml_add_sub_run(
    const tml_add_in *i1, const tml_add_in *i2, const tml_rescale *ro, int32_t out_offset,
    int32_t act_min, int32_t act_max, const int8_t *x1, int32_t st1, const int8_t *x2,
    int32_t st2, int8_t *out, int32_t n, int sign) {
  const int32_t sc1 = i1->scale, b1 = i1->bias, m1 = i1->r.m, kd1 = i1->r.kd, p1 = i1->r.post;
  const int32_t sc2 = i2->scale, b2 = i2->bias, m2 = i2->r.m, kd2 = i2->r.kd, p2 = i2->r.post;
  const int64_t k1 = i1->r.k, k2 = i2->r.k, ko = ro->k;
  const int32_t mo = ro->m, kdo = ro->kd, po = ro->post;
  int32_t j;
  for (j = 0; j < n; ++j) {
    const int32_t a1 = *x1 * sc1 + b1, a2 = *x2 * sc2 + b2;
    const int32_t s1 = tml_rescale_apply(a1, a1 >> 31, m1, k1, kd1, p1);
    const int32_t s2 = tml_rescale_apply(a2, a2 >> 31, m2, k2, kd2, p2);
    const int32_t raw = sign > 0 ? tml_wrap_add(s1, s2) : tml_wrap_sub(s1, s2);
    int32_t o = tml_rescale_apply(raw, raw >> 31, mo, ko, kdo, po) + out_offset;
    o = o < act_min ? act_min : o;
    out[j] = (int8_t)(o > act_max ? act_max : o);
    x1 += st1;
    x2 += st2;
  }
}

static TML_ALWAYS_INLINE tml_status tml_add_sub_s8_body(
    const tml_add_s8_params *p, const tml_binary_shapes *s, const int8_t *input1,
    const int8_t *input2, int8_t *output, int sign) {
  tml_add_in i1, i2;
  tml_rescale ro;
  tml_runs r;
  tml_status st;
  int32_t k;
  if (!p || !s || !input1 || !input2 || !output) return TML_ERR_NULL_POINTER;
  st = tml_add_sub_check(p);
  if (st != TML_OK) return st;
  st = tml_runs_init(&r, s);
  if (st != TML_OK) return st;
  if (p->output_multiplier >= 0 && p->output_shift < 0 &&
      tml_add_in_init(&i1, p->input1_offset, p->left_shift, p->input1_multiplier, p->input1_shift) &&
      tml_add_in_init(&i2, p->input2_offset, p->left_shift, p->input2_multiplier, p->input2_shift)) {
    tml_rescale_init(&ro, p->output_multiplier, -p->output_shift);
    for (k = 0; k < r.runs; ++k) {
      tml_add_sub_run(&i1, &i2, &ro, p->output_offset, p->act_min, p->act_max,
                      input1 + r.b.off1, r.st1, input2 + r.b.off2, r.st2,
                      output + (size_t)k * r.len, r.len, sign);
      tml_runs_next(&r);
    }
    return TML_OK;
  }
  {
    tml_bcast *b = &r.b; /* fresh from tml_bcast_init: offsets 0 */
    for (k = 0; k < b->count; ++k) {
      output[k] = (int8_t)tml_add_sub_q(p, input1[b->off1], input2[b->off2], sign);
      tml_bcast_next(b);
    }
  }
  return TML_OK;
}

#endif /* TML_ADD_SUB_S8_IMPL_H */
