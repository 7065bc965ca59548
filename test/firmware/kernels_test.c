/*
 * Unit tests of firmware/kernels with hand-derived expectations. Built and run
 * by test/firmware/kernels-unit.test.ts with -fsanitize=address,undefined.
 * Notation in comments: srdhm(a, m) = round(a * m / 2^31) (ties up),
 * rdbpot(x, e) = round(x / 2^e) (ties away from zero), Q31 0.5 = 2^30.
 * Prints one line per failed check and ends with a summary line.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tml_fixedpoint.h"
#include "tml_kernels.h"

static int failures = 0, checks = 0;

#define CHECK_EQ(actual, expected)                                            \
  do {                                                                        \
    const long long a_ = (long long)(actual), e_ = (long long)(expected);     \
    ++checks;                                                                 \
    if (a_ != e_) {                                                           \
      ++failures;                                                             \
      printf("FAIL %s:%d: %s == %lld, expected %lld\n", __FILE__, __LINE__,   \
             #actual, a_, e_);                                                \
    }                                                                         \
  } while (0)

#define CHECK_F(actual, expected)                                             \
  do {                                                                        \
    const float a_ = (actual), e_ = (expected);                               \
    ++checks;                                                                 \
    if (!(a_ == e_)) {                                                        \
      ++failures;                                                             \
      printf("FAIL %s:%d: %s == %.9g, expected %.9g\n", __FILE__, __LINE__,   \
             #actual, (double)a_, (double)e_);                                \
    }                                                                         \
  } while (0)

#define CHECK_ARR(actual, ...)                                                \
  do {                                                                        \
    const long long want_[] = {__VA_ARGS__};                                  \
    size_t i_;                                                                \
    for (i_ = 0; i_ < sizeof want_ / sizeof want_[0]; ++i_)                   \
      CHECK_EQ((actual)[i_], want_[i_]);                                      \
  } while (0)

static tml_shape shape1(int32_t a) {
  tml_shape s;
  memset(&s, 0, sizeof s);
  s.rank = 1;
  s.dims[0] = a;
  return s;
}
static tml_shape shape2(int32_t a, int32_t b) {
  tml_shape s = shape1(a);
  s.rank = 2;
  s.dims[1] = b;
  return s;
}
static tml_window window(int32_t ih, int32_t iw, int32_t ic, int32_t fh,
                         int32_t fw, int32_t oh, int32_t ow, int32_t oc) {
  tml_window w;
  w.batches = 1;
  w.input_h = ih;
  w.input_w = iw;
  w.input_c = ic;
  w.filter_h = fh;
  w.filter_w = fw;
  w.output_h = oh;
  w.output_w = ow;
  w.output_c = oc;
  w.stride_h = w.stride_w = 1;
  w.dilation_h = w.dilation_w = 1;
  w.pad_h = w.pad_w = 0;
  return w;
}

static void test_fixedpoint(void) {
  int nb;
  /* Saturation: (-1) * (-1) = +1 is not representable in Q31. */
  CHECK_EQ(tml_srdhm(INT32_MIN, INT32_MIN), INT32_MAX);
  /* 0.5 * 0.5 = 0.25 = 2^29. */
  CHECK_EQ(tml_srdhm(1 << 30, 1 << 30), 1 << 29);
  /* srdhm ties: 3 * 0.5 = 1.5 -> 2; -3 * 0.5 = -1.5 -> -1 (nudge, then truncation). */
  CHECK_EQ(tml_srdhm(3, 1 << 30), 2);
  CHECK_EQ(tml_srdhm(-3, 1 << 30), -1);
  /* rdbpot ties go away from zero: 2.5 -> 3, -2.5 -> -3, 1.5 -> 2, -1.5 -> -2. */
  CHECK_EQ(tml_rdbpot(5, 1), 3);
  CHECK_EQ(tml_rdbpot(-5, 1), -3);
  CHECK_EQ(tml_rdbpot(3, 1), 2);
  CHECK_EQ(tml_rdbpot(-3, 1), -2);
  CHECK_EQ(tml_rdbpot(-6, 2), -2); /* -1.5 */
  CHECK_EQ(tml_rdbpot(7, 2), 2);   /* 1.75 */
  CHECK_EQ(tml_rdbpot(-5, 2), -1); /* -1.25 */
  CHECK_EQ(tml_rdbpot(123, 0), 123);
  /* Shift extremes: (2^31-1)/2^31 -> 1, -2^31/2^31 = -1; beyond 31 -> 0. */
  CHECK_EQ(tml_rdbpot(INT32_MAX, 31), 1);
  CHECK_EQ(tml_rdbpot(INT32_MIN, 31), -1);
  CHECK_EQ(tml_rdbpot(INT32_MAX, 40), 0);
  /* MultiplyByQuantizedMultiplier: 100 * 0.5 = 50. */
  CHECK_EQ(tml_multiply_by_quantized_multiplier(100, 1 << 30, 0), 50);
  /* Double rounding (TFLM default): 5 * 0.5 / 2 = 1.25; srdhm gives 2.5 -> 3,
   * then rdbpot(3, 1) = 1.5 -> 2. Single rounding would give 1. */
  CHECK_EQ(tml_multiply_by_quantized_multiplier(5, 1 << 30, -1), 2);
  CHECK_EQ(tml_multiply_by_quantized_multiplier(-5, 1 << 30, -1), -1); /* -2.5->-2, -1 */
  /* Left shift: 1 * 2^30 * 0.5 = 2^29. */
  CHECK_EQ(tml_multiply_by_quantized_multiplier(1, 1 << 30, 30), 1 << 29);
  /* Extreme right shift: srdhm(MAX, MAX) = 2^31 - 2, / 2^31 -> 1. */
  CHECK_EQ(tml_multiply_by_quantized_multiplier(INT32_MAX, INT32_MAX, -31), 1);
  CHECK_EQ(tml_multiply_by_quantized_multiplier(-7, 1 << 30, -31), 0);
  /* Leading sign bits. */
  CHECK_EQ(tml_clrsb32(0), 31);
  CHECK_EQ(tml_clrsb32(-1), 31);
  CHECK_EQ(tml_clrsb32(1), 30);
  CHECK_EQ(tml_clrsb32(INT32_MIN), 0);
  /* exp(0) = 1 (Q0.31 max); logistic(0) = 1/2; tanh(0) = 0. */
  CHECK_EQ(tml_fp_exp_on_negative_values(0, 5), INT32_MAX);
  CHECK_EQ(tml_fp_logistic(0, 4), 1 << 30);
  CHECK_EQ(tml_fp_tanh(0, 4), 0);
  /* exp(-1) with 5 integer bits (-1.0 = -2^26): exp(-1) * 2^31 = 790015084;
   * gemmlowp's polynomial gives 790015308 (checked against gemmlowp). */
  CHECK_EQ(tml_fp_exp_on_negative_values(-(1 << 26), 5), 790015308);
  /* Reciprocal of 2.0 with 12 integer bits (2^20): 1/(1+0) scaled by 2^-1. */
  {
    const int32_t r = tml_get_reciprocal(1 << 20, 12, &nb);
    CHECK_EQ(nb, 1);
    CHECK_EQ(r > INT32_MAX - 8, 1);
  }
}

