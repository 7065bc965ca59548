/* tml_input_stage.c — the input staging buffer (see tml_input_stage.h). */
#include "tml_input_stage.h"

#include <string.h>

#include "tml_model.h"

#if TML_APP_INPUT_STAGE_BYTES > 0
static uint8_t tml_stage[TML_APP_INPUT_STAGE_BYTES];
#define TML_STAGE_CAP ((size_t)TML_APP_INPUT_STAGE_BYTES)
#else
static uint8_t tml_stage[1]; /* C99 has no zero-length arrays */
#define TML_STAGE_CAP ((size_t)0)
#endif

size_t tml_stage_capacity(void) { return TML_STAGE_CAP; }

/* Offset of input i in the stage, or TML_STAGE_CAP + 1 when it does not fit. */
static size_t stage_offset(size_t i) {
  size_t k, off = 0;
  const tml_tensor_info *info;
  for (k = 0; k < i; ++k) {
    info = tml_model_input_info(k);
    if (info == NULL || info->bytes > TML_STAGE_CAP - off) return TML_STAGE_CAP + 1u;
    off += info->bytes;
  }
  return off;
}

int tml_stage_active(void) {
  size_t n = tml_model_input_count();
  const tml_tensor_info *last;
  size_t off;
  if (TML_STAGE_CAP == 0 || n == 0) return 0;
  off = stage_offset(n - 1u);
  last = tml_model_input_info(n - 1u);
  return off <= TML_STAGE_CAP && last != NULL && last->bytes <= TML_STAGE_CAP - off;
}

uint8_t *tml_stage_input(size_t i) {
  if (i >= tml_model_input_count()) return NULL;
  if (!tml_stage_active()) return (uint8_t *)tml_model_input(i);
  return tml_stage + stage_offset(i);
}

void tml_stage_restore(void) {
  size_t i, n = tml_model_input_count();
  const tml_tensor_info *info;
  uint8_t *dst;
  if (!tml_stage_active()) return;
  for (i = 0; i < n; ++i) {
    info = tml_model_input_info(i);
    dst = (uint8_t *)tml_model_input(i);
    if (info != NULL && dst != NULL) memcpy(dst, tml_stage + stage_offset(i), info->bytes);
  }
}
