/* MUL, int8 (TFLM reference_integer_ops::Mul / BroadcastMul6DSlow).
 *
 * The fast path runs along tml_runs: (x1 + off1) * (x2 + off2), TFLM's left
 * shift folded into the second factor, then MultiplyByQuantizedMultiplier's
 * SRDHM and RoundingDivideByPOT as one 64-bit multiply-accumulate
 * (tml_rescale_apply). It is taken when the product shifted left (doubled
 * for a step without a right shift) fits in int32 for every pair of int8
 * values and the multiplier is non-negative; otherwise the element-by-
 * element reference loop. Both give the bits of tml_mul_q. */
#include "tml_binary_impl.h"
#include "tml_binary_runs.h"

static TML_NOINLINE void tml_mul_run(const tml_rescale *r, int32_t off1, int32_t sc2,
                                     int32_t b2, int32_t out_offset, int32_t act_min,
                                     int32_t act_max, const int8_t *x1, int32_t st1,
                                     const int8_t *x2, int32_t st2, int8_t *out, int32_t n) {
  const int32_t m = r->m, kd = r->kd, post = r->post;
  const int64_t k = r->k;
  int32_t j;
  for (j = 0; j < n; ++j) {
    const int32_t a = (*x1 + off1) * (*x2 * sc2 + b2);
    int32_t o = tml_rescale_apply(a, a >> 31, m, k, kd, post) + out_offset;
    o = o < act_min ? act_min : o;
    out[j] = (int8_t)(o > act_max ? act_max : o);
    x1 += st1;
    x2 += st2;
  }
}

tml_status tml_mul_s8(const tml_mul_s8_params *p, const tml_binary_shapes *s,
                      const int8_t *input1, const int8_t *input2, int8_t *output) {
  tml_runs r;
  tml_rescale rs;
  tml_status st;
  int32_t k;
  if (!p || !s || !input1 || !input2 || !output) return TML_ERR_NULL_POINTER;
  if (p->act_min > p->act_max) return TML_ERR_BAD_PARAM;
  st = tml_runs_init(&r, s);
  if (st != TML_OK) return st;
  if (p->output_multiplier >= 0 && p->output_shift >= -31 && p->output_shift <= 30) {
    const int32_t left = p->output_shift > 0 ? p->output_shift : 0;
    int32_t sh;
    tml_rescale_init(&rs, p->output_multiplier, p->output_shift > 0 ? 0 : -p->output_shift);
    sh = left + rs.twice;
    if (tml_fits_shl(tml_s8_offset_bound(p->input1_offset) * tml_s8_offset_bound(p->input2_offset), sh)) {
      const int32_t sc2 = (int32_t)((uint32_t)1 << sh);
      const int32_t b2 = (int32_t)((uint32_t)p->input2_offset << sh);
      for (k = 0; k < r.runs; ++k) {
        tml_mul_run(&rs, p->input1_offset, sc2, b2, p->output_offset, p->act_min, p->act_max,
                    input1 + r.b.off1, r.st1, input2 + r.b.off2, r.st2,
                    output + (size_t)k * r.len, r.len);
        tml_runs_next(&r);
      }
      return TML_OK;
    }
  }
  {
    tml_bcast *b = &r.b; /* fresh from tml_bcast_init: offsets 0 */
    for (k = 0; k < b->count; ++k) {
      output[k] = (int8_t)tml_mul_q(p, input1[b->off1], input2[b->off2]);
      tml_bcast_next(b);
    }
  }
  return TML_OK;
}
