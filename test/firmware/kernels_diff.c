/*
 * kernels_diff.c — differential test of the int8 FULLY_CONNECTED, ADD, SUB
 * and MUL kernels against an independent transcription of TFLite Micro's
 * reference arithmetic (reference_integer_ops::FullyConnected /
 * FullyConnectedPerChannel, AddElementwise, SubElementwise, MulElementwise,
 * their 6-D broadcasting loops, and gemmlowp's fixed-point helpers, written
 * here from TFLM's source, not from firmware/kernels), on seeded-random
 * shapes, params and data.
 *
 * Random params are of two kinds: the kind TFLM's Prepare produces
 * (multipliers in [2^30, 2^31), ADD's left shift 20 and one input at
 * exactly 0.5, offsets of int8 zero points, symmetric weights) and wide
 * ones (any shift, multipliers of any sign, large offsets) that send the
 * kernels down their fallback paths. FULLY_CONNECTED runs both
 * tml_fully_connected_s8 and tml_fully_connected_s8_packed (on weights
 * packed and a bias folded as src/codegen/aot/fc-pack.ts does, transcribed
 * from the layout documented in tml_kernels.h).
 *
 * Prints one line per kernel, "<name> cases=<n> mismatches=<m>", then
 * "done". Host: kernels_diff [cases per kernel] [seed]. Bare metal (built
 * with -DTML_DIFF_BAREMETAL): waits for one byte on the serial line, runs
 * TML_DIFF_CASES cases, and exits 0 when nothing mismatched.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tml_kernels.h"

#ifdef TML_DIFF_BAREMETAL
#include "tml_hal.h"
#ifndef TML_DIFF_CASES
#define TML_DIFF_CASES 2000
#endif
#endif

/* ---------------------------------------------------------------- random */

static uint32_t rng_state = 1;

static uint32_t rnd(void) { /* xorshift32 */
  uint32_t x = rng_state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  rng_state = x;
  return x;
}

/* Uniform in [lo, hi]. */
static int32_t rnd_in(int32_t lo, int32_t hi) {
  return (int32_t)((int64_t)lo + (int64_t)(rnd() % (uint32_t)((int64_t)hi - lo + 1)));
}

static int chance(int percent) { return (int)(rnd() % 100u) < percent; }

/* --------------------------------- gemmlowp / TFLite arithmetic (TFLM's) */

static int32_t ref_srdhm(int32_t a, int32_t b) { /* SaturatingRoundingDoublingHighMul */
  const int overflow = a == b && a == INT32_MIN;
  const int64_t ab_64 = (int64_t)a * (int64_t)b;
  const int32_t nudge = ab_64 >= 0 ? (1 << 30) : (1 - (1 << 30));
  const int32_t ab_x2_high32 = (int32_t)((ab_64 + nudge) / ((int64_t)1 << 31));
  return overflow ? INT32_MAX : ab_x2_high32;
}

