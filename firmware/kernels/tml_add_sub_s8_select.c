/* ADD and SUB int8: whether the params take the 32-bit runs
 * (tml_add_sub_s8_takes_runs32, tml_kernels.h), the rule the AOT generator
 * mirrors in src/codegen/aot/add-sub-variants.ts. */
#include "tml_add_sub_s8_impl.h"

int tml_add_sub_s8_takes_runs32(const tml_add_s8_params *p) {
  tml_add_step t1, t2, to;
  return p != 0 && tml_add_sub_check(p) == TML_OK && tml_add_sub_runs32_steps(p, &t1, &t2, &to);
}
