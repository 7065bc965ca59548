/* tml_profile.c — PROFILE's invoke: the model's timed invoke on the board's timer. */
#include "tml_profile.h"
#include "tml_hal.h"
#include "tml_model.h"

size_t tml_model_invoke_profiled(uint32_t *ticks, size_t max) {
  size_t n;
  if (ticks == NULL || max == 0) return 0;
  n = tml_model_invoke_timed(ticks, max, tml_hal_timer_ticks);
  return n > max ? max : n;
}
