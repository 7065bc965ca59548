/* FULLY_CONNECTED, int8, on weights packed at build time (TFLM
 * reference_integer_ops::FullyConnected / FullyConnectedPerChannel with a
 * zero filter offset, the int8 case TFLM supports).
 *
 * TFLM's acc = sum_d w[d] * (x[d] + input_offset) + bias is, modulo 2^32
 * (TFLM's builds wrap), sum_d w[d] * x[d] + (bias + input_offset *
 * sum_d w[d]): the generator folds the second term into the bias it
 * passes (src/codegen/aot/fc-pack.ts), so the loop is plain products, and
 * it stores the rows four at a time interleaved (tml_kernels.h) so one
 * pointer walks the weights in order and each input word, loaded and
 * widened once, feeds four rows. On cores with the DSP extension SXTB16
 * widens two bytes at a time and SMLAD does two MACs; elsewhere portable C
 * with uint32 wrapping accumulators. Every sum is taken modulo 2^32, so the
 * order of the terms cannot change a bit. */
#include "tml_fast_int8.h"

/* What requantizing one output needs, in locals: the output stores may
 * alias anything behind a pointer. */
typedef struct {
  const int32_t *mul, *shift;
  int32_t per_channel, offset, act_min, act_max;
} tml_fcp_rq;

/* MultiplyByQuantizedMultiplier(acc, m, sh), output offset, clamp. */
static TML_ALWAYS_INLINE int8_t tml_fcp_out(const tml_fcp_rq *q, int32_t m, int32_t sh,
                                            int32_t acc) {
  int32_t h;
  if (sh <= -2 && sh >= -31) { /* right shift e = -sh in [2, 31] */
    const int e1 = (int)(-1 - sh);
    h = tml_mbqm(acc, m, (int32_t)1 << (e1 - 1), e1);
  } else {
    h = tml_mbqm_any(acc, m, sh);
  }
  return tml_clamp_out(h, q->offset, q->act_min, q->act_max);
}

#if TML_DSP
/* The four rows' words of one chunk: one LDM when the packed weights are
 * word-aligned (the generator aligns them; LDM faults otherwise), four
 * loads elsewhere. LDM takes its registers in ascending order, hence the
 * fixed ones. */
#if defined(__arm__) && defined(__GNUC__)
#define TML_FCP_LDM 1
#else
#define TML_FCP_LDM 0
#endif

/* a[r] += the products of x[0..4) with row r's word v[r]. */
#define TML_FCP_MAC4(xv, v0, v1, v2, v3)                  \
  do {                                                     \
    const int32_t xe = __sxtb16((int32_t)(xv));            \
    const int32_t xo = tml_sxtb16_r8(xv);                  \
    a0 = __smlad(xe, __sxtb16((int32_t)(v0)), a0);         \
    a0 = __smlad(xo, tml_sxtb16_r8(v0), a0);               \
    a1 = __smlad(xe, __sxtb16((int32_t)(v1)), a1);         \
    a1 = __smlad(xo, tml_sxtb16_r8(v1), a1);               \
    a2 = __smlad(xe, __sxtb16((int32_t)(v2)), a2);         \
    a2 = __smlad(xo, tml_sxtb16_r8(v2), a2);               \
    a3 = __smlad(xe, __sxtb16((int32_t)(v3)), a3);         \
    a3 = __smlad(xo, tml_sxtb16_r8(v3), a3);               \
  } while (0)