static int32_t ref_rdbpot(int32_t x, int exponent) { /* RoundingDivideByPOT */
  const int32_t mask = (int32_t)(((int64_t)1 << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/* x * (1 << shift) with the two's complement wrap TFLM's builds give. */
static int32_t ref_shl(int32_t x, int shift) { return (int32_t)((uint32_t)x << shift); }

static int32_t ref_mbqm(int32_t x, int32_t m, int shift) { /* MultiplyByQuantizedMultiplier */
  const int left_shift = shift > 0 ? shift : 0;
  const int right_shift = shift > 0 ? 0 : -shift;
  return ref_rdbpot(ref_srdhm(ref_shl(x, left_shift), m), right_shift);
}

static int32_t ref_mbqm_small(int32_t x, int32_t m, int shift) { /* ...SmallerThanOneExp */
  return ref_rdbpot(ref_srdhm(x, m), -shift);
}

static int32_t ref_clamp(int32_t v, int32_t lo, int32_t hi) {
  return v < lo ? lo : v > hi ? hi : v;
}

/* ------------------------------------------------------- FULLY_CONNECTED */

#define FC_MAX_IN 300
#define FC_MAX_OUT 20
#define FC_MAX_B 3

static void ref_fc(const tml_fully_connected_s8_params *p, const int8_t *in, const int8_t *w,
                   const int32_t *bias, int8_t *out) {
  int32_t b, oc, d;
  for (b = 0; b < p->batches; ++b) {
    for (oc = 0; oc < p->output_depth; ++oc) {
      uint32_t acc = 0; /* int32 arithmetic wrapping modulo 2^32 */
      const int32_t k = p->per_channel ? oc : 0;
      int32_t v;
      for (d = 0; d < p->accum_depth; ++d) {
        const int32_t iv = in[b * p->accum_depth + d], fv = w[oc * p->accum_depth + d];
        acc += (uint32_t)((fv + p->filter_offset) * (iv + p->input_offset));
      }
      if (bias) acc += (uint32_t)bias[oc];
      v = ref_mbqm((int32_t)acc, p->output_multiplier[k], (int)p->output_shift[k]);
      v += p->output_offset;
      out[b * p->output_depth + oc] = (int8_t)ref_clamp(v, p->act_min, p->act_max);
    }
  }
}

/* The layout of tml_fully_connected_s8_packed (tml_kernels.h). */
static void pack_fc(const int8_t *w, int32_t outs, int32_t depth, int8_t *packed) {
  int32_t g, r, c, j, d, k = 0;
  for (g = 0; g < outs; g += 4) {
    const int32_t rows = outs - g < 4 ? outs - g : 4;
    for (c = 0; c < depth / 4; ++c)
      for (r = 0; r < rows; ++r)
        for (j = 0; j < 4; ++j) packed[k++] = w[(g + r) * depth + 4 * c + j];
    for (d = depth / 4 * 4; d < depth; ++d)
      for (r = 0; r < rows; ++r) packed[k++] = w[(g + r) * depth + d];
  }
}

static int32_t random_shift(void) {
  if (chance(80)) return rnd_in(-12, 0);
  return rnd_in(-31, 30);
}

/* A Q31 multiplier in [2^30, 2^31); a third of them with at least 22 low
 * zero bits (scales that are short binary fractions), which make the
 * roundings' exact ties, the cases a wrong nudge would get wrong, common. */
static int32_t q31_multiplier(void) {
  if (chance(33)) return (int32_t)((1u << 30) | ((rnd() & 0xFFu) << 22));
  return rnd_in(1 << 30, INT32_MAX);
}

static int32_t random_multiplier(void) {
  if (chance(90)) return q31_multiplier();
  return (int32_t)rnd();
}

static int8_t random_s8(void) { return (int8_t)(rnd() & 0xFF); }

static long diff_fc(long cases, int packed_path) {
  static int8_t in[FC_MAX_B * FC_MAX_IN], w[FC_MAX_OUT * FC_MAX_IN];
  static uint32_t packed_words[(FC_MAX_OUT * FC_MAX_IN + 8) / 4]; /* word-aligned */
  int8_t *const packed = (int8_t *)packed_words;
  static int8_t got[FC_MAX_B * FC_MAX_OUT], got2[FC_MAX_B * FC_MAX_OUT], want[FC_MAX_B * FC_MAX_OUT];
  static int32_t bias[FC_MAX_OUT], folded[FC_MAX_OUT], mult[FC_MAX_OUT], shift[FC_MAX_OUT];
  long n, bad = 0;
  for (n = 0; n < cases; ++n) {
    tml_fully_connected_s8_params p;
    int32_t i, oc, lo, hi;
    const int has_bias = chance(85);
    const int realistic = chance(85);
    /* An odd byte offset for some cases: the kernels must not assume alignment. */
    int8_t *pk = packed + (chance(10) ? 1 : 0);
    p.batches = rnd_in(1, FC_MAX_B);
    p.accum_depth = chance(20) ? rnd_in(1, FC_MAX_IN) : rnd_in(1, 40);
    p.output_depth = rnd_in(1, FC_MAX_OUT);
    p.input_offset = realistic ? rnd_in(-127, 128) : rnd_in(-70000, 70000);
    p.filter_offset = packed_path || chance(70) ? 0 : rnd_in(-127, 128);
    p.output_offset = rnd_in(-128, 127);
    lo = rnd_in(-128, 127);
    hi = rnd_in(-128, 127);
    if (chance(50)) {
      lo = -128;
      hi = 127;
    }
    p.act_min = lo < hi ? lo : hi;
    p.act_max = lo < hi ? hi : lo;
    p.per_channel = chance(50);
    for (oc = 0; oc < p.output_depth; ++oc) {
      mult[oc] = random_multiplier();
      shift[oc] = realistic ? rnd_in(-12, -1) : random_shift();
      bias[oc] = realistic ? rnd_in(-40000, 40000) : (int32_t)rnd();
    }
    p.output_multiplier = mult;
    p.output_shift = shift;
    for (i = 0; i < p.batches * p.accum_depth; ++i) in[i] = random_s8();
    for (i = 0; i < p.output_depth * p.accum_depth; ++i) w[i] = random_s8();
    ref_fc(&p, in, w, has_bias ? bias : NULL, want);
    if (packed_path) {
      tml_fully_connected_s8_packed_params q;
      q.batches = p.batches;
      q.accum_depth = p.accum_depth;
      q.output_depth = p.output_depth;
      q.output_offset = p.output_offset;
      q.act_min = p.act_min;
      q.act_max = p.act_max;
      q.per_channel = p.per_channel;
      q.output_multiplier = mult;
      q.output_shift = shift;
      pack_fc(w, p.output_depth, p.accum_depth, pk);
      for (oc = 0; oc < p.output_depth; ++oc) {
        uint32_t sum = has_bias ? (uint32_t)bias[oc] : 0u;
        for (i = 0; i < p.accum_depth; ++i)
          sum += (uint32_t)p.input_offset * (uint32_t)(int32_t)w[oc * p.accum_depth + i];
        folded[oc] = (int32_t)sum;
      }
      if (tml_fully_connected_s8_packed(&q, in, pk, folded, got) != TML_OK) {
        ++bad;
        continue;
      }
      /* The per-tensor entry: the same bits, or a refusal for per-channel params. */
      if (q.per_channel) {
        if (tml_fully_connected_s8_packed_per_tensor(&q, in, pk, folded, got2) != TML_ERR_BAD_PARAM) ++bad;
      } else if (tml_fully_connected_s8_packed_per_tensor(&q, in, pk, folded, got2) != TML_OK ||
                 memcmp(got2, want, (size_t)(p.batches * p.output_depth)) != 0) {
        if (bad < 3) printf("fc_packed_per_tensor mismatch: case %ld\n", n);
        ++bad;
      }
    } else if (tml_fully_connected_s8(&p, in, w, has_bias ? bias : NULL, got) != TML_OK) {
      ++bad;
      continue;
    }
    if (memcmp(got, want, (size_t)(p.batches * p.output_depth)) != 0) {
      if (bad < 3)
        printf("fc%s mismatch: case %ld batches %ld depth %ld outs %ld io %ld fo %ld\n",
               packed_path ? "_packed" : "", n, (long)p.batches, (long)p.accum_depth,
               (long)p.output_depth, (long)p.input_offset, (long)p.filter_offset);
      ++bad;
    }
  }
  return bad;
}

/* ------------------------------------------------ broadcasting binary ops */

#define BIN_MAX 512

/* A random output shape of rank 0..6 (at most BIN_MAX elements) and two input
 * shapes broadcasting to it, each possibly of a lower rank. */
static void random_shapes(tml_binary_shapes *s) {
  int rank = rnd_in(0, 6), i, k;
  int32_t total = 1;
  s->output.rank = rank;
  for (i = 0; i < rank; ++i) {
    int32_t d = chance(25) ? 1 : rnd_in(1, rank <= 2 ? 40 : 6);
    if (total * d > BIN_MAX) d = 1;
    s->output.dims[i] = d;
    total *= d;
  }
  for (k = 0; k < 2; ++k) {
    tml_shape *in = k == 0 ? &s->input1 : &s->input2;
    const int drop = chance(20) ? rnd_in(0, rank) : 0;
    const int mode = rnd_in(0, 3); /* 0: same, 1: random broadcast, 2: scalar-like, 3: inner */
    in->rank = rank - drop;
    for (i = 0; i < in->rank; ++i) {
      const int32_t d = s->output.dims[i + drop];
      int one;
      switch (mode) {
        case 0: one = 0; break;
        case 1: one = chance(40); break;
        case 2: one = 1; break;
        default: one = i < in->rank - 1; break;
      }
      in->dims[i] = one ? 1 : d;
    }
  }
}

/* TFLM's NdArrayDesc offsets for the 6-D extended shapes. */
static int32_t bcast_offset(const tml_shape *in, const tml_shape *out, const int32_t idx[6]) {
  int32_t dims[6], i, off = 0, stride = 1;
  for (i = 0; i < 6; ++i) {
    const int k = i - (6 - in->rank);
    dims[i] = k >= 0 ? in->dims[k] : 1;
  }
  (void)out;
  for (i = 5; i >= 0; --i) {
    if (dims[i] != 1) off += idx[i] * stride;
    stride *= dims[i];
  }
  return off;
}

enum { OP_ADD, OP_SUB, OP_MUL };

static int32_t ref_binary_elem(int op, const void *params, int32_t x1, int32_t x2) {
  if (op == OP_MUL) {
    const tml_mul_s8_params *p = (const tml_mul_s8_params *)params;
    const int32_t in1 = p->input1_offset + x1, in2 = p->input2_offset + x2;
    const int32_t v = p->output_offset +
                      ref_mbqm((int32_t)((uint32_t)in1 * (uint32_t)in2), p->output_multiplier,
                               (int)p->output_shift);
    return ref_clamp(v, p->act_min, p->act_max);
  } else {
    const tml_add_s8_params *p = (const tml_add_s8_params *)params;
    const int32_t in1 = p->input1_offset + x1, in2 = p->input2_offset + x2;
    const int32_t sh1 = ref_shl(in1, (int)p->left_shift), sh2 = ref_shl(in2, (int)p->left_shift);
    const int32_t s1 = ref_mbqm_small(sh1, p->input1_multiplier, (int)p->input1_shift);
    const int32_t s2 = ref_mbqm_small(sh2, p->input2_multiplier, (int)p->input2_shift);
    const int32_t raw = (int32_t)(op == OP_ADD ? (uint32_t)s1 + (uint32_t)s2
                                               : (uint32_t)s1 - (uint32_t)s2);
    const int32_t v = ref_mbqm_small(raw, p->output_multiplier, (int)p->output_shift) +
                      p->output_offset;
    return ref_clamp(v, p->act_min, p->act_max);
  }
}

static void ref_binary(int op, const void *params, const tml_binary_shapes *s, const int8_t *a,
                       const int8_t *b, int8_t *out) {
  int32_t dims[6], idx[6], i, n = 0, total = 1;
  for (i = 0; i < 6; ++i) {
    const int k = i - (6 - s->output.rank);
    dims[i] = k >= 0 ? s->output.dims[k] : 1;
    idx[i] = 0;
    total *= dims[i];
  }
  for (n = 0; n < total; ++n) {
    int32_t rem = n;
    for (i = 5; i >= 0; --i) {
      idx[i] = rem % dims[i];
      rem /= dims[i];
    }
    out[n] = (int8_t)ref_binary_elem(op, params, a[bcast_offset(&s->input1, &s->output, idx)],
                                     b[bcast_offset(&s->input2, &s->output, idx)]);
  }
}

static void random_act(int32_t *act_min, int32_t *act_max) {
  int32_t lo = rnd_in(-128, 127), hi = rnd_in(-128, 127);
  if (chance(40)) {
    lo = -128;
    hi = 127;
  } else if (chance(30)) {
    lo = rnd_in(-128, 0);
    hi = 127;
  }
  *act_min = lo < hi ? lo : hi;
  *act_max = lo < hi ? hi : lo;
}

static void random_add_params(tml_add_s8_params *p) {
  random_act(&p->act_min, &p->act_max);
  p->output_offset = rnd_in(-128, 127);
  if (chance(80)) { /* TFLM's Prepare: one input at exactly 0.5, left shift 20 */
    const int big = chance(50);
    p->left_shift = 20;
    p->input1_offset = rnd_in(-127, 128);
    p->input2_offset = rnd_in(-127, 128);
    p->input1_multiplier = big ? 1 << 30 : q31_multiplier();
    p->input1_shift = big ? 0 : rnd_in(-8, -1);
    p->input2_multiplier = big ? q31_multiplier() : 1 << 30;
    p->input2_shift = big ? rnd_in(-8, -1) : 0;
    if (chance(10)) { /* equal scales */
      p->input1_multiplier = p->input2_multiplier = 1 << 30;
      p->input1_shift = p->input2_shift = 0;
    }
    p->output_multiplier = q31_multiplier();
    p->output_shift = chance(80) ? rnd_in(-26, -12) : rnd_in(-11, -1);
  } else { /* anything the kernel accepts */
    p->left_shift = rnd_in(0, 31);
    p->input1_offset = chance(50) ? rnd_in(-127, 128) : rnd_in(-100000, 100000);
    p->input2_offset = chance(50) ? rnd_in(-127, 128) : rnd_in(-100000, 100000);
    p->input1_multiplier = random_multiplier();
    p->input2_multiplier = random_multiplier();
    p->output_multiplier = random_multiplier();
    p->input1_shift = rnd_in(-31, 0);
    p->input2_shift = rnd_in(-31, 0);
    p->output_shift = rnd_in(-31, 0);
  }
}

static void random_mul_params(tml_mul_s8_params *p) {
  random_act(&p->act_min, &p->act_max);
  p->output_offset = rnd_in(-128, 127);
  if (chance(80)) {
    p->input1_offset = rnd_in(-127, 128);
    p->input2_offset = rnd_in(-127, 128);
    p->output_multiplier = q31_multiplier();
    p->output_shift = rnd_in(-14, 3);
  } else {
    p->input1_offset = chance(50) ? rnd_in(-127, 128) : rnd_in(-100000, 100000);
    p->input2_offset = chance(50) ? rnd_in(-127, 128) : rnd_in(-100000, 100000);
    p->output_multiplier = random_multiplier();
    p->output_shift = rnd_in(-31, 30);
  }
}

static long diff_binary(int op, long cases, long *runs32_taken) {
  static int8_t a[BIN_MAX], b[BIN_MAX], got[BIN_MAX], want[BIN_MAX];
  long n, bad = 0;
  for (n = 0; n < cases; ++n) {
    tml_binary_shapes s;
    tml_add_s8_params ap;
    tml_mul_s8_params mp;
    const void *params;
    int32_t i, total = 1, n1 = 1, n2 = 1;
    tml_status st;
    random_shapes(&s);
    for (i = 0; i < s.output.rank; ++i) total *= s.output.dims[i];
    for (i = 0; i < s.input1.rank; ++i) n1 *= s.input1.dims[i];
    for (i = 0; i < s.input2.rank; ++i) n2 *= s.input2.dims[i];
    for (i = 0; i < n1; ++i) a[i] = random_s8();
    for (i = 0; i < n2; ++i) b[i] = random_s8();
    if (op == OP_MUL) {
      random_mul_params(&mp);
      params = &mp;
    } else {
      random_add_params(&ap);
      params = &ap;
    }
    ref_binary(op, params, &s, a, b, want);
    st = op == OP_ADD   ? tml_add_s8(&ap, &s, a, b, got)
         : op == OP_SUB ? tml_sub_s8(&ap, &s, a, b, got)
                        : tml_mul_s8(&mp, &s, a, b, got);
    if (op != OP_MUL) {
      /* The 32-bit runs' own entry: the same bits where the rule says it
       * applies, a refusal (and no output) elsewhere. */
      static int8_t got32[BIN_MAX];
      const int takes = tml_add_sub_s8_takes_runs32(&ap);
      const tml_status st32 = op == OP_ADD ? tml_add_s8_runs32(&ap, &s, a, b, got32)
                                           : tml_sub_s8_runs32(&ap, &s, a, b, got32);
      if (takes) ++*runs32_taken;
      if (takes ? st32 != TML_OK || memcmp(got32, want, (size_t)total) != 0 : st32 != TML_ERR_BAD_PARAM) {
        if (bad < 3) printf("%s_runs32 mismatch: case %ld status %d takes %d\n", op == OP_ADD ? "add" : "sub", n, (int)st32, takes);
        ++bad;
      }
    }
    if (st != TML_OK || memcmp(got, want, (size_t)total) != 0) {
      if (bad < 3) {
        for (i = 0; i < total && got[i] == want[i]; ++i) {
        }
        printf("%s mismatch: case %ld status %d rank %d element %ld got %d want %d\n",
               op == OP_ADD ? "add" : op == OP_SUB ? "sub" : "mul", n, (int)st, (int)s.output.rank,
               (long)i, i < total ? got[i] : 0, i < total ? want[i] : 0);
      }
      ++bad;
    }
  }
  return bad;
}

/* ------------------------------------------------------------------ main */

static long run_all(long cases) {
  long total = 0, bad, taken = 0;
  bad = diff_fc(cases, 0);
  printf("fully_connected_s8 cases=%ld mismatches=%ld\n", cases, bad);
  total += bad;
  bad = diff_fc(cases, 1);
  printf("fully_connected_s8_packed cases=%ld mismatches=%ld\n", cases, bad);
  total += bad;
  bad = diff_binary(OP_ADD, cases, &taken);
  printf("add_s8 cases=%ld mismatches=%ld\n", cases, bad);
  total += bad;
  bad = diff_binary(OP_SUB, cases, &taken);
  printf("sub_s8 cases=%ld mismatches=%ld\n", cases, bad);
  total += bad;
  /* Most random params are TFLM's kind: the runs32 entries are exercised. */
  printf("add_sub_runs32 taken=%ld of %ld\n", taken, 2 * cases);
  bad = diff_binary(OP_MUL, cases, &taken);
  printf("mul_s8 cases=%ld mismatches=%ld\n", cases, bad);
  total += bad;
  printf("done\n");
  fflush(stdout);
  return total;
}

#ifdef TML_DIFF_BAREMETAL
int main(void) {
  long bad;
  tml_hal_init();
  if (tml_hal_serial_read_byte(10000u) < 0) tml_hal_exit(3);
  rng_state = 20240611u;
  bad = run_all(TML_DIFF_CASES);
  tml_hal_exit(bad == 0 ? 0 : 1);
  return 0;
}
#else
int main(int argc, char **argv) {
  const long cases = argc > 1 ? atol(argv[1]) : 20000;
  rng_state = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 10) : 20240611u;
  if (rng_state == 0) rng_state = 1;
  return run_all(cases) == 0 ? 0 : 1;
}
#endif
