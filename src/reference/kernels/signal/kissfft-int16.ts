// kissfft v130 in 16-bit fixed point (FIXED_POINT=16), the RFFT TFLM's
// signal library runs (signal/src/rfft_int16.cc -> kiss_fftr). Every
// statement mirrors kiss_fft.c / tools/kiss_fftr.c / _kiss_fft_guts.h: the
// C_FIXDIV pre-scaling of each butterfly, sround's round-half-up >> 15, and
// the wrap to int16 at every store to a kiss_fft_scalar. Complex arrays are
// interleaved Int16Arrays (re, im). Only forward transforms (TFLM's RFFT).

import { s16 } from "./common.js";

/** kiss_fftr_alloc's tables: the plan the C kernel gets as constants. */
export interface KissFftrPlan {
  /** Length of the real input (2 * ncfft). */
  fftLength: number;
  /** Complex FFT length: fft_length / 2. */
  ncfft: number;
  /** kf_factor's p1, m1, p2, m2, ... */
  factors: number[];
  /** ncfft twiddles, interleaved re, im. */
  twiddles: number[];
  /** ncfft / 2 super twiddles, interleaved re, im. */
  superTwiddles: number[];
}

const SAMP_MAX = 32767;

/** KISS_FFT_COS / KISS_FFT_SIN in fixed point: floor(.5 + SAMP_MAX * cos(phase)). */
function cexp(phase: number): [number, number] {
  return [Math.floor(0.5 + SAMP_MAX * Math.cos(phase)), Math.floor(0.5 + SAMP_MAX * Math.sin(phase))];
}

/** kf_factor: powers of 4, then 2, then odd primes. */
export function kfFactor(n: number): number[] {
  const out: number[] = [];
  let p = 4;
  const floorSqrt = Math.floor(Math.sqrt(n));
  do {
    while (n % p) {
      p = p === 4 ? 2 : p === 2 ? 3 : p + 2;
      if (p > floorSqrt) p = n;
    }
    n /= p;
    out.push(p, n);
  } while (n > 1);
  return out;
}

/** kiss_fftr_alloc(fft_length, 0, ...): null when the length is odd or needs kf_bfly_generic. */
export function kissFftrPlan(fftLength: number): KissFftrPlan | null {
  if (fftLength < 2 || fftLength & 1) return null;
  const ncfft = fftLength >> 1;
  const factors = kfFactor(ncfft);
  // kf_bfly_generic allocates (KISS_FFT_TMP_ALLOC), which TFLM patches to NULL.
  for (let k = 0; k < factors.length; k += 2) if (factors[k]! > 5) return null;
  const pi = 3.141592653589793;
  const twiddles: number[] = [];
  for (let i = 0; i < ncfft; i++) twiddles.push(...cexp((-2 * pi * i) / ncfft));
  const superTwiddles: number[] = [];
  for (let i = 0; i < ncfft / 2; i++) superTwiddles.push(...cexp(-3.14159265358979323846264338327 * ((i + 1) / ncfft + 0.5)));
  return { fftLength, ncfft, factors, twiddles, superTwiddles };
}

/** sround(smul(a, b)): S_MUL. */
function smulRound(a: number, b: number): number {
  return s16((a * b + (1 << 14)) >> 15);
}

/** C_FIXDIV(c, div) on element k of f. */
function fixDiv(f: Int16Array, k: number, div: number): void {
  const s = Math.trunc(SAMP_MAX / div);
  f[2 * k] = smulRound(f[2 * k]!, s);
  f[2 * k + 1] = smulRound(f[2 * k + 1]!, s);
}

/** C_MUL(m, a, b) with a = f[k], b = tw[t]: returns [re, im]. */
function cmul(f: Int16Array, k: number, tw: readonly number[], t: number): [number, number] {
  const ar = f[2 * k]!, ai = f[2 * k + 1]!, br = tw[2 * t]!, bi = tw[2 * t + 1]!;
  return [s16((ar * br - ai * bi + (1 << 14)) >> 15), s16((ar * bi + ai * br + (1 << 14)) >> 15)];
}

function set(f: Int16Array, k: number, re: number, im: number): void {
  f[2 * k] = s16(re);
  f[2 * k + 1] = s16(im);
}