/* Four rows: acc[r] += the group's products; w walks the group in order. */
static TML_ALWAYS_INLINE void tml_fcp_rows4(const int8_t *x, const int8_t *w, int32_t depth,
                                            int32_t acc[4]) {
  int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
  int32_t n = depth >> 2, t;
#if TML_FCP_LDM
  if (((uintptr_t)w & 3u) == 0 && n >= 2) {
    /* Two chunks per pass, 42 instructions per 32 MACs: GCC's own schedule
     * of the same loop spills the counter and copies the LDM registers. */
    int32_t pairs = n >> 1;
    uint32_t xe, xo, t;
#define TML_FCP_CHUNK                                    \
  "ldr    %[t], [%[x]], #4\n\t"                          \
  "ldmia  %[w]!, {r4, r5, r6, r7}\n\t"                   \
  "sxtb16 %[xe], %[t]\n\t"                               \
  "sxtb16 %[xo], %[t], ror #8\n\t"                       \
  "sxtb16 %[t], r4\n\t"                                  \
  "smlad  %[a0], %[xe], %[t], %[a0]\n\t"                 \
  "sxtb16 r4, r4, ror #8\n\t"                            \
  "smlad  %[a0], %[xo], r4, %[a0]\n\t"                   \
  "sxtb16 %[t], r5\n\t"                                  \
  "smlad  %[a1], %[xe], %[t], %[a1]\n\t"                 \
  "sxtb16 r5, r5, ror #8\n\t"                            \
  "smlad  %[a1], %[xo], r5, %[a1]\n\t"                   \
  "sxtb16 %[t], r6\n\t"                                  \
  "smlad  %[a2], %[xe], %[t], %[a2]\n\t"                 \
  "sxtb16 r6, r6, ror #8\n\t"                            \
  "smlad  %[a2], %[xo], r6, %[a2]\n\t"                   \
  "sxtb16 %[t], r7\n\t"                                  \
  "smlad  %[a3], %[xe], %[t], %[a3]\n\t"                 \
  "sxtb16 r7, r7, ror #8\n\t"                            \
  "smlad  %[a3], %[xo], r7, %[a3]\n\t"
    __asm__ volatile("1:\n\t" TML_FCP_CHUNK TML_FCP_CHUNK
                     "subs   %[n], %[n], #1\n\t"
                     "bne    1b\n\t"
                     : [x] "+r"(x), [w] "+r"(w), [n] "+r"(pairs), [a0] "+r"(a0),
                       [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3), [xe] "=&r"(xe),
                       [xo] "=&r"(xo), [t] "=&r"(t)
                     :
                     : "r4", "r5", "r6", "r7", "cc", "memory");
#undef TML_FCP_CHUNK
    n &= 1;
  }
#endif
  for (; n != 0; --n) {
    const uint32_t xv = tml_ld32(x);
    const uint32_t v0 = tml_ld32(w), v1 = tml_ld32(w + 4), v2 = tml_ld32(w + 8),
                   v3 = tml_ld32(w + 12);
    TML_FCP_MAC4(xv, v0, v1, v2, v3);
    x += 4;
    w += 16;
  }
  for (t = depth & 3; t != 0; --t, ++x, w += 4) {
    const int32_t xv = *x;
    a0 = tml_wrap_add(a0, w[0] * xv);
    a1 = tml_wrap_add(a1, w[1] * xv);
    a2 = tml_wrap_add(a2, w[2] * xv);
    a3 = tml_wrap_add(a3, w[3] * xv);
  }
  acc[0] = a0;
  acc[1] = a1;
  acc[2] = a2;
  acc[3] = a3;
}
#endif /* TML_DSP */

/* Any group of rows (1 to 4) in portable C: the group's word c of row r is
 * at w + 4 * (c * rows + r), then column d of the tail at w + d * rows + r. */
static TML_NOINLINE void tml_fcp_rows_c(const int8_t *x, const int8_t *w, int32_t depth,
                                        int32_t rows, int32_t acc[4]) {
  const int32_t chunks = depth >> 2;
  uint32_t a[4];
  int32_t c, r, j;
  for (r = 0; r < 4; ++r) a[r] = (uint32_t)acc[r];
  for (c = 0; c < chunks; ++c, x += 4) {
    for (r = 0; r < rows; ++r, w += 4) {
      uint32_t s = a[r];
      for (j = 0; j < 4; ++j) s += (uint32_t)((int32_t)w[j] * x[j]);
      a[r] = s;
    }
  }
  for (c = chunks * 4; c < depth; ++c, ++x) {
    for (r = 0; r < rows; ++r, ++w) a[r] += (uint32_t)((int32_t)*w * *x);
  }
  for (r = 0; r < 4; ++r) acc[r] = (int32_t)a[r];
}

#if TML_DSP
/* The whole groups of four rows; per_channel is a constant at each call, so
 * the per-tensor copy hoists the multiplier's shift arithmetic out of the
 * loop. Returns the first row it left. */
static TML_ALWAYS_INLINE int32_t tml_fcp_groups4(const tml_fcp_rq *q, const int8_t *in,
                                                 const int8_t *packed, const int32_t *bias,
                                                 int8_t *out, int32_t depth, int32_t outs,
                                                 const int per_channel) {
  const int32_t m0 = q->mul[0], sh0 = q->shift[0];
  int32_t oc, r;
  for (oc = 0; oc + 4 <= outs; oc += 4) {
    int32_t acc[4];
    acc[0] = bias[oc];
    acc[1] = bias[oc + 1];
    acc[2] = bias[oc + 2];
    acc[3] = bias[oc + 3];
    tml_fcp_rows4(in, packed + (size_t)oc * depth, depth, acc);
    for (r = 0; r < 4; ++r) {
      const int32_t m = per_channel ? q->mul[oc + r] : m0;
      const int32_t sh = per_channel ? q->shift[oc + r] : sh0;
      out[oc + r] = tml_fcp_out(q, m, sh, acc[r]);
    }
  }
  return oc;
}
#endif

