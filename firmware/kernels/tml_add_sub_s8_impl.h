/* ADD and SUB int8 (TFLM AddElementwise / SubElementwise and their
 * broadcasting loops): one body, sign +1 or -1, three paths, all giving the
 * bits of tml_add_sub_q:
 * - the params TFLM's Prepare makes (tml_add_sub_runs32): along tml_runs,
 *   every step in 32 bits (SMMULR), the larger-scale input a multiply-add;
 * - other params whose folds are still exact: along tml_runs, each of
 *   TFLM's three MultiplyByQuantizedMultiplierSmallerThanOneExp steps one
 *   64-bit multiply-accumulate (tml_rescale_apply), the input offset and
 *   left shift folded into one multiply-add of the int8 value. Exact when
 *   (x + offset) << left_shift (doubled for a step without a right shift)
 *   fits in int32 for every int8 x, every multiplier is non-negative and the
 *   output step shifts right;
 * - anything else: the element-by-element reference loop. */
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

/* ---- The params TFLM's Prepare makes: 32-bit steps ----
 * With |(x + offset) << left_shift| well inside 2^30 (left_shift 20), each
 * step fits 32 bits: SRDHM(a, m) is SMMULR(2a, m) (floor((2am + 2^31) /
 * 2^32) = floor((am + 2^30) / 2^31), TFLite's nudge for either sign) and
 * RoundingDivideByPOT(h, e), e >= 1, is (h + 2^(e-1) + (h >> 31)) >> e
 * (floor((h + 2^(e-1) - [h<0]) / 2^e), half away from zero). The input
 * whose multiplier is 2^30 with no right shift beyond left_shift - 1 (the
 * larger-scale input: TFLM gives it exactly 0.5) is linear:
 * SRDHM((x + offset) << ls, 2^30) = (x + offset) << (ls - 1) exactly, so its
 * step is one multiply-add. Each input step yields 2 * s, the operand the
 * output's SMMULR wants. */
typedef struct {
  int32_t lin; /* 1: 2 * s = x * scale + bias */
  int32_t scale, bias, m, half, e;
} tml_add_step;

/* One input's step as TFLM's params make it, or 0 when it is not such. */
static inline int tml_add_step_init(tml_add_step *t, int32_t offset, int32_t ls, int32_t m,
                                    int32_t shift) {
  const int64_t bound = tml_s8_offset_bound(offset);
  const int32_t e = -shift;
  int32_t sh;
  t->m = m;
  t->e = e;
  t->half = e >= 1 ? (int32_t)1 << (e - 1) : 0;
  t->lin = m == (1 << 30) && ls >= 1 && e <= ls - 1;
  if (!t->lin && e < 1) return 0;
  sh = t->lin ? ls - e : ls + 1; /* 2 * s, or SMMULR's 2a */
  if (!tml_fits_shl(bound, sh)) return 0;
  t->scale = (int32_t)((uint32_t)1 << sh);
  t->bias = (int32_t)((uint32_t)offset << sh);
  return 1;
}

static TML_ALWAYS_INLINE int32_t tml_add_step_twice(int32_t x, int32_t scale, int32_t bias,
                                                    int32_t m, int32_t half, int32_t e,
                                                    const int lin) {
  const int32_t a = x * scale + bias;
  if (lin) return a;
  return tml_rdbpot_1(tml_smmulr(a, m), half, e) * 2;
}

