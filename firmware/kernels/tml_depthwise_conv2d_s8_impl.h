/* tml_depthwise_conv2d_s8_impl.h — what the DEPTHWISE_CONV_2D int8
 * variants share (internal). tml_depthwise_conv2d_s8.c is the dispatcher,
 * tml_depthwise_conv2d_s8_select.c the rules, the checks and the bands;
 * each variant lives in a file of its own (CMSIS-NN's layout):
 *   tml_depthwise_conv2d_s8_as_conv.c  one input channel: CONV_2D, filter transposed
 *   tml_depthwise_conv2d_s8_blocks.c   blocks of four channels (DSP)
 *   tml_depthwise_conv2d_s8_pixels.c   per pixel, a chunk of channels (any CPU) */
#ifndef TML_DEPTHWISE_CONV2D_S8_IMPL_H
#define TML_DEPTHWISE_CONV2D_S8_IMPL_H

#include "tml_fast_int8.h"

/* The DSP path also clamps four outputs at once with SSAT. */
#if TML_DSP && defined(__ARM_FEATURE_SAT) && __ARM_FEATURE_SAT
#define TML_DW_DSP 1
#else
#define TML_DW_DSP 0
#endif

/* Output channels accumulated per pixel before they are requantized. */
#define TML_DW_CHUNK 32
/* Largest filter (taps x output channels) transposed into scratch when the
 * input has one channel. */
#define TML_DW_TRANSPOSE_MAX 1024
/* Most taps of the DSP channel blocks' widened filter. */
#define TML_DW_TAPS_MAX 64

/* What the requantization of every output needs. */
typedef struct {
  const int32_t *bias, *mult, *shift;
  int32_t out_offset, act_min, act_max;
} tml_dw_rq;

static inline size_t tml_dw_align8(size_t n) { return (n + 7u) & ~(size_t)7u; }

/* One call's params, checked and unpacked into the locals the variants
 * take (the int8 output stores may alias anything behind the params). */
typedef struct {
  tml_window w;
  tml_dw_rq q;
  int32_t dm, off;
  int empty; /* an output dimension is 0: nothing to do */
} tml_dw_call;

/* The checks every entry makes (TML_OK, or the error the op returns). */
tml_status tml_dw_prepare(const tml_depthwise_conv2d_s8_params *p, int32_t band_rows,
                          const int8_t *input, const int8_t *filter, const int32_t *bias,
                          int8_t *output, void *scratch, tml_dw_call *c);

/* A variant over some output rows: output channels oc_start.. of every pixel. */
typedef void (*tml_dw_body)(const tml_window *w, const int8_t *input, const int8_t *filter,
                            int8_t *output, int32_t dm, int32_t off, const tml_dw_rq *q,
                            int32_t oc_start, int32_t *scratch);

/* body over the whole output, or in bands of band_rows output rows (each
 * finished before the next is read, so the output may overwrite the
 * input's rows behind the band). */
void tml_dw_run(const tml_dw_call *c, int32_t band_rows, const int8_t *input,
                const int8_t *filter, int8_t *output, int32_t *scratch, tml_dw_body body);

/* The CONV_2D that DEPTHWISE_CONV_2D with one input channel is (filter aside). */
void tml_dw_conv_params(const tml_depthwise_conv2d_s8_params *p, tml_conv2d_s8_params *cp);

/* Scratch: the transposed filter (8-byte aligned), then tml_conv2d_s8's. */
tml_status tml_depthwise_conv2d_s8_as_conv(const tml_depthwise_conv2d_s8_params *p,
                                           const int8_t *input, const int8_t *filter,
                                           const int32_t *bias, int8_t *output, void *scratch);

/* Output channels oc_start.. of every pixel; acc: TML_DW_CHUNK int32 of scratch. */
void tml_depthwise_conv2d_s8_pixels(const tml_window *pw, const int8_t *input,
                                    const int8_t *filter, int8_t *output, int32_t dm,
                                    int32_t off, const tml_dw_rq *q, int32_t oc_start,
                                    int32_t *acc);

#if TML_DW_DSP
/* Every block of four output channels; returns how many channels it did.
 * scratch: 3 * taps int32 (tap offsets, then the widened filter). */
int32_t tml_depthwise_conv2d_s8_blocks(const tml_window *pw, const int8_t *input,
                                       const int8_t *filter, int8_t *output, int32_t dm,
                                       int32_t off, const tml_dw_rq *q, int32_t *scratch);
#endif

#endif /* TML_DEPTHWISE_CONV2D_S8_IMPL_H */
