/*
 * tml_kernels.h — the tinyml C kernel library (C99, no malloc, no printing).
 *
 * These are the *Eval* halves of TensorFlow Lite Micro's reference kernels as
 * plain functions. Everything TFLM computes in a kernel's Prepare (requantize
 * multipliers and shifts, padding offsets, activation ranges, softmax/logistic/
 * tanh parameters, resolved slice bounds) is computed at build time by the
 * tinyml TypeScript code generator and passed in the param structs below, so
 * for the same inputs and params the outputs are bit-identical to TFLM's.
 *
 * Conventions
 *  - Layouts: activations NHWC; CONV_2D filter OHWI ([out_c][fh][fw][in_c/groups]);
 *    DEPTHWISE_CONV_2D filter 1HW(C*M) ([1][fh][fw][in_c*depth_multiplier]);
 *    FULLY_CONNECTED weights [output_depth][accum_depth]. All row-major.
 *  - Quantized offsets follow TFLM: `input_offset = -input_zero_point`,
 *    `filter_offset = -filter_zero_point`, `output_offset = +output_zero_point`.
 *    Structs whose fields are named `*_zero_point` take the zero point itself.
 *  - Multipliers are Q31 (`0 <= multiplier < 2^31`, usually >= 2^30) with a
 *    power-of-two `shift` (positive = left), as TFLM's QuantizeMultiplier.
 *    Rounding is TFLM's default double rounding (TFLITE_SINGLE_ROUNDING unset).
 *  - Activation ranges (`act_min`, `act_max`) are already clamped to the
 *    output type's range, as TFLM's CalculateActivationRange[Quantized].
 *  - Shapes have at most TML_MAX_DIMS dimensions. Binary elementwise ops
 *    broadcast numpy-style (right-aligned; a dimension of 1 stretches).
 *  - Every kernel returns a tml_status; TML_OK on success. A kernel that fails
 *    a parameter or shape check writes nothing (the exceptions: DIV's
 *    TML_ERR_DIV_BY_ZERO and AVERAGE_POOL's empty-window error, reported
 *    after or while writing, as TFLM). Scratch memory is owned by the caller
 *    and sized by the matching tml_<op>_<dtype>_scratch_size().
 *  - Float kernels use only single precision (float); integer kernels use no
 *    floating point at all.
 *  - Inputs and outputs must not alias unless a function says so.
 *
 * Fixed-point helpers (SaturatingRoundingDoublingHighMul, RoundingDivideByPOT,
 * MultiplyByQuantizedMultiplier, gemmlowp's exp/logistic/tanh/reciprocal) live
 * in the internal header tml_fixedpoint.h, documented there.
 */
#ifndef TML_KERNELS_H
#define TML_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TML_MAX_DIMS 6

/* ---------------------------------------------------------------- status */

typedef enum {
  TML_OK = 0,
  TML_ERR_NULL_POINTER = 1,  /* a required pointer was NULL */
  TML_ERR_BAD_SHAPE = 2,     /* shapes inconsistent / not broadcastable / rank > max */
  TML_ERR_BAD_PARAM = 3,     /* a parameter is out of its documented range */
  TML_ERR_UNSUPPORTED_TYPE = 4, /* dtype combination not supported */
  TML_ERR_DIV_BY_ZERO = 5    /* integer DIV met a zero divisor (that element -> 0) */
} tml_status;

/** Element types, numbered as TFLite's TensorType enum. */
typedef enum {
  TML_FLOAT32 = 0,
  TML_INT32 = 2,
  TML_UINT8 = 3,
  TML_BOOL = 6, /* one byte, 0 or 1 */
  TML_INT16 = 7,
  TML_INT8 = 9,
  TML_UINT32 = 15
} tml_dtype;

/** A tensor shape; dims[0..rank-1] are used, rank 0 is a scalar. */
typedef struct {
  int32_t rank;
  int32_t dims[TML_MAX_DIMS];
} tml_shape;

/** Shapes of a binary elementwise op (broadcasting, up to TML_MAX_DIMS). */
typedef struct {
  tml_shape input1;
  tml_shape input2;
  tml_shape output;
} tml_binary_shapes;

/** Size in bytes of one element of `type` (0 if unknown). */
size_t tml_dtype_size(tml_dtype type);

/* ------------------------------------------------- convolution geometry */

/**
 * Spatial geometry shared by CONV_2D, DEPTHWISE_CONV_2D and the pools.
 * Input [batches][input_h][input_w][input_c], output
 * [batches][output_h][output_w][output_c]. The input pixel read for output
 * (oy, ox) and filter tap (fy, fx) is
 *   (oy*stride_h - pad_h + fy*dilation_h, ox*stride_w - pad_w + fx*dilation_w);
 * taps outside the input are skipped (pads/pools: not counted). pad_h/pad_w are
 * TFLM's padding_values (the top/left padding from ComputePaddingHeightWidth).
 * Pools ignore dilation and require output_c == input_c.
 */
/* tml:struct tml_window (generated from src/codegen/aot/kernel-structs.ts) */
typedef struct {
  int32_t batches;
  int32_t input_h;
  int32_t input_w;
  int32_t input_c;
  int32_t filter_h;
  int32_t filter_w;
  int32_t output_h;
  int32_t output_w;
  int32_t output_c;
  int32_t stride_h;
  int32_t stride_w;
  int32_t dilation_h;
  int32_t dilation_w;
  int32_t pad_h;
  int32_t pad_w;
} tml_window;
/* tml:end */

