/*
 * tml_profile.h — optional per-op timing of one invoke, for PROFILE requests.
 *
 * A runtime that can time its ops registers a profiled invoke from its
 * tml_model_init(); one that cannot registers nothing and PROFILE reports 0
 * ops. A function pointer rather than a weak symbol keeps this portable to
 * toolchains and linkers without weak-symbol support (and to C++ TFLM code).
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
 * ticks[0..max). Returns the number of ops it timed (at most max), or 0 when
 * the invoke failed before any op finished.
 */
typedef size_t (*tml_profile_invoke_fn)(uint32_t *ticks, size_t max);

/** Installs the model's profiled invoke; NULL removes it. */
void tml_profile_register(tml_profile_invoke_fn fn);

/** The registered profiled invoke, or 0 ops when none is registered. */
size_t tml_model_invoke_profiled(uint32_t *ticks, size_t max);

#ifdef __cplusplus
}
#endif

#endif /* TML_PROFILE_H */
