/* ADD int8 with the params TFLM's Prepare makes: the 32-bit runs of
 * tml_add_sub_s8_impl.h and nothing else, so an image whose every ADD takes
 * them (the AOT generator knows: add-sub-variants.ts mirrors
 * tml_add_sub_s8_takes_runs32, in tml_add_sub_s8_select.c so that this
 * file's one caller inlines the rule) carries
 * neither the 64-bit runs nor the element-by-element loop (about 2.4 KB on
 * Cortex-M4). SUB's entry is a file of its own, as tml_sub_s8 is: one sign
 * per file is a constant GCC folds into every run. */
#include "tml_add_sub_s8_impl.h"

tml_status tml_add_s8_runs32(const tml_add_s8_params *p, const tml_binary_shapes *s,
                             const int8_t *input1, const int8_t *input2, int8_t *output) {
  return tml_add_sub_s8_runs32_body(p, s, input1, input2, output, 1);
}