/* to->half carries the output offset too (tml_add_sub_runs32). */
static TML_ALWAYS_INLINE void tml_add_sub_run32(const tml_add_step *t1, const tml_add_step *t2,
                                                const tml_add_step *to,
                                                int32_t act_min, int32_t act_max,
                                                const int8_t *x1, int32_t st1, const int8_t *x2,
                                                int32_t st2, int8_t *out, int32_t n,
                                                const int lin1, const int lin2, int sign) {
  const int32_t sc1 = t1->scale, b1 = t1->bias, m1 = t1->m, h1 = t1->half, e1 = t1->e;
  const int32_t sc2 = t2->scale, b2 = t2->bias, m2 = t2->m, h2 = t2->half, e2 = t2->e;
  const int32_t mo = to->m, ho = to->half, eo = to->e;
  int8_t *const end = out + n;
  while (out < end) {
    const int32_t s1 = tml_add_step_twice(*x1, sc1, b1, m1, h1, e1, lin1);
    const int32_t s2 = tml_add_step_twice(*x2, sc2, b2, m2, h2, e2, lin2);
    int32_t o = tml_rdbpot_1(tml_smmulr(sign > 0 ? s1 + s2 : s1 - s2, mo), ho, eo);
    o = o < act_min ? act_min : o;
    *out++ = (int8_t)(o > act_max ? act_max : o);
    x1 += st1;
    x2 += st2;
  }
}

/* Each kind of run in a function of its own: inlined into the whole op,
 * GCC's register allocation spills the loop's constants. sign is the same
 * constant at every call in a file, which GCC propagates. */
#define TML_ADD_RUN_FN(name, l1, l2)                                                          \
  static TML_NOINLINE TML_MAYBE_UNUSED void name(const tml_add_step *t1, const tml_add_step *t2,              \
                                const tml_add_step *to, int32_t act_min,                     \
                                int32_t act_max, const int8_t *x1, int32_t st1,              \
                                const int8_t *x2, int32_t st2, int8_t *out, int32_t n,       \
                                int sign) {                                                  \
    tml_add_sub_run32(t1, t2, to, act_min, act_max, x1, st1, x2, st2, out, n, l1,             \
                      l2, sign);                                                             \
  }
TML_ADD_RUN_FN(tml_add_run_lm, 1, 0)
TML_ADD_RUN_FN(tml_add_run_ml, 0, 1)
TML_ADD_RUN_FN(tml_add_run_ll, 1, 1)
#undef TML_ADD_RUN_FN

/* The usual run (one input linear, no broadcasting) with constant strides:
 * two registers and two loads fewer per element. */
#define TML_ADD_RUN_FN(name, l1, l2)                                                          \
  static TML_NOINLINE TML_MAYBE_UNUSED void name(const tml_add_step *t1, const tml_add_step *t2,              \
                                const tml_add_step *to, int32_t act_min, int32_t act_max,    \
                                const int8_t *x1, const int8_t *x2, int8_t *out, int32_t n,  \
                                int sign) {                                                  \
    tml_add_sub_run32(t1, t2, to, act_min, act_max, x1, 1, x2, 1, out, n, l1, l2, sign);      \
  }
TML_ADD_RUN_FN(tml_add_run_lm1, 1, 0)
TML_ADD_RUN_FN(tml_add_run_ml1, 0, 1)
#undef TML_ADD_RUN_FN

/* The three steps for TFLM's kind of params (checked ones: see
 * tml_add_sub_check); 0 for other params. The rules are mirrored for the
 * AOT generator in src/codegen/aot/add-sub-variants.ts. */
static inline int tml_add_sub_runs32_steps(const tml_add_s8_params *p, tml_add_step *t1,
                                           tml_add_step *t2, tml_add_step *to) {
  if (!tml_add_step_init(t1, p->input1_offset, p->left_shift, p->input1_multiplier,
                         p->input1_shift) ||
      !tml_add_step_init(t2, p->input2_offset, p->left_shift, p->input2_multiplier,
                         p->input2_shift))
    return 0;
  /* TFLM's Prepare gives the larger-scale input exactly 2^30 (0.5): one
   * input is linear. Params with neither take the 64-bit runs (the same
   * bits), so this path needs no run kind for them. */
  if (!t1->lin && !t2->lin) return 0;
  /* An output right shift, and |2 * (s1 +- s2)| < 2^30 (each |2s| <=
   * bound << left_shift, + 2 for SMMULR's rounding): the output step in 32
   * bits too, its rounding add included. */
  if (p->output_shift > -1 ||
      ((tml_s8_offset_bound(p->input1_offset) + tml_s8_offset_bound(p->input2_offset))
       << p->left_shift) + 4 >= ((int64_t)1 << 30))
    return 0;
  /* The output offset joins the rounding term: floor((h + half - [h<0] +
   * offset * 2^e) / 2^e) is RoundingDivideByPOT(h, e) + offset, exact
   * while the sum stays below 2^31 (|h| < 2^29 + 1 above). */
  if (((int64_t)(p->output_offset < 0 ? -p->output_offset : p->output_offset) << -p->output_shift) >=
      ((int64_t)1 << 29) - 1)
    return 0;
  to->m = p->output_multiplier;
  to->e = -p->output_shift;
  to->half = (int32_t)(((uint32_t)1 << (to->e - 1)) + ((uint32_t)p->output_offset << to->e));
  return 1;
}