/* ------------------------------------------------------------- CONV_2D */

/** Per-channel int8 convolution (TFLM reference_integer_ops::ConvPerChannel). */
/* tml:struct tml_conv2d_s8_params (generated from src/codegen/aot/kernel-structs.ts) */
typedef struct {
  tml_window win;
  int32_t filter_input_c; /* filter dim 3; groups = input_c / filter_input_c */
  int32_t input_offset; /* -input zero point, [-127, 128] */
  int32_t output_offset; /* output zero point, [-128, 127] */
  int32_t act_min; /* within [-128, 127] */
  int32_t act_max; /* within [-128, 127] */
  const int32_t *output_multiplier; /* [output_c] */
  const int32_t *output_shift; /* [output_c] */
} tml_conv2d_s8_params;
/* tml:end */

/**
 * The variant tml_conv2d_s8 runs on cores with the DSP extension (elsewhere
 * always the generic one): pointwise (1x1, no padding) and windows widen the
 * windows of 4 or 2 pixels into scratch; generic works on the runs of each
 * window.
 */
typedef enum {
  TML_CONV2D_S8_GENERIC = 0,
  TML_CONV2D_S8_POINTWISE = 1,
  TML_CONV2D_S8_WINDOWS = 2
} tml_conv2d_s8_variant;

tml_conv2d_s8_variant tml_conv2d_s8_select(const tml_conv2d_s8_params *p);

/** Bytes of scratch tml_conv2d_s8 needs (the same on every target: the most any variant uses). */
size_t tml_conv2d_s8_scratch_size(const tml_conv2d_s8_params *p);

/** bias: int32 [output_c] or NULL. scratch: tml_conv2d_s8_scratch_size(p) bytes, 8-byte aligned. */
tml_status tml_conv2d_s8(const tml_conv2d_s8_params *p, const int8_t *input,
                         const int8_t *filter, const int32_t *bias,
                         int8_t *output, void *scratch);

/**
 * tml_conv2d_s8 with the variant chosen by the caller: callers that know
 * it (the AOT generator mirrors tml_conv2d_s8_select) link only the
 * variants they run. On cores with the DSP extension pointwise and windows
 * return TML_ERR_BAD_PARAM when tml_conv2d_s8_select(p) names another
 * variant; elsewhere they run the generic variant, as tml_conv2d_s8 does.
 * generic is right for any params. Same args, same results bit for bit.
 */
tml_status tml_conv2d_s8_run_pointwise(const tml_conv2d_s8_params *p, const int8_t *input,
                                       const int8_t *filter, const int32_t *bias,
                                       int8_t *output, void *scratch);
tml_status tml_conv2d_s8_run_windows(const tml_conv2d_s8_params *p, const int8_t *input,
                                     const int8_t *filter, const int32_t *bias,
                                     int8_t *output, void *scratch);
tml_status tml_conv2d_s8_run_generic(const tml_conv2d_s8_params *p, const int8_t *input,
                                     const int8_t *filter, const int32_t *bias,
                                     int8_t *output, void *scratch);

/* tml:struct tml_conv2d_f32_params (generated from src/codegen/aot/kernel-structs.ts) */
typedef struct {
  tml_window win;
  int32_t filter_input_c;
  float act_min; /* -FLT_MAX/FLT_MAX (not inf) for no activation is fine */
  float act_max;
} tml_conv2d_f32_params;
/* tml:end */

tml_status tml_conv2d_f32(const tml_conv2d_f32_params *p, const float *input,
                          const float *filter, const float *bias,
                          float *output);

/* --------------------------------------------------- DEPTHWISE_CONV_2D */

/** output_c == input_c * depth_multiplier; out channel = ic*depth_multiplier + m. */
/* tml:struct tml_depthwise_conv2d_s8_params (generated from src/codegen/aot/kernel-structs.ts) */
typedef struct {
  tml_window win;
  int32_t depth_multiplier;
  int32_t input_offset; /* -input zero point */
  int32_t output_offset; /* output zero point */
  int32_t act_min;
  int32_t act_max;
  const int32_t *output_multiplier; /* [output_c] */
  const int32_t *output_shift; /* [output_c] */
} tml_depthwise_conv2d_s8_params;
/* tml:end */

/**
 * The variant tml_depthwise_conv2d_s8 runs: as_conv (one input channel, 16
 * taps or more: tml_conv2d_s8 on the transposed filter); blocks of four
 * channels on cores with the DSP extension (the pixels variant does the
 * channels left over, and everything elsewhere); pixels.
 */
typedef enum {
  TML_DEPTHWISE_CONV2D_S8_PIXELS = 0,
  TML_DEPTHWISE_CONV2D_S8_AS_CONV = 1,
  TML_DEPTHWISE_CONV2D_S8_BLOCKS = 2
} tml_depthwise_conv2d_s8_variant;

tml_depthwise_conv2d_s8_variant tml_depthwise_conv2d_s8_select(
    const tml_depthwise_conv2d_s8_params *p);

/** Bytes of scratch tml_depthwise_conv2d_s8 needs (the same on every target). */
size_t tml_depthwise_conv2d_s8_scratch_size(const tml_depthwise_conv2d_s8_params *p);

/** scratch: tml_depthwise_conv2d_s8_scratch_size(p) bytes, 8-byte aligned. */
tml_status tml_depthwise_conv2d_s8(const tml_depthwise_conv2d_s8_params *p,
                                   const int8_t *input, const int8_t *filter,
                                   const int32_t *bias, int8_t *output, void *scratch);

