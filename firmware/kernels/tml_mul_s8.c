/* MUL, int8 (TFLM reference_integer_ops::Mul / BroadcastMul6DSlow).
 *
 * Along tml_runs: (x1 + off1) * (x2 + off2), TFLM's left shift folded into
 * the second factor, then MultiplyByQuantizedMultiplier's SRDHM and
 * RoundingDivideByPOT. With the params TFLM's Prepare makes both fit 32
 * bits (SMMULR on the doubled product, tml_binary_runs.h); other params
 * whose shifted product still fits in int32 take one 64-bit
 * multiply-accumulate (tml_rescale_apply); anything else the element-by-
 * element reference loop. All give the bits of tml_mul_q. */
#include "tml_binary_impl.h"
#include "tml_binary_runs.h"

/* 32-bit steps: a = 2 * ((x1 + off1) * (x2 + off2) << left), SRDHM =
 * SMMULR(a, m), then RoundingDivideByPOT by e >= 1 when round. */
static TML_ALWAYS_INLINE void tml_mul_run32(int32_t off1, int32_t sc2, int32_t b2, int32_t m,
                                            int32_t half, int32_t e, int32_t out_offset,
                                            int32_t act_min, int32_t act_max, const int8_t *x1,
                                            int32_t st1, const int8_t *x2, int32_t st2,
                                            int8_t *out, int32_t n, const int round) {
  int8_t *const end = out + n;
  while (out < end) {
    const int32_t h = tml_smmulr((*x1 + off1) * (*x2 * sc2 + b2), m);
    int32_t o = (round ? tml_rdbpot_1(h, half, e) : h) + out_offset;
    o = o < act_min ? act_min : o;
    *out++ = (int8_t)(o > act_max ? act_max : o);
    x1 += st1;
    x2 += st2;
  }
}

/* The runs in 32-bit steps; 0 (nothing written) unless |a| + 2 < 2^31. */
static TML_NOINLINE int tml_mul_runs32(const tml_mul_s8_params *p, tml_runs *r,
                                       const int8_t *input1, const int8_t *input2,
                                       int8_t *output) {
  const int32_t left = p->output_shift > 0 ? p->output_shift : 0;
  const int32_t e = p->output_shift > 0 ? 0 : -p->output_shift;
  const int64_t bound = tml_s8_offset_bound(p->input1_offset) * tml_s8_offset_bound(p->input2_offset);
  int32_t sc2, b2, half, k;
  if (p->output_shift < -31 || p->output_shift > 30 || !tml_fits_shl(bound + 1, left + 1)) return 0;
  sc2 = (int32_t)((uint32_t)1 << (left + 1));
  b2 = (int32_t)((uint32_t)p->input2_offset << (left + 1));
  half = e >= 1 ? (int32_t)1 << (e - 1) : 0;
  for (k = 0; k < r->runs; ++k) {
    const int8_t *a = input1 + r->b.off1, *b = input2 + r->b.off2;
    int8_t *o = output + (size_t)k * r->len;
    /* Constant strides for the unbroadcast run: two registers fewer. */
#define TML_MUL_RUN(s1, s2, rnd)                                                            \
  tml_mul_run32(p->input1_offset, sc2, b2, p->output_multiplier, half, e, p->output_offset, \
                p->act_min, p->act_max, a, s1, b, s2, o, r->len, rnd)
    if (r->st1 == 1 && r->st2 == 1) {
      if (e >= 1)
        TML_MUL_RUN(1, 1, 1);
      else
        TML_MUL_RUN(1, 1, 0);
    } else if (e >= 1) {
      TML_MUL_RUN(r->st1, r->st2, 1);
    } else {
      TML_MUL_RUN(r->st1, r->st2, 0);
    }
#undef TML_MUL_RUN
    tml_runs_next(r);
  }
  return 1;
}

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
  if (tml_mul_runs32(p, &r, input1, input2, output)) return TML_OK;
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
