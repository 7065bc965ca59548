/*
 * tml_profile.h — per-op timing of one invoke, for PROFILE requests: the
 * model's tml_model_invoke_timed() with the board's timer.
 */
#ifndef TML_PROFILE_H
#define TML_PROFILE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Runs one invoke and stores each op's tml_hal_timer_ticks() delta in
 * ticks[0..max). Returns the number of ops it timed (at most max).
 */
size_t tml_model_invoke_profiled(uint32_t *ticks, size_t max);

#ifdef __cplusplus
}
#endif

#endif /* TML_PROFILE_H */