/**
 * tml_depthwise_conv2d_s8 in bands of band_rows output rows (0: the whole
 * output at once), each band finished before the next is read. The blocks
 * variant otherwise sweeps every pixel once per four channels; in bands
 * the output may overwrite the input's rows behind the band, so the memory
 * plan can run the op in place. Same results bit for bit.
 */
tml_status tml_depthwise_conv2d_s8_rows(const tml_depthwise_conv2d_s8_params *p,
                                        int32_t band_rows, const int8_t *input,
                                        const int8_t *filter, const int32_t *bias,
                                        int8_t *output, void *scratch);

/**
 * tml_depthwise_conv2d_s8_rows with the variant chosen by the caller:
 * callers that know it (the AOT generator mirrors
 * tml_depthwise_conv2d_s8_select) link only the variants they run. On
 * cores with the DSP extension blocks returns TML_ERR_BAD_PARAM unless
 * tml_depthwise_conv2d_s8_select(p) names it and its blocks of four cover
 * every channel (depth multiplier a multiple of 4, or output_c a multiple of 4);
 * elsewhere it runs the pixels variant, as the dispatcher does. pixels is
 * right for any params. Same args, same results bit for bit.
 */
tml_status tml_depthwise_conv2d_s8_run_blocks(const tml_depthwise_conv2d_s8_params *p,
                                              int32_t band_rows, const int8_t *input,
                                              const int8_t *filter, const int32_t *bias,
                                              int8_t *output, void *scratch);
tml_status tml_depthwise_conv2d_s8_run_pixels(const tml_depthwise_conv2d_s8_params *p,
                                              int32_t band_rows, const int8_t *input,
                                              const int8_t *filter, const int32_t *bias,
                                              int8_t *output, void *scratch);

/* tml:struct tml_depthwise_conv2d_f32_params (generated from src/codegen/aot/kernel-structs.ts) */
typedef struct {
  tml_window win;
  int32_t depth_multiplier;
  float act_min;
  float act_max;
} tml_depthwise_conv2d_f32_params;
/* tml:end */

tml_status tml_depthwise_conv2d_f32(const tml_depthwise_conv2d_f32_params *p,
                                    const float *input, const float *filter,
                                    const float *bias, float *output);

/* ----------------------------------------------------- FULLY_CONNECTED */

/**
 * input [batches][accum_depth], weights [output_depth][accum_depth],
 * output [batches][output_depth]. per_channel = 0: multiplier[0]/shift[0] for
 * all outputs (TFLM FullyConnected, honours filter_offset); per_channel = 1:
 * [output_depth] arrays (TFLM FullyConnectedPerChannel, filter_offset must be 0).
 */
/* tml:struct tml_fully_connected_s8_params (generated from src/codegen/aot/kernel-structs.ts) */
typedef struct {
  int32_t batches;
  int32_t accum_depth;
  int32_t output_depth;
  int32_t input_offset; /* -input zero point */
  int32_t filter_offset; /* -weights zero point (0 for symmetric int8 weights) */
  int32_t output_offset; /* output zero point */
  int32_t act_min;
  int32_t act_max;
  int32_t per_channel; /* 1: output_multiplier/output_shift are [output_depth]; 0: [1] */
  const int32_t *output_multiplier;
  const int32_t *output_shift;
} tml_fully_connected_s8_params;
/* tml:end */

tml_status tml_fully_connected_s8(const tml_fully_connected_s8_params *p,
                                  const int8_t *input, const int8_t *weights,
                                  const int32_t *bias, int8_t *output);

/**
 * FULLY_CONNECTED int8 on weights packed at build time, for a zero filter
 * offset. The input offset is folded into the bias, which is required:
 *   bias[oc] = TFLM's bias[oc] (0 without one) + input_offset * sum_d w[oc][d]
 * (modulo 2^32). The rows are packed in groups of four (the last group has
 * output_depth % 4 rows when that is not 0): group g, rows [4g, 4g + R),
 * starts at byte 4g * accum_depth and holds, for each chunk c of four input
 * columns, R words (row 4g + r's bytes 4c..4c+3), then for each remaining
 * column d (accum_depth % 4 of them) R bytes (row 4g + r's byte d).
 * src/codegen/aot/fc-pack.ts writes this layout.
 */
/* tml:struct tml_fully_connected_s8_packed_params (generated from src/codegen/aot/kernel-structs.ts) */
typedef struct {
  int32_t batches;
  int32_t accum_depth;
  int32_t output_depth;
  int32_t output_offset; /* output zero point */
  int32_t act_min;
  int32_t act_max;
  int32_t per_channel; /* 1: output_multiplier/output_shift are [output_depth]; 0: [1] */
  const int32_t *output_multiplier;
  const int32_t *output_shift;
} tml_fully_connected_s8_packed_params;
/* tml:end */

tml_status tml_fully_connected_s8_packed(const tml_fully_connected_s8_packed_params *p,
                                         const int8_t *input, const int8_t *packed,
                                         const int32_t *bias, int8_t *output);

/** tml_fully_connected_s8_packed for per_channel 0 (else TML_ERR_BAD_PARAM), linking one copy of the loop. */
tml_status tml_fully_connected_s8_packed_per_tensor(
    const tml_fully_connected_s8_packed_params *p, const int8_t *input, const int8_t *packed,
    const int32_t *bias, int8_t *output);