/* One batch row: every group of rows, accumulated from the folded bias and
 * requantized as it completes (one call per batch, so the group loop keeps
 * its state in registers and the stack). per_channel is a constant in each
 * copy: the per-tensor one hoists the multiplier's shift arithmetic. */
static TML_ALWAYS_INLINE void tml_fcp_batch(const tml_fully_connected_s8_packed_params *p,
                                            const int8_t *in, const int8_t *packed,
                                            const int32_t *bias, int8_t *out,
                                            const int per_channel) {
  const int32_t depth = p->accum_depth, outs = p->output_depth;
  tml_fcp_rq q;
  int32_t oc = 0, acc[4], r;
  q.mul = p->output_multiplier;
  q.shift = p->output_shift;
  q.per_channel = per_channel;
  q.offset = p->output_offset;
  q.act_min = p->act_min;
  q.act_max = p->act_max;
#if TML_DSP
  oc = tml_fcp_groups4(&q, in, packed, bias, out, depth, outs, per_channel);
#endif
  for (; oc < outs; oc += 4) {
    const int32_t rows = outs - oc < 4 ? outs - oc : 4;
    for (r = 0; r < 4; ++r) acc[r] = r < rows ? bias[oc + r] : 0;
    tml_fcp_rows_c(in, packed + (size_t)oc * depth, depth, rows, acc);
    for (r = 0; r < rows; ++r) {
      const int32_t k = per_channel ? oc + r : 0;
      out[oc + r] = tml_fcp_out(&q, q.mul[k], q.shift[k], acc[r]);
    }
  }
}

static TML_NOINLINE void tml_fcp_batch_per_channel(const tml_fully_connected_s8_packed_params *p,
                                                   const int8_t *in, const int8_t *packed,
                                                   const int32_t *bias, int8_t *out) {
  tml_fcp_batch(p, in, packed, bias, out, 1);
}

static TML_NOINLINE void tml_fcp_batch_per_tensor(const tml_fully_connected_s8_packed_params *p,
                                                  const int8_t *in, const int8_t *packed,
                                                  const int32_t *bias, int8_t *out) {
  tml_fcp_batch(p, in, packed, bias, out, 0);
}

typedef void (*tml_fcp_batch_fn)(const tml_fully_connected_s8_packed_params *p,
                                 const int8_t *in, const int8_t *packed, const int32_t *bias,
                                 int8_t *out);

/* The checks, then every batch row through one copy of the batch. */
static TML_ALWAYS_INLINE tml_status tml_fcp_run(const tml_fully_connected_s8_packed_params *p,
                                                const int8_t *input, const int8_t *packed,
                                                const int32_t *bias, int8_t *output,
                                                tml_fcp_batch_fn batch) {
  tml_fully_connected_s8_packed_params q;
  int32_t b;
  if (!p || !input || !packed || !bias || !output || !p->output_multiplier ||
      !p->output_shift)
    return TML_ERR_NULL_POINTER;
  if (p->batches < 0 || p->accum_depth < 0 || p->output_depth < 0)
    return TML_ERR_BAD_SHAPE;
  if (p->act_min > p->act_max) return TML_ERR_BAD_PARAM;
  q = *p; /* a local copy: the int8 output stores may alias anything behind p */
  for (b = 0; b < q.batches; ++b)
    batch(&q, input + (size_t)b * q.accum_depth, packed, bias, output + (size_t)b * q.output_depth);
  return TML_OK;
}

tml_status tml_fully_connected_s8_packed(const tml_fully_connected_s8_packed_params *p,
                                         const int8_t *input, const int8_t *packed,
                                         const int32_t *bias, int8_t *output) {
  return tml_fcp_run(p, input, packed, bias, output,
                     p && p->per_channel ? tml_fcp_batch_per_channel : tml_fcp_batch_per_tensor);
}

/* The per-tensor copy alone: what the AOT generator calls for the usual
 * FULLY_CONNECTED, so the image carries one copy of the batch (0.7 KB). */
tml_status tml_fully_connected_s8_packed_per_tensor(
    const tml_fully_connected_s8_packed_params *p, const int8_t *input, const int8_t *packed,
    const int32_t *bias, int8_t *output) {
  if (p && p->per_channel) return TML_ERR_BAD_PARAM;
  return tml_fcp_run(p, input, packed, bias, output, tml_fcp_batch_per_tensor);
}