/* Caller-owned scratch for the conv kernels (8-byte aligned); each test
 * checks its size function fits before using it. */
static uint64_t conv_scratch[160];

static void test_conv(void) {
  /* 1x1 conv, 1x1x1x2 input [10, -20], input zero point -1 (offset +1). */
  const int8_t input[2] = {10, -20};
  /* ch0: [3, 2]; ch1: [127, 127]; ch2: [-128, -128]. */
  const int8_t filter[6] = {3, 2, 127, 127, -128, -128};
  const int32_t bias[3] = {100, 0, 0};
  const int32_t mult[3] = {1 << 30, 1 << 30, 1 << 30};
  const int32_t shift[3] = {-1, 5, 5};
  int8_t out[3];
  tml_conv2d_s8_params p;
  p.win = window(1, 1, 2, 1, 1, 1, 1, 3);
  p.filter_input_c = 2;
  p.input_offset = 1;
  p.output_offset = 5;
  p.act_min = -128;
  p.act_max = 127;
  p.output_multiplier = mult;
  p.output_shift = shift;
  /* 1x1, no padding, one group: the pointwise variant with four pixels per
   * group: 0 widened words (2 taps < 4), 3*4 tail and 4*16 accumulators. */
  CHECK_EQ(tml_conv2d_s8_select(&p), TML_CONV2D_S8_POINTWISE);
  CHECK_EQ(tml_conv2d_s8_scratch_size(&p), (3 * 4 + 4 * 16) * sizeof(int32_t));
  CHECK_EQ(tml_conv2d_s8(&p, input, filter, bias, out, conv_scratch), TML_OK);
  /* ch0: 3*11 + 2*(-19) = -5, +100 = 95; 95 * 0.5 / 2: srdhm 47.5 -> 48,
   * rdbpot(48, 1) = 24; + 5 = 29. */
  CHECK_EQ(out[0], 29);
  /* ch1: 127*11 + 127*(-19) = -1016; * 0.5 * 32 = -16256 -> saturates at -128. */
  CHECK_EQ(out[1], -128);
  /* ch2: -128*11 + -128*(-19) = 1024 -> 16384 + 5 -> saturates at 127. */
  CHECK_EQ(out[2], 127);
  /* Activation clamp [0, 20] on the same data. */
  p.act_min = 0;
  p.act_max = 20;
  CHECK_EQ(tml_conv2d_s8(&p, input, filter, bias, out, conv_scratch), TML_OK);
  CHECK_ARR(out, 20, 0, 20);
  /* Scratch missing or not 8-byte aligned. */
  CHECK_EQ(tml_conv2d_s8(&p, input, filter, bias, out, NULL), TML_ERR_NULL_POINTER);
  CHECK_EQ(tml_conv2d_s8(&p, input, filter, bias, out, (uint8_t *)conv_scratch + 4),
           TML_ERR_BAD_PARAM);
  /* Shape errors. */
  p.filter_input_c = 3;
  CHECK_EQ(tml_conv2d_s8(&p, input, filter, bias, out, conv_scratch), TML_ERR_BAD_SHAPE);
  CHECK_EQ(tml_conv2d_s8(NULL, input, filter, bias, out, conv_scratch), TML_ERR_NULL_POINTER);
}