/* tml:struct tml_fully_connected_f32_params (generated from src/codegen/aot/kernel-structs.ts) */
typedef struct {
  int32_t batches;
  int32_t accum_depth;
  int32_t output_depth;
  float act_min;
  float act_max;
} tml_fully_connected_f32_params;
/* tml:end */

tml_status tml_fully_connected_f32(const tml_fully_connected_f32_params *p,
                                   const float *input, const float *weights,
                                   const float *bias, float *output);

/* --------------------------------------------- AVERAGE_POOL_2D / MAX_POOL_2D */

/** Pools: win.filter_h/filter_w is the pool size; input and output share zero point/scale. */
/* tml:struct tml_pool_s8_params (generated from src/codegen/aot/kernel-structs.ts) */
typedef struct {
  tml_window win;
  int32_t act_min;
  int32_t act_max;
} tml_pool_s8_params;
/* tml:end */

/* tml:struct tml_pool_f32_params (generated from src/codegen/aot/kernel-structs.ts) */
typedef struct {
  tml_window win;
  float act_min;
  float act_max;
} tml_pool_f32_params;
/* tml:end */

/** Average rounds half away from zero; TML_ERR_BAD_PARAM if a window covers no input. */
tml_status tml_avg_pool2d_s8(const tml_pool_s8_params *p, const int8_t *input,
                             int8_t *output);
tml_status tml_avg_pool2d_f32(const tml_pool_f32_params *p, const float *input,
                              float *output);
tml_status tml_max_pool2d_s8(const tml_pool_s8_params *p, const int8_t *input,
                             int8_t *output);
tml_status tml_max_pool2d_f32(const tml_pool_f32_params *p, const float *input,
                              float *output);

/* ------------------------------------------------------------- SOFTMAX */

/**
 * Softmax over the last dimension (rows of `depth`). input_multiplier /
 * input_left_shift / diff_min come from TFLM's PreprocessSoftmaxScaling
 * (kScaledDiffIntegerBits = 5) and CalculateInputRadius(5, left_shift, 31)
 * (diff_min = -radius). Output int8 has scale 1/256, zero point -128.
 */
/* tml:struct tml_softmax_s8_params (generated from src/codegen/aot/kernel-structs.ts) */
typedef struct {
  int32_t outer_size;
  int32_t depth;
  int32_t input_multiplier;
  int32_t input_left_shift; /* >= 0 */
  int32_t diff_min; /* <= 0 */
} tml_softmax_s8_params;
/* tml:end */

tml_status tml_softmax_s8(const tml_softmax_s8_params *p, const int8_t *input,
                          int8_t *output);
/** int8 input, int16 output (scale 1/65536, zero point -32768, as TFLM's SoftmaxPrepare requires). */
tml_status tml_softmax_s8_s16(const tml_softmax_s8_params *p,
                              const int8_t *input, int16_t *output);

/* tml:struct tml_softmax_f32_params (generated from src/codegen/aot/kernel-structs.ts) */
typedef struct {
  int32_t outer_size;
  int32_t depth;
  float beta;
} tml_softmax_f32_params;
/* tml:end */

tml_status tml_softmax_f32(const tml_softmax_f32_params *p, const float *input,
                           float *output);

/* ------------------------------------------------------ ADD / SUB (int8) */

/**
 * Quantized ADD/SUB (TFLM AddElementwise / SubElementwise): each input is
 * offset, shifted left by left_shift (20 for int8), rescaled by its multiplier
 * (shift <= 0), summed (or subtracted), rescaled by the output multiplier.
 */
/* tml:struct tml_add_s8_params (generated from src/codegen/aot/kernel-structs.ts) */
typedef struct {
  int32_t left_shift;
  int32_t input1_offset; /* -zero point */
  int32_t input1_multiplier;
  int32_t input1_shift;
  int32_t input2_offset; /* -zero point */
  int32_t input2_multiplier;
  int32_t input2_shift;
  int32_t output_offset; /* +zero point */
  int32_t output_multiplier;
  int32_t output_shift;
  int32_t act_min;
  int32_t act_max;
} tml_add_s8_params;
/* tml:end */
typedef tml_add_s8_params tml_sub_s8_params;

tml_status tml_add_s8(const tml_add_s8_params *p, const tml_binary_shapes *s,
                      const int8_t *input1, const int8_t *input2,
                      int8_t *output);
tml_status tml_sub_s8(const tml_sub_s8_params *p, const tml_binary_shapes *s,
                      const int8_t *input1, const int8_t *input2,
                      int8_t *output);

/**
 * Whether tml_add_s8 / tml_sub_s8 take their 32-bit runs for these params
 * (the kind TFLM's Prepare makes). Then tml_add_s8_runs32 and
 * tml_sub_s8_runs32 give the same bits and link nothing else; for other
 * params they return TML_ERR_BAD_PARAM. The AOT generator calls them where
 * it knows the answer, so an image carries only the path its model runs.
 */
int tml_add_sub_s8_takes_runs32(const tml_add_s8_params *p);
tml_status tml_add_s8_runs32(const tml_add_s8_params *p, const tml_binary_shapes *s,
                             const int8_t *input1, const int8_t *input2, int8_t *output);
tml_status tml_sub_s8_runs32(const tml_sub_s8_params *p, const tml_binary_shapes *s,
                             const int8_t *input1, const int8_t *input2, int8_t *output);

/* ---------------------------------------------------- MUL / DIV (int8/16) */

