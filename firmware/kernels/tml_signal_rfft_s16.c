/*
 * SignalRfft, int16 (TFLM signal/micro/kernels/rfft.cc, RfftInt16Apply in
 * signal/src/rfft_int16.cc): kissfft v130 with FIXED_POINT=16 — kf_work,
 * kf_bfly2/3/4/5 (kiss_fft.c) and kiss_fftr (tools/kiss_fftr.c), statement
 * by statement, with the plan (factors, twiddles) computed at build time.
 * Complex values are interleaved int16 pairs (re, im).
 */
#include "tml_signal_internal.h"

typedef struct {
  int16_t r, i;
} tml_cpx;

/* sround(smul(a, b)): round half up, >> 15, stored to int16. */
static int16_t tml_smul_round(int32_t a, int32_t b) {
  return tml_signal_s16((a * b + (1 << 14)) >> 15);
}

/* C_FIXDIV(c, div). */
static void tml_fixdiv(tml_cpx *c, int32_t div) {
  const int32_t s = 32767 / div;
  c->r = tml_smul_round(c->r, s);
  c->i = tml_smul_round(c->i, s);
}

/* C_MUL(m, a, b). */
static tml_cpx tml_cmul(tml_cpx a, const int16_t *tw, int32_t t) {
  tml_cpx m;
  const int32_t br = tw[2 * t], bi = tw[2 * t + 1];
  m.r = tml_signal_s16(((int32_t)a.r * br - (int32_t)a.i * bi + (1 << 14)) >> 15);
  m.i = tml_signal_s16(((int32_t)a.r * bi + (int32_t)a.i * br + (1 << 14)) >> 15);
  return m;
}

static tml_cpx tml_cadd(tml_cpx a, tml_cpx b) {
  tml_cpx c;
  c.r = tml_signal_s16(a.r + b.r);
  c.i = tml_signal_s16(a.i + b.i);
  return c;
}

static tml_cpx tml_csub(tml_cpx a, tml_cpx b) {
  tml_cpx c;
  c.r = tml_signal_s16(a.r - b.r);
  c.i = tml_signal_s16(a.i - b.i);
  return c;
}

static void tml_bfly2(tml_cpx *f, int32_t fstride, const int16_t *tw, int32_t m) {
  int32_t k;
  for (k = 0; k < m; ++k) {
    tml_cpx t;
    tml_fixdiv(&f[k], 2);
    tml_fixdiv(&f[k + m], 2);
    t = tml_cmul(f[k + m], tw, k * fstride);
    f[k + m] = tml_csub(f[k], t);
    f[k] = tml_cadd(f[k], t);
  }
}

static void tml_bfly3(tml_cpx *f, int32_t fstride, const int16_t *tw, int32_t m) {
  const int32_t epi3i = tw[2 * (fstride * m) + 1];
  int32_t k;
  for (k = 0; k < m; ++k) {
    tml_cpx *a = &f[k], *b = &f[k + m], *c = &f[k + 2 * m];
    tml_cpx s0, s1, s2, s3;
    tml_fixdiv(a, 3);
    tml_fixdiv(b, 3);
    tml_fixdiv(c, 3);
    s1 = tml_cmul(*b, tw, k * fstride);
    s2 = tml_cmul(*c, tw, 2 * k * fstride);
    s3 = tml_cadd(s1, s2);
    s0 = tml_csub(s1, s2);
    b->r = tml_signal_s16(a->r - (s3.r >> 1)); /* HALF_OF */
    b->i = tml_signal_s16(a->i - (s3.i >> 1));
    s0.r = tml_smul_round(s0.r, epi3i); /* C_MULBYSCALAR */
    s0.i = tml_smul_round(s0.i, epi3i);
    *a = tml_cadd(*a, s3);
    c->r = tml_signal_s16(b->r + s0.i);
    c->i = tml_signal_s16(b->i - s0.r);
    b->r = tml_signal_s16(b->r - s0.i);
    b->i = tml_signal_s16(b->i + s0.r);
  }
}

