/*
 * tml_frontend.h — the wake-word app's second model: the audio frontend,
 * generated with the AOT prefix "tml_frontend" (frontend_model.c), offering
 * the tml_model.h API under that name. Declared here, not only in the
 * generated frontend_model.h, so the app compiles (and is checked) without a
 * generated model; the generated header repeats the same declarations.
 */
#ifndef TML_FRONTEND_H
#define TML_FRONTEND_H

#include "tml_model.h"

#ifdef __cplusplus
extern "C" {
#endif

int tml_frontend_init(void);
size_t tml_frontend_input_count(void);
size_t tml_frontend_output_count(void);
void *tml_frontend_input(size_t i);
void *tml_frontend_output(size_t i);
const tml_tensor_info *tml_frontend_input_info(size_t i);
const tml_tensor_info *tml_frontend_output_info(size_t i);
int tml_frontend_invoke(void);
size_t tml_frontend_invoke_timed(uint32_t *ticks, size_t max, tml_ticks_fn now);
int32_t tml_frontend_failed_op(void);
const char *tml_frontend_sha256(void);
size_t tml_frontend_arena_used(void);

#ifdef __cplusplus
}
#endif

#endif /* TML_FRONTEND_H */