/**
 * Quantized MUL (TFLM MulElementwise) and DIV (TFLM DivElementwise):
 * MUL: out = offset_o + MBQM((x1+off1)*(x2+off2), multiplier, shift);
 * DIV: out = offset_o + (x1+off1)/(x2+off2) rescaled by multiplier/shift with
 * TFLM's reciprocal arithmetic (x2+off2 == 0: that element is 0 and the call
 * returns TML_ERR_DIV_BY_ZERO). Where TFLM's DIV rounds right by more than 31
 * bits — every quotient under half an output step, always for a numerator
 * equal to its zero point — gemmlowp's RoundingDivideByPOT is undefined: TFLM's
 * default build aborts on its assert, its NDEBUG x86 build returns zp + 1 for
 * a zero numerator and wrapped values (often 127/-128) otherwise, Cortex-M
 * gives zp +/- 1. Here (and in the TypeScript reference, div.ts) that
 * quotient is the exactly rounded 0, so the output is the zero point. For
 * int16 MUL all offsets must be 0 (as TFLM).
 */
/* tml:struct tml_mul_s8_params (generated from src/codegen/aot/kernel-structs.ts) */
typedef struct {
  int32_t input1_offset; /* -zero point */
  int32_t input2_offset; /* -zero point */
  int32_t output_offset; /* +zero point */
  int32_t output_multiplier;
  int32_t output_shift;
  int32_t act_min;
  int32_t act_max;
} tml_mul_s8_params;
/* tml:end */
typedef tml_mul_s8_params tml_mul_s16_params;
typedef tml_mul_s8_params tml_div_s8_params;

tml_status tml_mul_s8(const tml_mul_s8_params *p, const tml_binary_shapes *s,
                      const int8_t *input1, const int8_t *input2,
                      int8_t *output);
tml_status tml_mul_s16(const tml_mul_s16_params *p, const tml_binary_shapes *s,
                       const int16_t *input1, const int16_t *input2,
                       int16_t *output);
tml_status tml_div_s8(const tml_div_s8_params *p, const tml_binary_shapes *s,
                      const int8_t *input1, const int8_t *input2,
                      int8_t *output);

/* --------------------------------- ADD / SUB / MUL / DIV (int32, float32) */

/**
 * Plain int32 arithmetic with a clamp, as TFLM. Overflow wraps (two's
 * complement), as TFLM's WrappingMul / the hardware. TFLM's int32 ADD ignores
 * the fused activation: pass INT32_MIN/INT32_MAX for it. DIV truncates toward
 * zero; a zero divisor (undefined in TFLM) yields 0 (then clamped) for that
 * element, the other elements are computed, and the call returns
 * TML_ERR_DIV_BY_ZERO; INT32_MIN / -1 yields INT32_MIN.
 */
/* tml:struct tml_arith_s32_params (generated from src/codegen/aot/kernel-structs.ts) */
typedef struct {
  int32_t act_min;
  int32_t act_max;
} tml_arith_s32_params;
/* tml:end */

/* tml:struct tml_arith_f32_params (generated from src/codegen/aot/kernel-structs.ts) */
typedef struct {
  float act_min;
  float act_max;
} tml_arith_f32_params;
/* tml:end */

tml_status tml_add_s32(const tml_arith_s32_params *p, const tml_binary_shapes *s,
                       const int32_t *input1, const int32_t *input2,
                       int32_t *output);
tml_status tml_sub_s32(const tml_arith_s32_params *p, const tml_binary_shapes *s,
                       const int32_t *input1, const int32_t *input2,
                       int32_t *output);
tml_status tml_mul_s32(const tml_arith_s32_params *p, const tml_binary_shapes *s,
                       const int32_t *input1, const int32_t *input2,
                       int32_t *output);
tml_status tml_div_s32(const tml_arith_s32_params *p, const tml_binary_shapes *s,
                       const int32_t *input1, const int32_t *input2,
                       int32_t *output);
tml_status tml_add_f32(const tml_arith_f32_params *p, const tml_binary_shapes *s,
                       const float *input1, const float *input2, float *output);
tml_status tml_sub_f32(const tml_arith_f32_params *p, const tml_binary_shapes *s,
                       const float *input1, const float *input2, float *output);
tml_status tml_mul_f32(const tml_arith_f32_params *p, const tml_binary_shapes *s,
                       const float *input1, const float *input2, float *output);
tml_status tml_div_f32(const tml_arith_f32_params *p, const tml_binary_shapes *s,
                       const float *input1, const float *input2, float *output);

/* ------------------------------------------------- MINIMUM / MAXIMUM */

/** type: TML_INT8, TML_INT16, TML_INT32 or TML_FLOAT32 (a > b ? a : b, as TFLM). */
tml_status tml_maximum(tml_dtype type, const tml_binary_shapes *s,
                       const void *input1, const void *input2, void *output);
tml_status tml_minimum(tml_dtype type, const tml_binary_shapes *s,
                       const void *input1, const void *input2, void *output);

/* --------------------------------------------------------------- MEAN */

/**
 * MEAN over the dimensions whose bit is set in axis_mask (bit d = dim d,
 * negative axes and duplicates resolved at build time). keep_dims does not
 * change the data. int8: multiplier/shift = QuantizeMultiplier(in_scale /
 * out_scale), TFLM's OpDataReduce values (the TypeScript reference's
 * MeanParams carry the same); the kernel folds 1/count into them at run time
 * exactly as TFLM's QuantizedMeanOrSum Eval does. Needs scratch of tml_mean_s8_scratch_size() bytes
 * (int32 accumulators, one per output element, int32-aligned).
 */
