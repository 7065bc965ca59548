/* tml_profile.c — the PROFILE hook's registration (see tml_profile.h). */
#include "tml_profile.h"

static tml_profile_invoke_fn tml_profile_fn = NULL;

void tml_profile_register(tml_profile_invoke_fn fn) { tml_profile_fn = fn; }

size_t tml_model_invoke_profiled(uint32_t *ticks, size_t max) {
  size_t n;
  if (tml_profile_fn == NULL || ticks == NULL || max == 0) return 0;
  n = tml_profile_fn(ticks, max);
  return n > max ? max : n;
}
