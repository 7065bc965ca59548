/* FULLY_CONNECTED, int8 (TFLM reference_integer_ops::FullyConnected and
 * FullyConnectedPerChannel).
 *
 * Bit-exact with the reference
 *   acc = sum_d (w + filter_offset) * (x + input_offset)
 * (int32, wrapping modulo 2^32 like TFLM's builds), then bias, requantize,
 * output_offset, clamp. Four output rows are computed per pass over the
 * input row, so each input word is loaded and widened once for four rows.
 * On cores with the DSP extension the offsets are added in the 16-bit lanes
 * of SXTAB16 (exact while both offsets are within +-32640) and SMLAD does
 * two MACs; otherwise, and for larger offsets, portable C with uint32
 * wrapping accumulators. Every sum is taken modulo 2^32, so the order of the
 * terms cannot change a bit. */
#include "tml_fast_int8.h"


/* Bias, MultiplyByQuantizedMultiplier, output offset, clamp. */
static inline int8_t tml_fc_out(const tml_fully_connected_s8_params *p, const int32_t *bias,
                                int32_t oc, int32_t acc) {
  const int32_t k = p->per_channel ? oc : 0;
  const int32_t m = p->output_multiplier[k], sh = p->output_shift[k];
  int32_t h;
  if (bias) acc = tml_wrap_add(acc, bias[oc]);
  if (sh <= -2 && sh >= -31) { /* right shift e = -sh in [2, 31] */
    const int e1 = (int)(-1 - sh);
    h = tml_mbqm(acc, m, (int32_t)1 << (e1 - 1), e1);
  } else {
    h = tml_mbqm_any(acc, m, sh);
  }
  h = tml_wrap_add(h, p->output_offset);
  return (int8_t)tml_clamp_i32(h, p->act_min, p->act_max);
}

#if TML_DSP
/* acc[r] = sum_d (w_r[d] + fo) * (x[d] + io) for rows w_r = w + r*depth,
 * r < 4, or only acc[0] when rows == 1; iop/fop hold the offsets in both
 * 16-bit lanes. */
static TML_NOINLINE void tml_fc_rows(const int8_t *x, const int8_t *w, int32_t depth,
                                        int32_t rows, int32_t iop, int32_t fop, int32_t io,
                                        int32_t fo, int32_t acc[4]) {
  const int8_t *w0 = w, *w1 = w + (rows == 4 ? depth : 0);
  const int8_t *w2 = w + (rows == 4 ? 2 * depth : 0), *w3 = w + (rows == 4 ? 3 * depth : 0);
  int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  int32_t d = 0;
  if (rows == 4) {
    for (; d + 4 <= depth; d += 4) {
      const uint32_t xv = tml_ld32(x + d);
      const int32_t xe = __sxtab16(iop, (int32_t)xv), xo = tml_sxtab16_r8(iop, xv);
      uint32_t v = tml_ld32(w0 + d);
      a0 = __smlad(xe, __sxtab16(fop, (int32_t)v), a0);
      a0 = __smlad(xo, tml_sxtab16_r8(fop, v), a0);
      v = tml_ld32(w1 + d);
      a1 = __smlad(xe, __sxtab16(fop, (int32_t)v), a1);
      a1 = __smlad(xo, tml_sxtab16_r8(fop, v), a1);
      v = tml_ld32(w2 + d);
      a2 = __smlad(xe, __sxtab16(fop, (int32_t)v), a2);
      a2 = __smlad(xo, tml_sxtab16_r8(fop, v), a2);
      v = tml_ld32(w3 + d);
      a3 = __smlad(xe, __sxtab16(fop, (int32_t)v), a3);
      a3 = __smlad(xo, tml_sxtab16_r8(fop, v), a3);
    }
  } else {
    for (; d + 4 <= depth; d += 4) {
      const uint32_t xv = tml_ld32(x + d), v = tml_ld32(w0 + d);
      const int32_t xe = __sxtab16(iop, (int32_t)xv), xo = tml_sxtab16_r8(iop, xv);
      a0 = __smlad(xe, __sxtab16(fop, (int32_t)v), a0);
      a0 = __smlad(xo, tml_sxtab16_r8(fop, v), a0);
    }
  }
  for (; d < depth; ++d) {
    const int32_t xv = x[d] + io;
    a0 = tml_wrap_add(a0, (w0[d] + fo) * xv);
    a1 = tml_wrap_add(a1, (w1[d] + fo) * xv);
    a2 = tml_wrap_add(a2, (w2[d] + fo) * xv);
    a3 = tml_wrap_add(a3, (w3[d] + fo) * xv);
  }
  acc[0] = a0;
  acc[1] = a1;
  acc[2] = a2;
  acc[3] = a3;
}
#endif /* TML_DSP */