typedef struct {
  tml_shape input;
  uint32_t axis_mask;
  int32_t input_zero_point, output_zero_point;
  int32_t multiplier, shift;
} tml_mean_s8_params;

size_t tml_mean_s8_scratch_size(const tml_mean_s8_params *p);
tml_status tml_mean_s8(const tml_mean_s8_params *p, const int8_t *input,
                       int8_t *output, int32_t *scratch);

typedef struct {
  tml_shape input;
  uint32_t axis_mask;
} tml_mean_f32_params;

/** Accumulates in `output` (no scratch), in input order, then divides. */
tml_status tml_mean_f32(const tml_mean_f32_params *p, const float *input,
                        float *output);

/* ---------------------------------------------------------------- PAD */

/**
 * PAD (type-generic): output dim d = before[d] + input.dims[d] + after[d];
 * padded elements are copies of *pad_value (elem_size bytes; for int8 the
 * output zero point, for PADV2 the constant). before/after >= 0.
 */
typedef struct {
  tml_shape input;
  int32_t before[TML_MAX_DIMS];
  int32_t after[TML_MAX_DIMS];
  size_t elem_size;
} tml_pad_params;

tml_status tml_pad(const tml_pad_params *p, const void *input,
                   const void *pad_value, void *output);

/* ------------------------------------------------------ CONCATENATION */

/**
 * Type-generic CONCATENATION along one axis (no requantization: TFLM requires
 * equal scales for int8). outer_size = product of dims before the axis;
 * copy_size[i] = input i's axis dim * product of dims after the axis.
 */
typedef struct {
  int32_t num_inputs;
  int32_t outer_size;
  const int32_t *copy_size; /* [num_inputs], in elements */
  size_t elem_size;
} tml_concat_params;

tml_status tml_concat(const tml_concat_params *p, const void *const *inputs,
                      void *output);

/* ------------------------------------------------------- STRIDED_SLICE */

/**
 * Type-generic STRIDED_SLICE with bounds already resolved by TFLM's
 * StartForAxis/StopForAxis (masks, shrink axis, negative indices handled at
 * build time). For each dim d: i = start[d]; stride > 0 ? i < stop : i > stop;
 * i += stride[d]. stride != 0.
 */
typedef struct {
  tml_shape input;
  int32_t start[TML_MAX_DIMS];
  int32_t stop[TML_MAX_DIMS];
  int32_t stride[TML_MAX_DIMS];
  size_t elem_size;
} tml_strided_slice_params;

tml_status tml_strided_slice(const tml_strided_slice_params *p,
                             const void *input, void *output);

/* ---------------------------------------------------------- TRANSPOSE */

/** output.dims[i] = input.dims[perm[i]]; perm is a permutation of 0..rank-1. */
typedef struct {
  tml_shape input;
  int32_t perm[TML_MAX_DIMS];
  size_t elem_size;
} tml_transpose_params;

tml_status tml_transpose(const tml_transpose_params *p, const void *input,
                         void *output);

/* --------------------------------------------------------------- CAST */

/**
 * CAST between TML_INT8, TML_INT16, TML_INT32, TML_UINT32, TML_FLOAT32 and
 * TML_BOOL (input only, as TFLM) with C conversion semantics (= TFLM's
 * static_cast): integers wrap modulo 2^n, float->int truncates toward zero.
 * Float values outside the destination range (and NaN) are undefined in C and
 * TFLM; here they saturate (NaN -> 0), the Cortex-M VCVT behaviour.
 */
tml_status tml_cast(tml_dtype input_type, const void *input,
                    tml_dtype output_type, void *output, int32_t count);

/* ---------------------------------------------- QUANTIZE / DEQUANTIZE */

/** float -> int8/int16: q = clamp(round_half_away(x / scale) + zero_point). */
/* tml:struct tml_quantize_f32_params (generated from src/codegen/aot/kernel-structs.ts) */
typedef struct {
  float scale; /* the output tensor's scale (division, not a reciprocal, as TFLM) */
  int32_t zero_point;
} tml_quantize_f32_params;
/* tml:end */

tml_status tml_quantize_f32_s8(const tml_quantize_f32_params *p,
                               const float *input, int8_t *output,
                               int32_t count);
tml_status tml_quantize_f32_s16(const tml_quantize_f32_params *p,
                                const float *input, int16_t *output,
                                int32_t count);

/**
 * Integer -> integer QUANTIZE (TFLM Requantize): out = clamp(zp_out +
 * MBQM(x - zp_in, multiplier, shift)), multiplier/shift =
 * QuantizeMultiplier(in_scale / out_scale). Supported (in -> out) pairs as
 * TFLM: int8->{int8,uint8,int16,int32}, int16->{int8,int16,int32},
 * int32->{int8,int16}, uint8->int8.
 */
/* tml:struct tml_requantize_params (generated from src/codegen/aot/kernel-structs.ts) */
typedef struct {
  tml_dtype input_type;
  tml_dtype output_type;
  int32_t input_zero_point;
  int32_t output_zero_point;
  int32_t multiplier;
  int32_t shift;
} tml_requantize_params;
/* tml:end */

tml_status tml_quantize_int(const tml_requantize_params *p, const void *input,
                            void *output, int32_t count);

/** int8/int16 -> float: scale * (q - zero_point). */
/* tml:struct tml_dequantize_params (generated from src/codegen/aot/kernel-structs.ts) */
typedef struct {
  float scale;
  int32_t zero_point;
} tml_dequantize_params;
/* tml:end */

