/* DEPTHWISE_CONV_2D int8 with one input channel and 16 taps or more (audio
 * front ends): output channel m is the convolution of the only input channel
 * with filter[.., .., m], so the op runs as tml_conv2d_s8 once the filter is
 * transposed to OHWI. */
#include "tml_depthwise_conv2d_s8_impl.h"

/* The CONV_2D that DEPTHWISE_CONV_2D with one input channel is. */
void tml_dw_conv_params(const tml_depthwise_conv2d_s8_params *p, tml_conv2d_s8_params *cp) {
  cp->win = p->win;
  cp->filter_input_c = 1;
  cp->input_offset = p->input_offset;
  cp->output_offset = p->output_offset;
  cp->act_min = p->act_min;
  cp->act_max = p->act_max;
  cp->output_multiplier = p->output_multiplier;
  cp->output_shift = p->output_shift;
}

/* input_c == 1: output channel oc = m is the convolution of the only input
 * channel with filter[.., .., m], i.e. CONV_2D with one input channel and
 * the filter transposed from 1HWO to OHWI (at most TML_DW_TRANSPOSE_MAX
 * bytes) at the start of the scratch, the convolution's scratch after it. */
tml_status tml_depthwise_conv2d_s8_as_conv(const tml_depthwise_conv2d_s8_params *p,
                                           const int8_t *input, const int8_t *filter,
                                           const int32_t *bias, int8_t *output, void *scratch) {
  int8_t *const ohwi = (int8_t *)scratch;
  tml_conv2d_s8_params cp;
  const int32_t taps = p->win.filter_h * p->win.filter_w, oc_n = p->win.output_c;
  int32_t oc, t;
  for (oc = 0; oc < oc_n; ++oc)
    for (t = 0; t < taps; ++t) ohwi[oc * taps + t] = filter[t * oc_n + oc];
  tml_dw_conv_params(p, &cp);
  return tml_conv2d_s8(&cp, input, ohwi, bias, output,
                       ohwi + tml_dw_align8((size_t)taps * (size_t)oc_n));
}