function bfly2(f: Int16Array, o: number, fstride: number, tw: readonly number[], m: number): void {
  for (let k = 0; k < m; k++) {
    const a = o + k, b = a + m;
    fixDiv(f, a, 2);
    fixDiv(f, b, 2);
    const [tr, ti] = cmul(f, b, tw, k * fstride);
    set(f, b, f[2 * a]! - tr, f[2 * a + 1]! - ti);
    set(f, a, f[2 * a]! + tr, f[2 * a + 1]! + ti);
  }
}

function bfly3(f: Int16Array, o: number, fstride: number, tw: readonly number[], m: number): void {
  const epi3i = tw[2 * (fstride * m) + 1]!;
  for (let k = 0; k < m; k++) {
    const a = o + k, b = a + m, c = a + 2 * m;
    fixDiv(f, a, 3);
    fixDiv(f, b, 3);
    fixDiv(f, c, 3);
    const s1 = cmul(f, b, tw, k * fstride);
    const s2 = cmul(f, c, tw, 2 * k * fstride);
    const s3 = [s16(s1[0] + s2[0]), s16(s1[1] + s2[1])] as const;
    let s0r = s16(s1[0] - s2[0]), s0i = s16(s1[1] - s2[1]);
    set(f, b, f[2 * a]! - (s3[0] >> 1), f[2 * a + 1]! - (s3[1] >> 1));
    s0r = smulRound(s0r, epi3i); // C_MULBYSCALAR(scratch[0], epi3.i)
    s0i = smulRound(s0i, epi3i);
    set(f, a, f[2 * a]! + s3[0], f[2 * a + 1]! + s3[1]);
    set(f, c, f[2 * b]! + s0i, f[2 * b + 1]! - s0r);
    set(f, b, f[2 * b]! - s0i, f[2 * b + 1]! + s0r);
  }
}

function bfly4(f: Int16Array, o: number, fstride: number, tw: readonly number[], m: number): void {
  for (let k = 0; k < m; k++) {
    const a = o + k, b = a + m, c = a + 2 * m, d = a + 3 * m;
    fixDiv(f, a, 4);
    fixDiv(f, b, 4);
    fixDiv(f, c, 4);
    fixDiv(f, d, 4);
    const s0 = cmul(f, b, tw, k * fstride);
    const s1 = cmul(f, c, tw, 2 * k * fstride);
    const s2 = cmul(f, d, tw, 3 * k * fstride);
    const s5r = s16(f[2 * a]! - s1[0]), s5i = s16(f[2 * a + 1]! - s1[1]);
    set(f, a, f[2 * a]! + s1[0], f[2 * a + 1]! + s1[1]);
    const s3r = s16(s0[0] + s2[0]), s3i = s16(s0[1] + s2[1]);
    const s4r = s16(s0[0] - s2[0]), s4i = s16(s0[1] - s2[1]);
    set(f, c, f[2 * a]! - s3r, f[2 * a + 1]! - s3i);
    set(f, a, f[2 * a]! + s3r, f[2 * a + 1]! + s3i);
    set(f, b, s5r + s4i, s5i - s4r);
    set(f, d, s5r - s4i, s5i + s4r);
  }
}