tml_status tml_dequantize_s8(const tml_dequantize_params *p,
                             const int8_t *input, float *output, int32_t count);
tml_status tml_dequantize_s16(const tml_dequantize_params *p,
                              const int16_t *input, float *output,
                              int32_t count);

/* ------------------------------------------------------ LOGISTIC / TANH */

/**
 * int8 LOGISTIC/TANH (TFLM reference_integer_ops): inputs with
 * |x - input_zero_point| >= input_range_radius saturate; others are scaled
 * to Q4.27 by MBQM(x - zp, input_multiplier, input_left_shift) and go through
 * gemmlowp's fixed-point logistic/tanh. LOGISTIC output has scale 1/256, zero
 * point -128; TANH output scale 1/128, zero point 0. Parameters as TFLM's
 * CalculateArithmeticOpData (kInputIntegerBits = 4).
 */
/* tml:struct tml_logistic_s8_params (generated from src/codegen/aot/kernel-structs.ts) */
typedef struct {
  int32_t input_zero_point;
  int32_t input_range_radius;
  int32_t input_multiplier;
  int32_t input_left_shift;
} tml_logistic_s8_params;
/* tml:end */
typedef tml_logistic_s8_params tml_tanh_s8_params;

tml_status tml_logistic_s8(const tml_logistic_s8_params *p, const int8_t *input,
                           int8_t *output, int32_t count);
tml_status tml_tanh_s8(const tml_tanh_s8_params *p, const int8_t *input,
                       int8_t *output, int32_t count);
/** Float versions (TFLM's cut-off logistic; tanhf). In-place allowed. */
tml_status tml_logistic_f32(const float *input, float *output, int32_t count);
tml_status tml_tanh_f32(const float *input, float *output, int32_t count);

/* ------------------------------------------------------ RELU / RELU6 */

/**
 * int8 RELU (TFLM ReluQuantized): out = clamp(output_zero_point +
 * MBQM(x - input_zero_point, multiplier, shift), act_min, act_max) with
 * multiplier/shift = QuantizeMultiplier(in_scale/out_scale), act_min =
 * max(-128, output_zp), act_max = 127.
 */
/* tml:struct tml_relu_s8_params (generated from src/codegen/aot/kernel-structs.ts) */
typedef struct {
  int32_t input_zero_point;
  int32_t output_zero_point;
  int32_t output_multiplier;
  int32_t output_shift;
  int32_t act_min;
  int32_t act_max;
} tml_relu_s8_params;
/* tml:end */

tml_status tml_relu_s8(const tml_relu_s8_params *p, const int8_t *input,
                       int8_t *output, int32_t count);

/** int8 RELU6 (TFLM Relu6Quantized): clamp(x, zero, six), no rescale. */
/* tml:struct tml_relu6_s8_params (generated from src/codegen/aot/kernel-structs.ts) */
typedef struct {
  int32_t zero; /* input zero point */
  int32_t six; /* quantized 6.0 in the input's scale */
} tml_relu6_s8_params;
/* tml:end */

tml_status tml_relu6_s8(const tml_relu6_s8_params *p, const int8_t *input,
                        int8_t *output, int32_t count);
tml_status tml_relu_f32(const float *input, float *output, int32_t count);
tml_status tml_relu6_f32(const float *input, float *output, int32_t count);

/* --------------------------------------------------------- HARD_SWISH */

/** TFLM HardSwishParams, computed as TFLM's HardSwishPrepare. */
/* tml:struct tml_hard_swish_s8_params (generated from src/codegen/aot/kernel-structs.ts) */
typedef struct {
  int32_t input_zero_point;
  int32_t output_zero_point;
  int32_t reluish_multiplier_fixedpoint_int16; /* int16 range */
  int32_t reluish_multiplier_exponent;
  int32_t output_multiplier_fixedpoint_int16; /* int16 range */
  int32_t output_multiplier_exponent; /* in [-15, 0] */
} tml_hard_swish_s8_params;
/* tml:end */

tml_status tml_hard_swish_s8(const tml_hard_swish_s8_params *p,
                             const int8_t *input, int8_t *output,
                             int32_t count);
tml_status tml_hard_swish_f32(const float *input, float *output,
                              int32_t count);

/* ------------------------------------------------ signal library (audio) */

/*
 * TFLM's signal-library custom ops (signal/micro/kernels, signal/src), as the
 * audio frontend (micro_speech's audio_preprocessor) uses them. Integer only,
 * bit-exact with TFLM's GCC builds (MostSignificantBit32(0) = 32, integer
 * conversions wrap). Option values come from the op's flexbuffer options,
 * read and checked at build time.
 */

/** SignalWindow: out = saturate_int16((in * window) >> shift) per window block. */
/* tml:struct tml_signal_window_params (generated from src/codegen/aot/kernel-structs.ts) */
typedef struct {
  int32_t shift; /* 0..31 */
  int32_t input_size; /* a multiple of weight_size */
  int32_t weight_size; /* > 0 */
} tml_signal_window_params;
/* tml:end */

tml_status tml_signal_window_s16(const tml_signal_window_params *p,
                                 const int16_t *input, const int16_t *weights,
                                 int16_t *output);

/** SignalFftAutoScale: shift `size` samples up by their headroom; *scale_bits = the shift. */
tml_status tml_signal_fft_auto_scale_s16(int32_t size, const int16_t *input,
                                         int16_t *output, int32_t *scale_bits);

