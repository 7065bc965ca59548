/*
 * tml_input_stage.h — where the apps put input bytes the host sends.
 *
 * A memory plan may reuse an input tensor's bytes once the first op has
 * consumed them (TFLM does; so does the AOT planner), so a second invoke on
 * the same input buffer would see garbage. When the build reserves
 * TML_APP_INPUT_STAGE_BYTES (>= the sum of the model's input sizes), inputs
 * are kept there and copied into the model before every invoke, outside the
 * timed region. With 0 (the default: no RAM spent) they are written in place
 * and only the first invoke after a load is guaranteed to see them.
 */
#ifndef TML_INPUT_STAGE_H
#define TML_INPUT_STAGE_H

#include <stddef.h>
#include <stdint.h>

#ifndef TML_APP_INPUT_STAGE_BYTES
#define TML_APP_INPUT_STAGE_BYTES 0
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** Bytes reserved for staging; 0 when inputs are written in place. */
size_t tml_stage_capacity(void);

/** Whether every input fits the stage, so inputs survive any number of invokes. */
int tml_stage_active(void);

/** Where input i's bytes go: its stage slice, or the model's input buffer. NULL if out of range. */
uint8_t *tml_stage_input(size_t i);

/** Copies staged inputs into the model's input tensors (nothing to do in place). */
void tml_stage_restore(void);

#ifdef __cplusplus
}
#endif

#endif /* TML_INPUT_STAGE_H */