static void test_conv_padding_dilation(void) {
  /* 3x3 input 1..9 (one channel), 2x2 filter of ones, dilation 2, pad 1,
   * 2x2 output, multiplier 1.0 (2^30, shift 1), no offsets.
   * out(0,0) taps (-1,-1),(-1,1),(1,-1),(1,1): only (1,1) = 5.
   * out(0,1) taps x in {0,2}, y in {-1,1}: (1,0)=4 + (1,2)=6 = 10.
   * out(1,0): y in {0,2}, x in {-1,1}: (0,1)=2 + (2,1)=8 = 10.
   * out(1,1): (0,0)+(0,2)+(2,0)+(2,2) = 1+3+7+9 = 20. */
  const int8_t input[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  const int8_t filter[4] = {1, 1, 1, 1};
  const int32_t mult[1] = {1 << 30}, shift[1] = {1};
  int8_t out[4];
  tml_conv2d_s8_params p;
  p.win = window(3, 3, 1, 2, 2, 2, 2, 1);
  p.win.dilation_h = p.win.dilation_w = 2;
  p.win.pad_h = p.win.pad_w = 1;
  p.filter_input_c = 1;
  p.input_offset = 0;
  p.output_offset = 0;
  p.act_min = -128;
  p.act_max = 127;
  p.output_multiplier = mult;
  p.output_shift = shift;
  /* Horizontal dilation: only the generic variant, two pixels' accumulators. */
  CHECK_EQ(tml_conv2d_s8_select(&p), TML_CONV2D_S8_GENERIC);
  CHECK_EQ(tml_conv2d_s8_scratch_size(&p), 2 * 16 * sizeof(int32_t));
  CHECK_EQ(tml_conv2d_s8(&p, input, filter, NULL, out, conv_scratch), TML_OK);
  CHECK_ARR(out, 5, 10, 10, 20);
}

static void test_depthwise(void) {
  /* 2x2x1 input [1,2,3,4], depth multiplier 2, 2x2 filter 1HW(C*M):
   * channel 0 weights all 1, channel 1 weights [1,-1,1,-1] (interleaved).
   * VALID -> 1x1x2: ch0 = 10, ch1 = 1-2+3-4 = -2; bias [0, 10] -> 10, 8;
   * multiplier 1.0, output zero point -3 -> 7, 5. */
  const int8_t input[4] = {1, 2, 3, 4};
  const int8_t filter[8] = {1, 1, 1, -1, 1, 1, 1, -1};
  const int32_t bias[2] = {0, 10};
  const int32_t mult[2] = {1 << 30, 1 << 30}, shift[2] = {1, 1};
  int8_t out[2];
  tml_depthwise_conv2d_s8_params p;
  p.win = window(2, 2, 1, 2, 2, 1, 1, 2);
  p.depth_multiplier = 2;
  p.input_offset = 0;
  p.output_offset = -3;
  p.act_min = -128;
  p.act_max = 127;
  p.output_multiplier = mult;
  p.output_shift = shift;
  /* Depth multiplier 2 has no channel blocks and 4 taps are too few to run
   * as a CONV_2D: one pixel's 32 accumulators. */
  CHECK_EQ(tml_depthwise_conv2d_s8_scratch_size(&p), 32 * sizeof(int32_t));
  CHECK_EQ(tml_depthwise_conv2d_s8(&p, input, filter, bias, out, conv_scratch), TML_OK);
  CHECK_ARR(out, 7, 5);
  {
    const float fin[4] = {1, 2, 3, 4};
    const float ff[8] = {1, 1, 1, -1, 1, 1, 1, -1};
    const float fb[2] = {0.5f, 0};
    float fo[2];
    tml_depthwise_conv2d_f32_params q;
    q.win = p.win;
    q.depth_multiplier = 2;
    q.act_min = -1.0f;
    q.act_max = 6.0f;
    CHECK_EQ(tml_depthwise_conv2d_f32(&q, fin, ff, fb, fo), TML_OK);
    CHECK_F(fo[0], 6.0f);  /* 10.5 clamped */
    CHECK_F(fo[1], -1.0f); /* -2 clamped */
  }
}

static void test_fully_connected(void) {
  /* input [1, 2, 3] (zero point 1 -> offset -1: [0, 1, 2]), weights
   * [[1, 1, 1], [2, -3, 4]]: acc = [3, 5]; bias [1, -1] -> [4, 4];
   * per-tensor multiplier 0.5 (2^30, shift 0) -> [2, 2]; output zp 10. */
  const int8_t input[3] = {1, 2, 3};
  const int8_t w[6] = {1, 1, 1, 2, -3, 4};
  const int32_t bias[2] = {1, -1};
  const int32_t mult[2] = {1 << 30, 1 << 30}, shift[2] = {0, 2};
  int8_t out[2];
  tml_fully_connected_s8_params p;
  p.batches = 1;
  p.accum_depth = 3;
  p.output_depth = 2;
  p.input_offset = -1;
  p.filter_offset = 0;
  p.output_offset = 10;
  p.act_min = -128;
  p.act_max = 127;
  p.per_channel = 0;
  p.output_multiplier = mult;
  p.output_shift = shift;
  CHECK_EQ(tml_fully_connected_s8(&p, input, w, bias, out), TML_OK);
  CHECK_ARR(out, 12, 12);
  /* Per channel: channel 1 uses shift 2 -> 4 * 0.5 * 4 = 8 -> 18. */
  p.per_channel = 1;
  CHECK_EQ(tml_fully_connected_s8(&p, input, w, bias, out), TML_OK);
  CHECK_ARR(out, 12, 18);
  {
    const float fi[2] = {1.5f, -2.0f}, fw[2] = {2.0f, 1.0f};
    float fo[1];
    tml_fully_connected_f32_params q = {1, 2, 1, -100.0f, 100.0f};
    CHECK_EQ(tml_fully_connected_f32(&q, fi, fw, NULL, fo), TML_OK);
    CHECK_F(fo[0], 1.0f);
  }
}

static void test_pools(void) {
  /* 2x2 input, one channel; 2x2 average -> one value. */
  int8_t out[4];
  tml_pool_s8_params p;
  p.win = window(2, 2, 1, 2, 2, 1, 1, 1);
  p.act_min = -128;
  p.act_max = 127;
  {
    const int8_t a[4] = {1, 1, 1, 2}; /* 5/4 = 1.25 -> 1 */
    const int8_t b[4] = {1, 2, 2, 1}; /* 6/4 = 1.5 -> 2 (away from zero) */
    const int8_t c[4] = {-1, -2, -2, -1}; /* -1.5 -> -2 */
    const int8_t d[4] = {-1, -1, -1, -2}; /* -1.25 -> -1 */
    CHECK_EQ(tml_avg_pool2d_s8(&p, a, out), TML_OK);
    CHECK_EQ(out[0], 1);
    CHECK_EQ(tml_avg_pool2d_s8(&p, b, out), TML_OK);
    CHECK_EQ(out[0], 2);
    CHECK_EQ(tml_avg_pool2d_s8(&p, c, out), TML_OK);
    CHECK_EQ(out[0], -2);
    CHECK_EQ(tml_avg_pool2d_s8(&p, d, out), TML_OK);
    CHECK_EQ(out[0], -1);
  }
  {
    /* SAME 2x2 max pool, stride 1 over [[1, 5], [-7, 3]]: windows are cut
     * at the bottom/right edge: [5, 5], [3, 3]. */
    const int8_t in[4] = {1, 5, -7, 3};
    p.win = window(2, 2, 1, 2, 2, 2, 2, 1);
    CHECK_EQ(tml_max_pool2d_s8(&p, in, out), TML_OK);
    CHECK_ARR(out, 5, 5, 3, 3);
    /* Average on the same: (1+5-7+3)/4 = 0.5 -> 1; (5+3)/2 = 4; (-7+3)/2 = -2; 3. */
    CHECK_EQ(tml_avg_pool2d_s8(&p, in, out), TML_OK);
    CHECK_ARR(out, 1, 4, -2, 3);
  }
  {
    /* A window entirely in the padding is an error (TFLM returns false). */
    const int8_t in[1] = {0};
    p.win = window(1, 1, 1, 1, 1, 1, 1, 1);
    p.win.pad_h = 1;
    CHECK_EQ(tml_avg_pool2d_s8(&p, in, out), TML_ERR_BAD_PARAM);
  }
  {
    const float fin[4] = {1.0f, 2.0f, 3.0f, 5.0f};
    float fo[1];
    tml_pool_f32_params q;
    q.win = window(2, 2, 1, 2, 2, 1, 1, 1);
    q.act_min = -10.0f;
    q.act_max = 10.0f;
    CHECK_EQ(tml_avg_pool2d_f32(&q, fin, fo), TML_OK);
    CHECK_F(fo[0], 2.75f);
    CHECK_EQ(tml_max_pool2d_f32(&q, fin, fo), TML_OK);
    CHECK_F(fo[0], 5.0f);
  }
}

static void test_softmax(void) {
  /* beta * input_scale = 1.0: PreprocessSoftmaxScaling gives real multiplier
   * 1.0 * 2^(31-5) = 2^26 -> multiplier 2^30, left shift 27; diff_min =
   * -floor(31 * 2^26 / 2^27) = -15. */
  tml_softmax_s8_params p = {2, 2, 1 << 30, 27, -15};
  const int8_t in[4] = {7, 7, 127, -128};
  int8_t out[4];
  int16_t out16[4];
  CHECK_EQ(tml_softmax_s8(&p, in, out), TML_OK);
  /* Row 0: two equal logits -> 0.5 each -> 0.5 * 256 - 128 = 0. */
  CHECK_EQ(out[0], 0);
  CHECK_EQ(out[1], 0);
  /* Row 1: the difference -255 is below diff_min -> exp 0 -> -128; the max
   * gets 1.0 -> 256 - 128 = 128, saturated to 127. */
  CHECK_EQ(out[2], 127);
  CHECK_EQ(out[3], -128);
  CHECK_EQ(tml_softmax_s8_s16(&p, in, out16), TML_OK);
  /* int16 output: 0.5 * 65536 - 32768 = 0; 1.0 -> 32767; 0 -> -32768. */
  CHECK_ARR(out16, 0, 0, 32767, -32768);
  {
    const float fin[2] = {0.0f, 0.0f};
    float fo[2];
    tml_softmax_f32_params q = {1, 2, 1.0f};
    CHECK_EQ(tml_softmax_f32(&q, fin, fo), TML_OK);
    CHECK_F(fo[0], 0.5f);
    CHECK_F(fo[1], 0.5f);
  }
}

static void test_add_sub(void) {
  /* Equal input scales s, output scale s, zero points 0 (TFLM Prepare):
   * input multipliers 0.5 (2^30, shift 0), output multiplier
   * 2s / (2^20 s) = 2^-19 (2^30, shift -18). 3 + 4: (3<<20)*0.5 + (4<<20)*0.5
   * = 3670016; * 0.5 / 2^18 = 7. */
  tml_add_s8_params p = {20, 0, 1 << 30, 0, 0, 1 << 30, 0, 0, 1 << 30, -18, -128, 127};
  tml_binary_shapes s;
  const int8_t a[2] = {3, 100}, b[2] = {4, 100}, c[2] = {-100, -5};
  int8_t out[6];
  s.input1 = shape1(2);
  s.input2 = shape1(2);
  s.output = shape1(2);
  CHECK_EQ(tml_add_s8(&p, &s, a, b, out), TML_OK);
  CHECK_ARR(out, 7, 127); /* 100 + 100 saturates */
  CHECK_EQ(tml_add_s8(&p, &s, c, c, out), TML_OK);
  CHECK_ARR(out, -128, -10);
  CHECK_EQ(tml_sub_s8(&p, &s, a, b, out), TML_OK);
  CHECK_ARR(out, -1, 0);
  CHECK_EQ(tml_sub_s8(&p, &s, c, a, out), TML_OK);
  CHECK_ARR(out, -103, -105);
  /* Broadcasting [2,1] + [3] -> [2,3]: rows 3 and 100 plus [4, 100, -5]. */
  s.input1 = shape2(2, 1);
  s.input2 = shape1(3);
  s.output = shape2(2, 3);
  {
    const int8_t row[3] = {4, 100, -5};
    CHECK_EQ(tml_add_s8(&p, &s, a, row, out), TML_OK);
    CHECK_ARR(out, 7, 103, -2, 104, 127, 95); /* 200 saturates */
  }
  /* Incompatible shapes. */
  s.input2 = shape1(4);
  CHECK_EQ(tml_add_s8(&p, &s, a, b, out), TML_ERR_BAD_SHAPE);
}

static void test_mul_div(void) {
  /* MUL with multiplier 1/16 (2^30, shift -3): 8*8 = 64 -> 4;
   * 5*5 = 25 -> srdhm 12.5 -> 13, rdbpot(13, 3) = 1.625 -> 2. */
  tml_mul_s8_params p = {0, 0, 0, 1 << 30, -3, -128, 127};
  tml_binary_shapes s;
  const int8_t a[3] = {8, 5, -128}, b[3] = {8, 5, -128};
  int8_t out[3];
  s.input1 = shape1(3);
  s.input2 = shape1(3);
  s.output = shape1(3);
  CHECK_EQ(tml_mul_s8(&p, &s, a, b, out), TML_OK);
  CHECK_ARR(out, 4, 2, 127); /* 16384/16 = 1024 saturates */
  {
    const int16_t x[2] = {300, -300};
    int16_t y[2];
    tml_mul_s16_params q = {0, 0, 0, 1 << 30, 0, -32768, 32767};
    s.input1 = s.input2 = s.output = shape1(2);
    CHECK_EQ(tml_mul_s16(&q, &s, x, x, y), TML_OK);
    CHECK_ARR(y, 32767, 32767); /* 90000 * 0.5 = 45000 saturates */
    q.input1_offset = 1;
    CHECK_EQ(tml_mul_s16(&q, &s, x, x, y), TML_ERR_BAD_PARAM);
  }
  {
    /* DIV int8 with multiplier 1.0 (2^30, shift 1): 100 / 8 = 12.5 -> 13;
     * -100 / 8 = -12.5 -> -12 (the reciprocal path's srdhm rounds ties up;
     * TFLM gives the same); 0 / 5 -> 0 (TFLM: undefined shift, x86 gives 1);
     * x / 0 -> error. */
    const int8_t n[4] = {100, -100, 0, 1}, d[4] = {8, 8, 5, 0};
    int8_t q[4];
    tml_div_s8_params dp = {0, 0, 0, 1 << 30, 1, -128, 127};
    s.input1 = s.input2 = s.output = shape1(3);
    CHECK_EQ(tml_div_s8(&dp, &s, n, d, q), TML_OK);
    CHECK_ARR(q, 13, -12, 0);
    s.input1 = s.input2 = s.output = shape1(4);
    CHECK_EQ(tml_div_s8(&dp, &s, n, d, q), TML_ERR_DIV_BY_ZERO);
  }
}

static void test_int32_float_arith(void) {
  tml_binary_shapes s;
  tml_arith_s32_params full = {INT32_MIN, INT32_MAX}, relu6 = {0, 6};
  const int32_t a[4] = {INT32_MAX, 7, -7, 3}, b[4] = {1, -2, 2, 0};
  int32_t out[4];
  s.input1 = s.input2 = s.output = shape1(4);
  CHECK_EQ(tml_add_s32(&full, &s, a, b, out), TML_OK);
  CHECK_ARR(out, INT32_MIN, 5, -5, 3); /* wraps */
  CHECK_EQ(tml_sub_s32(&full, &s, a, b, out), TML_OK);
  CHECK_ARR(out, INT32_MAX - 1, 9, -9, 3);
  CHECK_EQ(tml_mul_s32(&relu6, &s, a, b, out), TML_OK);
  CHECK_ARR(out, 6, 0, 0, 0);
  /* Truncating division; the zero divisor is reported. */
  CHECK_EQ(tml_div_s32(&full, &s, a, b, out), TML_ERR_DIV_BY_ZERO);
  CHECK_ARR(out, INT32_MAX, -3, -3, 0);
  {
    const int32_t m[1] = {INT32_MIN}, neg1[1] = {-1};
    s.input1 = s.input2 = s.output = shape1(1);
    CHECK_EQ(tml_div_s32(&full, &s, m, neg1, out), TML_OK);
    CHECK_EQ(out[0], INT32_MIN);
  }
  {
    /* Scalar broadcast: [4] * scalar. */
    const float x[4] = {1.0f, -2.0f, 3.0f, 10.0f}, k[1] = {2.0f};
    float y[4];
    tml_arith_f32_params act = {-3.0f, 6.0f};
    s.input1 = shape1(4);
    s.input2.rank = 0;
    s.output = shape1(4);
    CHECK_EQ(tml_mul_f32(&act, &s, x, k, y), TML_OK);
    CHECK_F(y[0], 2.0f);
    CHECK_F(y[1], -3.0f);
    CHECK_F(y[2], 6.0f);
    CHECK_EQ(tml_div_f32(&act, &s, x, k, y), TML_OK);
    CHECK_F(y[3], 5.0f);
    CHECK_EQ(tml_add_f32(&act, &s, x, k, y), TML_OK);
    CHECK_F(y[1], 0.0f);
    CHECK_EQ(tml_sub_f32(&act, &s, x, k, y), TML_OK);
    CHECK_F(y[0], -1.0f);
  }
}

static void test_min_max(void) {
  /* [2,2] vs scalar 0 and vs row [5, -5]. */
  const int32_t a[4] = {-1, 2, 7, -9}, row[2] = {5, -5}, zero[1] = {0};
  int32_t out[4];
  tml_binary_shapes s;
  s.input1 = shape2(2, 2);
  s.input2.rank = 0;
  s.output = shape2(2, 2);
  CHECK_EQ(tml_maximum(TML_INT32, &s, a, zero, out), TML_OK);
  CHECK_ARR(out, 0, 2, 7, 0);
  s.input2 = shape1(2);
  CHECK_EQ(tml_minimum(TML_INT32, &s, a, row, out), TML_OK);
  CHECK_ARR(out, -1, -5, 5, -9);
  {
    const int8_t x[2] = {-128, 127}, y[2] = {0, 0};
    int8_t z[2];
    s.input1 = s.input2 = s.output = shape1(2);
    CHECK_EQ(tml_maximum(TML_INT8, &s, x, y, z), TML_OK);
    CHECK_ARR(z, 0, 127);
    CHECK_EQ(tml_maximum(TML_UINT32, &s, x, y, z), TML_ERR_UNSUPPORTED_TYPE);
  }
}

static void test_mean(void) {
  /* 1x2x2x1 [1, 2, 3, 5] over H,W: sum 11, count 4, scale ratio 1.0
   * (2^30, shift 1). TFLM folds 1/4 in: multiplier (2^30 << 2) / 4 = 2^30,
   * shift 1 - 2 = -1: srdhm(11, 0.5) = 5.5 -> 6, rdbpot(6, 1) = 3. */
  tml_mean_s8_params p;
  const int8_t in[4] = {1, 2, 3, 5};
  int8_t out[1];
  int32_t scratch[1];
  memset(&p, 0, sizeof p);
  p.input.rank = 4;
  p.input.dims[0] = 1;
  p.input.dims[1] = 2;
  p.input.dims[2] = 2;
  p.input.dims[3] = 1;
  p.axis_mask = (1u << 1) | (1u << 2);
  p.multiplier = 1 << 30;
  p.shift = 1;
  CHECK_EQ(tml_mean_s8_scratch_size(&p), sizeof(int32_t));
  CHECK_EQ(tml_mean_s8(&p, in, out, scratch), TML_OK);
  CHECK_EQ(out[0], 3);
  /* Zero points: input zp 1 -> (11 - 4) / 4 = 1.75 -> 2; output zp -5 -> -3. */
  p.input_zero_point = 1;
  p.output_zero_point = -5;
  CHECK_EQ(tml_mean_s8(&p, in, out, scratch), TML_OK);
  CHECK_EQ(out[0], -3);
  {
    /* float [2,3] over axis 1 -> [2]. */
    const float f[6] = {1, 2, 3, 4, 5, 9};
    float fo[2];
    tml_mean_f32_params q;
    memset(&q, 0, sizeof q);
    q.input = shape2(2, 3);
    q.axis_mask = 1u << 1;
    CHECK_EQ(tml_mean_f32(&q, f, fo), TML_OK);
    CHECK_F(fo[0], 2.0f);
    CHECK_F(fo[1], 6.0f);
    q.axis_mask = 1u << 2; /* no such dimension */
    CHECK_EQ(tml_mean_f32(&q, f, fo), TML_ERR_BAD_PARAM);
  }
}

static void test_data_movement(void) {
  {
    /* PAD [1, 2] by 1 before, 2 after with 9. */
    const int8_t in[2] = {1, 2}, pv = 9;
    int8_t out[5];
    tml_pad_params p;
    memset(&p, 0, sizeof p);
    p.input = shape1(2);
    p.before[0] = 1;
    p.after[0] = 2;
    p.elem_size = 1;
    CHECK_EQ(tml_pad(&p, in, &pv, out), TML_OK);
    CHECK_ARR(out, 9, 1, 2, 9, 9);
  }
  {
    /* CONCATENATION of [2,1] [[1],[2]] and [2,2] [[3,4],[5,6]] on axis 1. */
    const int32_t a[2] = {1, 2}, b[4] = {3, 4, 5, 6};
    const void *ins[2];
    const int32_t copy[2] = {1, 2};
    int32_t out[6];
    tml_concat_params p;
    ins[0] = a;
    ins[1] = b;
    p.num_inputs = 2;
    p.outer_size = 2;
    p.copy_size = copy;
    p.elem_size = sizeof(int32_t);
    CHECK_EQ(tml_concat(&p, ins, out), TML_OK);
    CHECK_ARR(out, 1, 3, 4, 2, 5, 6);
  }
  {
    /* STRIDED_SLICE of 0..9 from 8 down to (exclusive) 0 by -3: 8, 5, 2. */
    const int16_t in[10] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    int16_t out[3];
    tml_strided_slice_params p;
    memset(&p, 0, sizeof p);
    p.input = shape1(10);
    p.start[0] = 8;
    p.stop[0] = 0;
    p.stride[0] = -3;
    p.elem_size = 2;
    CHECK_EQ(tml_strided_slice(&p, in, out), TML_OK);
    CHECK_ARR(out, 8, 5, 2);
    p.start[0] = 10; /* outside the input */
    CHECK_EQ(tml_strided_slice(&p, in, out), TML_ERR_BAD_PARAM);
  }
  {
    /* TRANSPOSE [2,3] -> [3,2]. */
    const float in[6] = {1, 2, 3, 4, 5, 6};
    float out[6];
    tml_transpose_params p;
    memset(&p, 0, sizeof p);
    p.input = shape2(2, 3);
    p.perm[0] = 1;
    p.perm[1] = 0;
    p.elem_size = 4;
    CHECK_EQ(tml_transpose(&p, in, out), TML_OK);
    CHECK_F(out[0], 1);
    CHECK_F(out[1], 4);
    CHECK_F(out[2], 2);
    CHECK_F(out[5], 6);
    p.perm[1] = 1; /* not a permutation */
    CHECK_EQ(tml_transpose(&p, in, out), TML_ERR_BAD_PARAM);
  }
}

static void test_cast_quantize(void) {
  {
    const uint32_t u[2] = {0xFFFFFFFFu, 7};
    int32_t i32[2];
    const int32_t w[2] = {300, -129};
    int8_t i8[2];
    const float f[3] = {-2.7f, 3e9f, 2.5f};
    int32_t fi[3];
    int16_t s16[1] = {-5};
    float sf[1];
    CHECK_EQ(tml_cast(TML_UINT32, u, TML_INT32, i32, 2), TML_OK);
    CHECK_ARR(i32, -1, 7);
    CHECK_EQ(tml_cast(TML_INT32, w, TML_INT8, i8, 2), TML_OK);
    CHECK_ARR(i8, 44, 127); /* modulo 256 */
    CHECK_EQ(tml_cast(TML_FLOAT32, f, TML_INT32, fi, 3), TML_OK);
    CHECK_ARR(fi, -2, INT32_MAX, 2); /* truncation; out of range saturates */
    CHECK_EQ(tml_cast(TML_INT16, s16, TML_FLOAT32, sf, 1), TML_OK);
    CHECK_F(sf[0], -5.0f);
    CHECK_EQ(tml_cast(TML_UINT8, u, TML_INT32, i32, 1), TML_ERR_UNSUPPORTED_TYPE);
  }
  {
    /* QUANTIZE scale 0.5, zp 0: 0.25 / 0.5 = 0.5 -> 1 and -0.5 -> -1 (ties
     * away from zero); 1000 -> 127; -0.74 -> -1.48 -> -1. */
    const float f[4] = {0.25f, -0.25f, 1000.0f, -0.74f};
    int8_t q[4];
    int16_t q16[1];
    tml_quantize_f32_params p = {0.5f, 0};
    CHECK_EQ(tml_quantize_f32_s8(&p, f, q, 4), TML_OK);
    CHECK_ARR(q, 1, -1, 127, -1);
    CHECK_EQ(tml_quantize_f32_s16(&p, f + 2, q16, 1), TML_OK);
    CHECK_EQ(q16[0], 2000);
  }
  {
    /* Requantize int8 -> int8, same scale (2^30, shift 1 = 1.0), zp 10 -> -5. */
    const int8_t in[2] = {20, -128};
    int8_t out[2];
    uint8_t u8[2];
    tml_requantize_params p = {TML_INT8, TML_INT8, 10, -5, 1 << 30, 1};
    CHECK_EQ(tml_quantize_int(&p, in, out, 2), TML_OK);
    CHECK_ARR(out, 5, -128); /* -138 - 5 clamps */
    /* int8 -> uint8 with zp 0 -> 128: the XOR-0x80 case. */
    p.output_type = TML_UINT8;
    p.input_zero_point = 0;
    p.output_zero_point = 128;
    CHECK_EQ(tml_quantize_int(&p, in, u8, 2), TML_OK);
    CHECK_ARR(u8, 148, 0);
    p.input_type = TML_FLOAT32;
    CHECK_EQ(tml_quantize_int(&p, in, u8, 2), TML_ERR_UNSUPPORTED_TYPE);
  }
  {
    const int8_t q[2] = {7, -128};
    float f[2];
    tml_dequantize_params p = {0.5f, 3};
    CHECK_EQ(tml_dequantize_s8(&p, q, f, 2), TML_OK);
    CHECK_F(f[0], 2.0f);
    CHECK_F(f[1], -65.5f);
  }
}

static void test_activations(void) {
  {
    /* LOGISTIC/TANH int8, input scale 1/16 (real multiplier 2^-4 * 2^27 =
     * 2^23 -> 2^30, shift 24), zp 0, radius CalculateInputRadius(4, 24) =
     * floor(15 * 2^27 / 2^24) = 120. */
    const int8_t in[4] = {0, 120, -120, 16};
    int8_t out[4];
    tml_logistic_s8_params p = {0, 120, 1 << 30, 24};
    CHECK_EQ(tml_logistic_s8(&p, in, out, 4), TML_OK);
    /* 0 -> 0.5 -> 0; +-radius saturates; 1.0 -> 0.731 * 256 - 128 = 59.1 -> 59. */
    CHECK_ARR(out, 0, 127, -128, 59);
    CHECK_EQ(tml_tanh_s8(&p, in, out, 4), TML_OK);
    /* tanh(1) = 0.7616 * 128 = 97.5 -> 97 or 98 depending on the last bit. */
    CHECK_EQ(out[0], 0);
    CHECK_EQ(out[1], 127);
    CHECK_EQ(out[2], -128);
    CHECK_EQ(out[3] == 97 || out[3] == 98, 1);
  }
  {
    const float f[3] = {0.0f, 20.0f, -1.0f};
    float o[3];
    CHECK_EQ(tml_logistic_f32(f, o, 3), TML_OK);
    CHECK_F(o[0], 0.5f);
    CHECK_F(o[1], 1.0f);
    CHECK_EQ(tml_tanh_f32(f, o, 3), TML_OK);
    CHECK_F(o[0], 0.0f);
    CHECK_EQ(tml_relu_f32(f, o, 3), TML_OK);
    CHECK_F(o[2], 0.0f);
    CHECK_EQ(tml_relu6_f32(f, o, 3), TML_OK);
    CHECK_F(o[1], 6.0f);
    CHECK_EQ(tml_hard_swish_f32(f, o, 3), TML_OK);
    CHECK_F(o[1], 20.0f);               /* 20 * 6 / 6 */
    CHECK_F(o[2], -1.0f * 2.0f / 6.0f); /* -1 * min(6, 2) / 6 */
  }
  {
    /* RELU int8 with scale ratio 1.0 (2^30, shift 1), zps -10 -> -10:
     * act_min = max(-128, -10). */
    const int8_t in[3] = {-50, -10, 20};
    int8_t out[3];
    tml_relu_s8_params p = {-10, -10, 1 << 30, 1, -10, 127};
    tml_relu6_s8_params p6 = {-10, 50};
    CHECK_EQ(tml_relu_s8(&p, in, out, 3), TML_OK);
    CHECK_ARR(out, -10, -10, 20);
    CHECK_EQ(tml_relu6_s8(&p6, in, out, 3), TML_OK);
    CHECK_ARR(out, -10, -10, 20);
    p6.six = 15;
    CHECK_EQ(tml_relu6_s8(&p6, in, out, 3), TML_OK);
    CHECK_ARR(out, -10, -10, 15);
  }
  {
    /* HARD_SWISH int8: an input at the zero point is 0 -> output zero point. */
    const int8_t in[1] = {7};
    int8_t out[1];
    tml_hard_swish_s8_params p = {7, -3, 16384, 0, 16384, -2};
    CHECK_EQ(tml_hard_swish_s8(&p, in, out, 1), TML_OK);
    CHECK_EQ(out[0], -3);
    p.output_multiplier_exponent = 1;
    CHECK_EQ(tml_hard_swish_s8(&p, in, out, 1), TML_ERR_BAD_PARAM);
  }
}

int main(void) {
  test_fixedpoint();
  test_conv();
  test_conv_padding_dilation();
  test_depthwise();
  test_fully_connected();
  test_pools();
  test_softmax();
  test_add_sub();
  test_mul_div();
  test_int32_float_arith();
  test_min_max();
  test_mean();
  test_data_movement();
  test_cast_quantize();
  test_activations();
  printf("%d checks, %d failures\n", checks, failures);
  return failures ? 1 : 0;
}
