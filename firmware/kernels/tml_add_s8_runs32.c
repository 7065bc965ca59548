/* ADD int8 with the params TFLM's Prepare makes: the 32-bit runs of
 * tml_add_sub_s8_impl.h and nothing else, so an image whose every ADD takes
 * them (the AOT generator knows: add-sub-variants.ts mirrors
 * tml_add_sub_s8_takes_runs32, defined here for ADD and SUB) carries
 * neither the 64-bit runs nor the element-by-element loop (about 2.4 KB on
 * Cortex-M4). SUB's entry is a file of its own, as tml_sub_s8 is: one sign
 * per file is a constant GCC folds into every run. */
#include "tml_add_sub_s8_impl.h"

int tml_add_sub_s8_takes_runs32(const tml_add_s8_params *p) {
  tml_add_step t1, t2, to;
  return p != 0 && tml_add_sub_check(p) == TML_OK && tml_add_sub_runs32_steps(p, &t1, &t2, &to);
}

tml_status tml_add_s8_runs32(const tml_add_s8_params *p, const tml_binary_shapes *s,
                             const int8_t *input1, const int8_t *input2, int8_t *output) {
  return tml_add_sub_s8_runs32_body(p, s, input1, input2, output, 1);
}