/**
 * SignalRfft (int16): kissfft's fixed-point kiss_fftr on each input_length
 * block, zero-padded to fft_length; fft_length / 2 + 1 complex bins (re, im)
 * per block at output + 2 * block * output_length. The plan is kiss_fftr_alloc's:
 * `factors` (p1, m1, p2, m2, ...; radices 2..5), ncfft = fft_length / 2
 * twiddles and ncfft / 2 super twiddles, interleaved re, im.
 */
/* tml:struct tml_signal_rfft_params (generated from src/codegen/aot/kernel-structs.ts) */
typedef struct {
  int32_t fft_length; /* even */
  int32_t input_size;
  int32_t input_length;
  int32_t output_length;
  int32_t factor_count; /* entries of factors (pairs) */
  const int32_t *factors;
  const int16_t *twiddles;
  const int16_t *super_twiddles;
} tml_signal_rfft_params;
/* tml:end */

size_t tml_signal_rfft_s16_scratch_size(const tml_signal_rfft_params *p);
tml_status tml_signal_rfft_s16(const tml_signal_rfft_params *p,
                               const int16_t *input, int16_t *output,
                               void *scratch);

/** SignalEnergy: output[i] = re^2 + im^2 (uint32) for start_index <= i < end_index only. */
/* tml:struct tml_signal_energy_params (generated from src/codegen/aot/kernel-structs.ts) */
typedef struct {
  int32_t start_index;
  int32_t end_index;
} tml_signal_energy_params;
/* tml:end */

tml_status tml_signal_energy_s16(const tml_signal_energy_params *p,
                                 const int16_t *input, uint32_t *output);

/**
 * SignalFilterBank: uint64 weight/unweight accumulation over num_channels + 1
 * channels (channel 0 is dropped); output holds output_size <= num_channels.
 * The five int16 tables have num_channels + 1 entries (starts, widths) or the
 * weight count (weights, unweights); reads are checked at build time.
 */
/* tml:struct tml_signal_filter_bank_params (generated from src/codegen/aot/kernel-structs.ts) */
typedef struct {
  int32_t num_channels;
  int32_t output_size;
} tml_signal_filter_bank_params;
/* tml:end */

tml_status tml_signal_filter_bank_u32(const tml_signal_filter_bank_params *p,
                                      const uint32_t *input,
                                      const int16_t *weights,
                                      const int16_t *unweights,
                                      const int16_t *channel_frequency_starts,
                                      const int16_t *channel_weight_starts,
                                      const int16_t *channel_widths,
                                      uint64_t *output);

/** SignalFilterBankSquareRoot: output[i] = Sqrt64(input[i]) >> *scale_bits (0 if the shift is not 0..31). */
tml_status tml_signal_filter_bank_sqrt_u64(int32_t num_channels,
                                           const uint64_t *input,
                                           const int32_t *scale_bits,
                                           uint32_t *output);

/**
 * SignalFilterBankSpectralSubtraction. `state` is the persistent noise
 * estimate: num_channels uint32 (tml_signal_spectral_subtraction_u32_state_size()
 * bytes), zeroed by tml_signal_spectral_subtraction_u32_reset() before the first
 * call and kept by the caller across calls. noise_output receives its first
 * noise_output_size entries after each call.
 */
/* tml:struct tml_signal_spectral_subtraction_params (generated from src/codegen/aot/kernel-structs.ts) */
typedef struct {
  int32_t num_channels;
  uint32_t smoothing;
  uint32_t one_minus_smoothing;
  uint32_t alternate_smoothing;
  uint32_t alternate_one_minus_smoothing;
  uint32_t min_signal_remaining;
  uint32_t smoothing_bits; /* 0..31 */
  uint32_t spectral_subtraction_bits; /* 0..63 */
  int32_t clamping; /* 0 or 1 */
  int32_t noise_output_size; /* <= num_channels */
} tml_signal_spectral_subtraction_params;
/* tml:end */

size_t tml_signal_spectral_subtraction_u32_state_size(
    const tml_signal_spectral_subtraction_params *p);
void tml_signal_spectral_subtraction_u32_reset(
    const tml_signal_spectral_subtraction_params *p, uint32_t *state);
tml_status tml_signal_spectral_subtraction_u32(
    const tml_signal_spectral_subtraction_params *p, const uint32_t *input,
    uint32_t *output, uint32_t *noise_output, uint32_t *state);

/** SignalPCAN: per-channel gain from the noise estimate via gain_lut (>= 125 entries), then shrink. */
/* tml:struct tml_signal_pcan_params (generated from src/codegen/aot/kernel-structs.ts) */
typedef struct {
  int32_t snr_shift; /* 0..63 */
  int32_t num_channels;
} tml_signal_pcan_params;
/* tml:end */

tml_status tml_signal_pcan_u32(const tml_signal_pcan_params *p,
                               const uint32_t *input,
                               const uint32_t *noise_estimate,
                               const int16_t *gain_lut, uint32_t *output);

/** SignalFilterBankLog: output = min(Log32(input << input_correction_bits, output_scale), 32767). */
/* tml:struct tml_signal_filter_bank_log_params (generated from src/codegen/aot/kernel-structs.ts) */
typedef struct {
  int32_t input_correction_bits; /* 0..31 */
  uint32_t output_scale;
  int32_t num_channels;
} tml_signal_filter_bank_log_params;
/* tml:end */

tml_status tml_signal_filter_bank_log_u32(
    const tml_signal_filter_bank_log_params *p, const uint32_t *input,
    int16_t *output);

#ifdef __cplusplus
}
#endif

#endif /* TML_KERNELS_H */