function bfly5(f: Int16Array, o: number, fstride: number, tw: readonly number[], m: number): void {
  const yar = tw[2 * (fstride * m)]!, yai = tw[2 * (fstride * m) + 1]!;
  const ybr = tw[2 * (fstride * 2 * m)]!, ybi = tw[2 * (fstride * 2 * m) + 1]!;
  for (let u = 0; u < m; u++) {
    const k0 = o + u, k1 = k0 + m, k2 = k0 + 2 * m, k3 = k0 + 3 * m, k4 = k0 + 4 * m;
    for (const k of [k0, k1, k2, k3, k4]) fixDiv(f, k, 5);
    const s0r = f[2 * k0]!, s0i = f[2 * k0 + 1]!;
    const s1 = cmul(f, k1, tw, u * fstride);
    const s2 = cmul(f, k2, tw, 2 * u * fstride);
    const s3 = cmul(f, k3, tw, 3 * u * fstride);
    const s4 = cmul(f, k4, tw, 4 * u * fstride);
    const s7r = s16(s1[0] + s4[0]), s7i = s16(s1[1] + s4[1]);
    const s10r = s16(s1[0] - s4[0]), s10i = s16(s1[1] - s4[1]);
    const s8r = s16(s2[0] + s3[0]), s8i = s16(s2[1] + s3[1]);
    const s9r = s16(s2[0] - s3[0]), s9i = s16(s2[1] - s3[1]);
    set(f, k0, f[2 * k0]! + (s7r + s8r), f[2 * k0 + 1]! + (s7i + s8i));
    const s5r = s16(s0r + smulRound(s7r, yar) + smulRound(s8r, ybr));
    const s5i = s16(s0i + smulRound(s7i, yar) + smulRound(s8i, ybr));
    const s6r = s16(smulRound(s10i, yai) + smulRound(s9i, ybi));
    const s6i = s16(-smulRound(s10r, yai) - smulRound(s9r, ybi));
    set(f, k1, s5r - s6r, s5i - s6i);
    set(f, k4, s5r + s6r, s5i + s6i);
    const s11r = s16(s0r + smulRound(s7r, ybr) + smulRound(s8r, yar));
    const s11i = s16(s0i + smulRound(s7i, ybr) + smulRound(s8i, yar));
    const s12r = s16(-smulRound(s10i, ybi) + smulRound(s9i, yai));
    const s12i = s16(smulRound(s10r, ybi) - smulRound(s9r, yai));
    set(f, k2, s11r + s12r, s11i + s12i);
    set(f, k3, s11r - s12r, s11i - s12i);
  }
}

/** kf_work: recursive decimation in time, then this stage's butterflies. */
function kfWork(plan: KissFftrPlan, out: Int16Array, o: number, fin: Int16Array, fi: number, fstride: number, stage: number): void {
  const p = plan.factors[stage]!;
  const m = plan.factors[stage + 1]!;
  const end = o + p * m;
  if (m === 1) {
    for (let k = o; k < end; k++, fi += fstride) {
      out[2 * k] = fin[2 * fi]!;
      out[2 * k + 1] = fin[2 * fi + 1]!;
    }
  } else {
    for (let k = o; k < end; k += m, fi += fstride) kfWork(plan, out, k, fin, fi, fstride * p, stage + 2);
  }
  const tw = plan.twiddles;
  if (p === 2) bfly2(out, o, fstride, tw, m);
  else if (p === 3) bfly3(out, o, fstride, tw, m);
  else if (p === 4) bfly4(out, o, fstride, tw, m);
  else bfly5(out, o, fstride, tw, m);
}

/**
 * kiss_fftr: `time` holds fftLength int16 samples, `freq` receives ncfft + 1
 * complex bins, `tmp` is ncfft complex of scratch (kiss_fftr_state.tmpbuf).
 */
export function kissFftr(plan: KissFftrPlan, time: Int16Array, freq: Int16Array, tmp: Int16Array): void {
  const n = plan.ncfft;
  kfWork(plan, tmp, 0, time, 0, 1, 0);
  const tdcr = smulRound(tmp[0]!, 16383); // C_FIXDIV(tdc, 2) on a copy of tmpbuf[0]
  const tdci = smulRound(tmp[1]!, 16383);
  set(freq, 0, tdcr + tdci, 0);
  set(freq, n, tdcr - tdci, 0);
  const st = plan.superTwiddles;
  const fp = new Int16Array(4); // fpk, fpnk
  for (let k = 1; k <= n / 2; k++) {
    fp[0] = tmp[2 * k]!;
    fp[1] = tmp[2 * k + 1]!;
    fp[2] = tmp[2 * (n - k)]!;
    fp[3] = -tmp[2 * (n - k) + 1]!;
    fixDiv(fp, 0, 2);
    fixDiv(fp, 1, 2);
    const f1kr = s16(fp[0]! + fp[2]!), f1ki = s16(fp[1]! + fp[3]!);
    fp[0] = fp[0]! - fp[2]!; // f2k, wrapped by the store
    fp[1] = fp[1]! - fp[3]!;
    const [twr, twi] = cmul(fp, 0, st, k - 1);
    set(freq, k, (f1kr + twr) >> 1, (f1ki + twi) >> 1);
    set(freq, n - k, (f1kr - twr) >> 1, (twi - f1ki) >> 1);
  }
}