static void tml_bfly4(tml_cpx *f, int32_t fstride, const int16_t *tw, int32_t m) {
  int32_t k;
  for (k = 0; k < m; ++k) {
    tml_cpx *a = &f[k], *b = &f[k + m], *c = &f[k + 2 * m], *d = &f[k + 3 * m];
    tml_cpx s0, s1, s2, s3, s4, s5;
    tml_fixdiv(a, 4);
    tml_fixdiv(b, 4);
    tml_fixdiv(c, 4);
    tml_fixdiv(d, 4);
    s0 = tml_cmul(*b, tw, k * fstride);
    s1 = tml_cmul(*c, tw, 2 * k * fstride);
    s2 = tml_cmul(*d, tw, 3 * k * fstride);
    s5 = tml_csub(*a, s1);
    *a = tml_cadd(*a, s1);
    s3 = tml_cadd(s0, s2);
    s4 = tml_csub(s0, s2);
    *c = tml_csub(*a, s3);
    *a = tml_cadd(*a, s3);
    b->r = tml_signal_s16(s5.r + s4.i);
    b->i = tml_signal_s16(s5.i - s4.r);
    d->r = tml_signal_s16(s5.r - s4.i);
    d->i = tml_signal_s16(s5.i + s4.r);
  }
}

static void tml_bfly5(tml_cpx *f, int32_t fstride, const int16_t *tw, int32_t m) {
  const int32_t yar = tw[2 * (fstride * m)], yai = tw[2 * (fstride * m) + 1];
  const int32_t ybr = tw[2 * (fstride * 2 * m)], ybi = tw[2 * (fstride * 2 * m) + 1];
  int32_t u, q;
  for (u = 0; u < m; ++u) {
    tml_cpx *f0 = &f[u], *f1 = &f[u + m], *f2 = &f[u + 2 * m], *f3 = &f[u + 3 * m], *f4 = &f[u + 4 * m];
    tml_cpx s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12;
    for (q = 0; q < 5; ++q) tml_fixdiv(&f[u + q * m], 5);
    s0 = *f0;
    s1 = tml_cmul(*f1, tw, u * fstride);
    s2 = tml_cmul(*f2, tw, 2 * u * fstride);
    s3 = tml_cmul(*f3, tw, 3 * u * fstride);
    s4 = tml_cmul(*f4, tw, 4 * u * fstride);
    s7 = tml_cadd(s1, s4);
    s10 = tml_csub(s1, s4);
    s8 = tml_cadd(s2, s3);
    s9 = tml_csub(s2, s3);
    f0->r = tml_signal_s16(f0->r + (s7.r + s8.r));
    f0->i = tml_signal_s16(f0->i + (s7.i + s8.i));
    s5.r = tml_signal_s16(s0.r + tml_smul_round(s7.r, yar) + tml_smul_round(s8.r, ybr));
    s5.i = tml_signal_s16(s0.i + tml_smul_round(s7.i, yar) + tml_smul_round(s8.i, ybr));
    s6.r = tml_signal_s16(tml_smul_round(s10.i, yai) + tml_smul_round(s9.i, ybi));
    s6.i = tml_signal_s16(-tml_smul_round(s10.r, yai) - tml_smul_round(s9.r, ybi));
    *f1 = tml_csub(s5, s6);
    *f4 = tml_cadd(s5, s6);
    s11.r = tml_signal_s16(s0.r + tml_smul_round(s7.r, ybr) + tml_smul_round(s8.r, yar));
    s11.i = tml_signal_s16(s0.i + tml_smul_round(s7.i, ybr) + tml_smul_round(s8.i, yar));
    s12.r = tml_signal_s16(-tml_smul_round(s10.i, ybi) + tml_smul_round(s9.i, yai));
    s12.i = tml_signal_s16(tml_smul_round(s10.r, ybi) - tml_smul_round(s9.r, yai));
    *f2 = tml_cadd(s11, s12);
    *f3 = tml_csub(s11, s12);
  }
}