/* The runs with TFLM's kind of params; 0 (nothing written) for other params. */
static TML_ALWAYS_INLINE int tml_add_sub_runs32(const tml_add_s8_params *p, tml_runs *r,
                                                const int8_t *input1, const int8_t *input2,
                                                int8_t *output, int sign) {
  tml_add_step t1, t2, to;
  int32_t k;
  if (!tml_add_sub_runs32_steps(p, &t1, &t2, &to)) return 0;
  for (k = 0; k < r->runs; ++k) {
    const int8_t *a = input1 + r->b.off1, *b = input2 + r->b.off2;
    int8_t *o = output + (size_t)k * r->len;
#define TML_ADD_RUN(fn)                                                                       \
  fn(&t1, &t2, &to, p->act_min, p->act_max, a, r->st1, b, r->st2, o, r->len, sign)
    if (t1.lin && !t2.lin && r->st1 == 1 && r->st2 == 1)
      tml_add_run_lm1(&t1, &t2, &to, p->act_min, p->act_max, a, b, o, r->len, sign);
    else if (!t1.lin && t2.lin && r->st1 == 1 && r->st2 == 1)
      tml_add_run_ml1(&t1, &t2, &to, p->act_min, p->act_max, a, b, o, r->len, sign);
    else if (t1.lin && !t2.lin)
      TML_ADD_RUN(tml_add_run_lm);
    else if (!t1.lin && t2.lin)
      TML_ADD_RUN(tml_add_run_ml);
    else
      TML_ADD_RUN(tml_add_run_ll);
#undef TML_ADD_RUN
    tml_runs_next(r);
  }
  return 1;
}

/* The checks every entry makes, and the runs of the shapes. */
static inline tml_status tml_add_sub_start(const tml_add_s8_params *p, const tml_binary_shapes *s,
                                           const int8_t *input1, const int8_t *input2,
                                           int8_t *output, tml_runs *r) {
  tml_status st;
  if (!p || !s || !input1 || !input2 || !output) return TML_ERR_NULL_POINTER;
  st = tml_add_sub_check(p);
  if (st != TML_OK) return st;
  return tml_runs_init(r, s);
}

/* The 32-bit runs alone (tml_add_s8_runs32, tml_sub_s8_runs32). */
static TML_ALWAYS_INLINE tml_status tml_add_sub_s8_runs32_body(
    const tml_add_s8_params *p, const tml_binary_shapes *s, const int8_t *input1,
    const int8_t *input2, int8_t *output, int sign) {
  tml_runs r;
  const tml_status st = tml_add_sub_start(p, s, input1, input2, output, &r);
  if (st != TML_OK) return st;
  return tml_add_sub_runs32(p, &r, input1, input2, output, sign) ? TML_OK : TML_ERR_BAD_PARAM;
}

static TML_ALWAYS_INLINE tml_status tml_add_sub_s8_body(
    const tml_add_s8_params *p, const tml_binary_shapes *s, const int8_t *input1,
    const int8_t *input2, int8_t *output, int sign) {
  tml_add_in i1, i2;
  tml_rescale ro;
  tml_runs r;
  tml_status st;
  int32_t k;
  st = tml_add_sub_start(p, s, input1, input2, output, &r);
  if (st != TML_OK) return st;
  if (tml_add_sub_runs32(p, &r, input1, input2, output, sign)) return TML_OK;
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
