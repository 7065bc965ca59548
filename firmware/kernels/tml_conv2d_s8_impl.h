/* tml_conv2d_s8_impl.h — what the CONV_2D int8 variants share (internal).
 * tml_conv2d_s8.c is the dispatcher: it checks the params, picks the
 * variant with tml_conv2d_s8_select() and carves the caller's scratch;
 * each variant lives in a file of its own (CMSIS-NN's layout):
 *   tml_conv2d_s8_pointwise.c  1x1, no padding, windows widened (DSP)
 *   tml_conv2d_s8_windows.c    any window, widened with padding (DSP)
 *   tml_conv2d_s8_generic.c    everything, on the runs of each window
 *   tml_conv2d_s8_common.c     requantization and the widened dot products */
#ifndef TML_CONV2D_S8_IMPL_H
#define TML_CONV2D_S8_IMPL_H

#include "tml_fast_int8.h"

/* Output channels accumulated (per pixel) before they are requantized. */
#define TML_CV_CHUNK 16
/* Pixels computed together at most. */
#define TML_CV_GROUP 4
/* Room for the widened windows: 128 double words (1 KB) of scratch at most. */
#define TML_CV_COLS 128

/* What the requantization of every output needs. */
typedef struct {
  const int32_t *bias, *mult, *shift;
  int32_t out_offset, act_min, act_max;
} tml_cv_rq;

/* One call's scratch carved from the caller's buffer (8-byte aligned):
 * np * (k / 4) widened words, 3 * np tail taps, np * TML_CV_CHUNK
 * accumulators, for np pixels per group and windows of k taps. */
typedef struct {
  uint64_t *cols;
  int32_t *tail, *acc;
} tml_cv_scratch;

/* The valid taps of one output pixel: rows x cols runs of len bytes; run
 * (r, c) starts at in + r*in_row + c*in_col in the input and at
 * r*f_row + c*f_col from the filter of the output channel. */
typedef struct {
  int32_t rows, cols, len;
  int32_t in_row, in_col, f_row, f_col;
} tml_cv_geo;

/* Requantizes output channels oc0 .. oc0+n-1 of np (1, 2 or 4) consecutive
 * pixels: acc[p*TML_CV_CHUNK + i] into o[p*ostride + oc0 + i]. */
void tml_cv_requant_run(const tml_cv_rq *q, int32_t oc0, int32_t n, const int32_t *acc,
                        int8_t *o, int32_t ostride, int np);

/* The generic variant (any params, any CPU); acc: 2 * TML_CV_CHUNK int32 of scratch. */
void tml_conv2d_s8_generic(const tml_window *pw, const int8_t *input, const int8_t *filter,
                           int8_t *output, const tml_cv_rq *q, int32_t fic, int32_t off,
                           int32_t *acc);

#if TML_DSP
/* acc = (x0.f0, x0.f1, 0, 0) over g's runs (offp: input_offset in both lanes). */
void tml_cv_dot12(const tml_cv_geo *g, const int8_t *x0, const int8_t *f0, const int8_t *f1,
                  int32_t offp, int32_t off, int32_t acc[4]);

/* Accumulators of n output channels (filters f, k taps each) for two
 * (tml_cv_cols_acc) or four (tml_cv_cols_acc4) pixels whose windows
 * tml_cv_im2col laid out in cols/tail: acc[p*TML_CV_CHUNK + i]. */
void tml_cv_cols_acc(const uint64_t *cols, const int32_t *tail, int32_t k, const int8_t *f,
                     int32_t n, int32_t *acc);
void tml_cv_cols_acc4(const uint64_t *cols, const int32_t *tail, int32_t k, const int8_t *f,
                      int32_t n, int32_t *acc);

/* The widening variants: np4 set for four pixels per group, else two. */
void tml_conv2d_s8_pointwise(const tml_window *pw, const int8_t *input, const int8_t *filter,
                             int8_t *output, const tml_cv_rq *q, int32_t offp, int32_t off,
                             int np4, const tml_cv_scratch *s);
void tml_conv2d_s8_windows(const tml_window *pw, const int8_t *input, const int8_t *filter,
                           int8_t *output, const tml_cv_rq *q, int32_t offp, int32_t off,
                           int np4, const tml_cv_scratch *s);

/* Four input bytes (x0, x1, x2, x3) as SMLAD operands with input_offset
 * added (offp holds it in both 16-bit lanes): (x0, x2) in the low word,
 * (x1, x3) in the high word, the lanes SXTB16 gives for a filter word. */
static inline uint64_t tml_cv_widen(int32_t offp, uint32_t v) {
  return (uint64_t)(uint32_t)__sxtab16(offp, (int32_t)v) |
         (uint64_t)(uint32_t)tml_sxtab16_r8(offp, v) << 32;
}

/* Appends one byte to the word being gathered; every fourth byte the word
 * is widened into the next group of cols. */
#define TML_CV_PUSH(byte)                                         \
  do {                                                            \
    word |= (uint32_t)(uint8_t)(byte) << (8 * nb);                \
    if (++nb == 4) {                                              \
      *cols = tml_cv_widen(offp, word);                           \
      cols += np;                                                 \
      word = 0;                                                   \
      nb = 0;                                                     \
    }                                                             \
  } while (0)

/* The window of pixel `lane` of np (rows runs of len bytes, in_row apart)
 * widened: taps 4g .. 4g+3 in cols[np*g + lane], the last k % 4 taps (plus
 * input_offset) in tail[3*lane + t]. */
static inline void tml_cv_im2col(const int8_t *x, int32_t rows, int32_t len, int32_t in_row,
                                 int32_t offp, int32_t off, uint64_t *cols, int32_t *tail,
                                 int lane, int np) {
  int32_t r, j;
  cols += lane;
  if ((len & 3) == 0) {
    for (r = 0; r < rows; ++r) {
      const int8_t *xr = x + r * in_row;
      for (j = 0; j < len; j += 4) {
        *cols = tml_cv_widen(offp, tml_ld32(xr + j));
        cols += np;
      }
    }
  } else {
    /* Rows of other lengths: bytes gathered four at a time. */
    uint32_t word = 0;
    int nb = 0;
    for (r = 0; r < rows; ++r) {
      const int8_t *xr = x + r * in_row;
      for (j = 0; j < len; ++j) TML_CV_PUSH(xr[j]);
    }
    for (j = 0; j < nb; ++j) tail[3 * lane + j] = (int8_t)(uint8_t)(word >> (8 * j)) + off;
  }
}
#endif /* TML_DSP */

#endif /* TML_CONV2D_S8_IMPL_H */