/* kf_work: recursive decimation in time, then this stage's butterflies. */
static void tml_kf_work(const tml_signal_rfft_params *p, tml_cpx *out, const tml_cpx *in, int32_t fstride,
                        int32_t stage) {
  const int32_t radix = p->factors[stage], m = p->factors[stage + 1];
  int32_t k;
  if (m == 1) {
    for (k = 0; k < radix; ++k) out[k] = in[k * fstride];
  } else {
    for (k = 0; k < radix; ++k) tml_kf_work(p, out + k * m, in + k * fstride, fstride * radix, stage + 2);
  }
  switch (radix) {
    case 2: tml_bfly2(out, fstride, p->twiddles, m); break;
    case 3: tml_bfly3(out, fstride, p->twiddles, m); break;
    case 4: tml_bfly4(out, fstride, p->twiddles, m); break;
    default: tml_bfly5(out, fstride, p->twiddles, m); break;
  }
}

/* kiss_fftr: time -> ncfft + 1 bins, through tmp (ncfft complex). */
static void tml_kiss_fftr(const tml_signal_rfft_params *p, const tml_cpx *time, tml_cpx *freq, tml_cpx *tmp) {
  const int32_t n = p->fft_length / 2;
  tml_cpx tdc;
  int32_t k;
  tml_kf_work(p, tmp, time, 1, 0);
  tdc = tmp[0];
  tml_fixdiv(&tdc, 2);
  freq[0].r = tml_signal_s16(tdc.r + tdc.i);
  freq[n].r = tml_signal_s16(tdc.r - tdc.i);
  freq[n].i = freq[0].i = 0;
  for (k = 1; k <= n / 2; ++k) {
    tml_cpx fpk = tmp[k], fpnk, f1k, f2k, tw;
    fpnk.r = tmp[n - k].r;
    fpnk.i = tml_signal_s16(-tmp[n - k].i);
    tml_fixdiv(&fpk, 2);
    tml_fixdiv(&fpnk, 2);
    f1k = tml_cadd(fpk, fpnk);
    f2k = tml_csub(fpk, fpnk);
    tw = tml_cmul(f2k, p->super_twiddles, k - 1);
    freq[k].r = tml_signal_s16((f1k.r + tw.r) >> 1);
    freq[k].i = tml_signal_s16((f1k.i + tw.i) >> 1);
    freq[n - k].r = tml_signal_s16((f1k.r - tw.r) >> 1);
    freq[n - k].i = tml_signal_s16((tw.i - f1k.i) >> 1);
  }
}

size_t tml_signal_rfft_s16_scratch_size(const tml_signal_rfft_params *p) {
  /* The zero-padded work area (fft_length int16) and kiss_fftr's tmpbuf (fft_length / 2 complex). */
  return p && p->fft_length > 0 ? (size_t)p->fft_length * 2u * sizeof(int16_t) : 0u;
}

tml_status tml_signal_rfft_s16(const tml_signal_rfft_params *p,
                               const int16_t *input, int16_t *output,
                               void *scratch) {
  int16_t *work;
  tml_cpx *tmp;
  int32_t in_idx, out_idx, i;
  if (!p || !input || !output || !scratch || !p->factors || !p->twiddles || !p->super_twiddles) {
    return TML_ERR_NULL_POINTER;
  }
  if (p->fft_length < 2 || (p->fft_length & 1) || p->input_length <= 0 || p->input_length > p->fft_length ||
      p->input_size < 0 || p->input_size % p->input_length != 0 || p->factor_count < 2) {
    return TML_ERR_BAD_PARAM;
  }
  for (i = 0; i < p->factor_count; i += 2) {
    if (p->factors[i] < 2 || p->factors[i] > 5) return TML_ERR_BAD_PARAM;
  }
  work = (int16_t *)scratch;
  tmp = (tml_cpx *)(work + p->fft_length);
  for (in_idx = 0, out_idx = 0; in_idx < p->input_size; in_idx += p->input_length, out_idx += p->output_length) {
    for (i = 0; i < p->input_length; ++i) work[i] = input[in_idx + i];
    for (; i < p->fft_length; ++i) work[i] = 0;
    tml_kiss_fftr(p, (const tml_cpx *)work, (tml_cpx *)(output + 2 * out_idx), tmp);
  }
  return TML_OK;
}