/* Portable: acc[r] = sum_d (w_r[d] + fo) * (x[d] + io) modulo 2^32. */
static TML_NOINLINE void tml_fc_rows_c(const int8_t *x, const int8_t *w, int32_t depth,
                                          int32_t rows, int32_t io, int32_t fo,
                                          int32_t acc[4]) {
  const int8_t *w0 = w, *w1 = w + (rows > 1 ? depth : 0);
  const int8_t *w2 = w + (rows > 2 ? 2 * depth : 0), *w3 = w + (rows > 3 ? 3 * depth : 0);
  const uint32_t uio = (uint32_t)io, ufo = (uint32_t)fo;
  uint32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  int32_t d;
  for (d = 0; d < depth; ++d) {
    const uint32_t xv = (uint32_t)x[d] + uio;
    a0 += ((uint32_t)w0[d] + ufo) * xv;
    a1 += ((uint32_t)w1[d] + ufo) * xv;
    a2 += ((uint32_t)w2[d] + ufo) * xv;
    a3 += ((uint32_t)w3[d] + ufo) * xv;
  }
  acc[0] = (int32_t)a0;
  acc[1] = (int32_t)a1;
  acc[2] = (int32_t)a2;
  acc[3] = (int32_t)a3;
}

tml_status tml_fully_connected_s8(const tml_fully_connected_s8_params *p,
                                  const int8_t *input, const int8_t *weights,
                                  const int32_t *bias, int8_t *output) {
  tml_fully_connected_s8_params q;
  int32_t b, oc;
#if TML_DSP
  int32_t iop, fop;
  int use_dsp;
#endif
  if (!p || !input || !weights || !output || !p->output_multiplier ||
      !p->output_shift)
    return TML_ERR_NULL_POINTER;
  if (p->batches < 0 || p->accum_depth < 0 || p->output_depth < 0)
    return TML_ERR_BAD_SHAPE;
  if (p->act_min > p->act_max) return TML_ERR_BAD_PARAM;
  q = *p; /* a local copy: the int8 output stores may alias anything behind p */
#if TML_DSP
  use_dsp = q.input_offset >= -32640 && q.input_offset <= 32640 &&
            q.filter_offset >= -32640 && q.filter_offset <= 32640;
  iop = (int32_t)(((uint32_t)q.input_offset & 0xFFFFu) | ((uint32_t)q.input_offset << 16));
  fop = (int32_t)(((uint32_t)q.filter_offset & 0xFFFFu) | ((uint32_t)q.filter_offset << 16));
#endif
  for (b = 0; b < q.batches; ++b) {
    const int8_t *in = input + (size_t)b * q.accum_depth;
    int8_t *out = output + (size_t)b * q.output_depth;
    for (oc = 0; oc < q.output_depth; oc += 4) {
      const int32_t rows = q.output_depth - oc < 4 ? q.output_depth - oc : 4;
      const int8_t *w = weights + (size_t)oc * q.accum_depth;
      int32_t acc[4], r;
#if TML_DSP
      if (use_dsp) {
        if (rows == 4) {
          tml_fc_rows(in, w, q.accum_depth, 4, iop, fop, q.input_offset, q.filter_offset, acc);
        } else {
          for (r = 0; r < rows; ++r) {
            int32_t one[4];
            tml_fc_rows(in, w + (size_t)r * q.accum_depth, q.accum_depth, 1, iop, fop,
                        q.input_offset, q.filter_offset, one);
            acc[r] = one[0];
          }
        }
      } else
#endif
        tml_fc_rows_c(in, w, q.accum_depth, rows, q.input_offset, q.filter_offset, acc);
      for (r = 0; r < rows; ++r) out[oc + r] = tml_fc_out(&q, bias, oc + r, acc[r]);
    }
  }
  return TML_OK;
}
